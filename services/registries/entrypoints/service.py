"""The registries service over nameko: commands in by RPC, history out through the store relay."""
from __future__ import annotations

import uuid

from nameko.rpc import rpc

from contracts.registries import ErasePersonalDataSchema, RegisterBeneficiarySchema
from services.common.nameko_support import EventStoreProvider, IndexKey, MetricsServer, ServesItsHistory
from services.common.rpc_commands import answer, command_metadata, rejects_bad_commands
from services.registries.adapters.identity_index import AMKA, MIGRATIONS, IdentityIndex
from services.registries.application.beneficiaries import Beneficiaries
from services.registries.domain.beneficiary import ErasePersonalData, RegisterBeneficiary

BENEFICIARY_IDS = uuid.UUID("5d1c9a8e-0b7f-4c61-9a52-6f3c2e1d4b70")


class RegistriesService(ServesItsHistory):
    name = "registries"
    store = EventStoreProvider(extra_migrations=MIGRATIONS,
                               inline_projections=lambda settings: [IdentityIndex(settings.index_key)])
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
        known = index.find(self.store.db, AMKA, fields["amka"]) if fields.get("amka") else []
        if known and known != [str(fields["beneficiary_id"])]:
            # the same person met elsewhere (the mobile unit in Pylos, now the Kalamata centre): one history
            return {"stream": f"beneficiary-{known[0]}", "version": None, "duplicate": True, "events": [],
                    "found_by_amka": True, "possible_duplicates": []}
        personal = {k: str(v) if v is not None else None for k, v in fields.items()}
        warnings = index.possible_duplicates(self.store.db, personal, str(fields["beneficiary_id"]))
        metadata = command_metadata(context, command_id)
        result = Beneficiaries(self.store).register(RegisterBeneficiary(**fields), metadata)
        return {**answer(result), "found_by_amka": False, "possible_duplicates": warnings}

    @rpc
    @rejects_bad_commands
    def erase_personal_data(self, command: dict, context: dict) -> dict:
        fields = ErasePersonalDataSchema().load(command)
        command_id = fields.pop("command_id")
        result = Beneficiaries(self.store).erase_personal_data(ErasePersonalData(**fields),
                                                               command_metadata(context, command_id))
        return answer(result)
