"""The registries service over nameko: commands in by RPC, history out through the store relay."""
from __future__ import annotations

import uuid

from nameko.rpc import rpc
from stdnum.gr import amka as stdnum_amka

from contracts.registries import ErasePersonalDataSchema, RegisterBeneficiarySchema
from services.common.nameko_support import EventStoreProvider, IndexKey, MetricsServer, ServesItsHistory
from services.common.rpc_commands import answer, command_metadata, rejects_bad_commands
from services.registries.adapters.identity_index import AMKA, MIGRATIONS, IdentityIndex
from services.registries.adapters.network_directory import NetworkDirectory
from services.registries.application.beneficiaries import Beneficiaries
from services.registries.domain.beneficiary import ErasePersonalData, RegisterBeneficiary
from services.registries.entrypoints.network import NetworkRpc

BENEFICIARY_IDS = uuid.UUID("5d1c9a8e-0b7f-4c61-9a52-6f3c2e1d4b70")


def amka_warnings(amka: str | None) -> list[dict]:
    """Some real AMKA carry no real birth date: a warning for the worker to check, not a refusal.
    (The contract has already refused a wrong check digit, so only the date can be off here.)"""
    if amka and not stdnum_amka.is_valid(amka):
        return [{"field": "amka", "message": "the first six digits are not a birth date (DDMMYY): please check"}]
    return []


class RegistriesService(NetworkRpc, ServesItsHistory):
    name = "registries"
    store = EventStoreProvider(extra_migrations=MIGRATIONS,
                               inline_projections=lambda settings: [IdentityIndex(settings.index_key),
                                                                    NetworkDirectory()])
    index_key = IndexKey()
    metrics = MetricsServer()

    @rpc
    def find_by_amka(self, amka: str) -> list[str]:
        """Beneficiary ids registered with this AMKA (looked up by keyed hash, never in clear)."""
        return IdentityIndex(self.index_key).find(self.store.db, AMKA, amka)

    @rpc
    @rejects_bad_commands
    def register_beneficiary(self, command: dict, context: dict) -> dict:
        fields = RegisterBeneficiarySchema().load(command)
        command_id = fields.pop("command_id")
        # a client may leave the id to us: derived from its command_id, a retry lands on the same stream
        fields["beneficiary_id"] = fields["beneficiary_id"] or uuid.uuid5(BENEFICIARY_IDS, command_id)
        index = IdentityIndex(self.index_key)
        personal = {k: str(v) if v is not None else None for k, v in fields.items()}
        known = index.known_person(self.store.db, personal)
        if known and known != str(fields["beneficiary_id"]):
            # the same person met elsewhere (the mobile unit in Pylos, now the Kalamata centre): one history
            return {"stream": f"beneficiary-{known}", "version": None, "duplicate": True, "events": [],
                    "found_existing": True, "possible_duplicates": [], "warnings": []}
        duplicates = index.possible_duplicates(self.store.db, personal, str(fields["beneficiary_id"]))
        metadata = command_metadata(context, command_id)
        result = Beneficiaries(self.store).register(RegisterBeneficiary(**fields), metadata)
        return {**answer(result), "found_existing": False, "possible_duplicates": duplicates,
                "warnings": amka_warnings(fields.get("amka"))}

    @rpc
    @rejects_bad_commands
    def erase_personal_data(self, command: dict, context: dict) -> dict:
        fields = ErasePersonalDataSchema().load(command)
        command_id = fields.pop("command_id")
        result = Beneficiaries(self.store).erase_personal_data(ErasePersonalData(**fields),
                                                               command_metadata(context, command_id))
        return answer(result)
