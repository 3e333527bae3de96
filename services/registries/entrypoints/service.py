"""The registries service over nameko: commands in by RPC, history out through the store relay."""

from __future__ import annotations

import uuid

from stdnum.gr import amka as stdnum_amka

from contracts.registries import (
    ApproveMergeRequestSchema,
    DeclineMergeRequestSchema,
    ErasePersonalDataSchema,
    MergeBeneficiarySchema,
    RegisterBeneficiarySchema,
    RequestMergeSchema,
    UnmergeBeneficiarySchema,
)
from services.common.nameko_support import (
    EventStoreProvider,
    MetricsServer,
    ScrapedCollector,
    ServesItsHistory,
    ServiceSettings,
    outbox_watch,
    rpc,
    store_database,
)
from services.common.rpc_commands import answer, receive, rejects_bad_commands
from services.registries import bootstrap
from services.registries.adapters import search as registry_search
from services.registries.adapters.erasure_position import ErasurePosition
from services.registries.adapters.identities import Identities
from services.registries.adapters.identity_index import AMKA, IdentityIndex
from services.registries.adapters.merge_requests import MergeRequests
from services.registries.adapters.merges import Merges
from services.registries.adapters.network_directory import NetworkDirectory
from services.registries.adapters.registrations import registering_sites
from services.registries.adapters.site_records import SiteRecords
from services.registries.application.beneficiaries import Beneficiaries
from services.registries.domain.beneficiary import (
    ApproveMergeRequest,
    DeclineMergeRequest,
    ErasePersonalData,
    MergeBeneficiary,
    RegisterBeneficiary,
    RequestMerge,
    UnmergeBeneficiary,
)
from services.registries.entrypoints.directory import DirectoryRpc
from services.registries.entrypoints.network import NetworkRpc

BENEFICIARY_IDS = uuid.UUID("5d1c9a8e-0b7f-4c61-9a52-6f3c2e1d4b70")


def amka_warnings(amka: str | None) -> list[dict]:
    """Some real AMKA carry no real birth date: a warning for the worker to check, not a refusal.
    (The contract has already refused a wrong check digit, so only the date can be off here.)"""
    if amka and not stdnum_amka.is_valid(amka):
        return [
            {
                "field": "amka",
                "message": "the first six digits are not a birth date (DDMMYY): please check",
            }
        ]
    return []


class RegistriesService(NetworkRpc, DirectoryRpc, ServesItsHistory):
    name = "registries"
    store = EventStoreProvider(bootstrap.open_store)
    settings = ServiceSettings()  # the blind indexes' key among them
    metrics = MetricsServer()
    erasures = ScrapedCollector(lambda c: ErasurePosition(store_database(c)))
    outbox = outbox_watch("registries")

    @rpc
    def find_by_amka(self, amka: str) -> list[str]:
        """Beneficiary ids registered with this AMKA (looked up by keyed hash, never in clear); a
        merged record answers with the id it survives in."""
        found = IdentityIndex(self.settings.index_key).find(self.store.db, AMKA, amka)
        return sorted({Merges.survivor_of(self.store.db, b) for b in found})

    @rpc
    def search(self, text: str) -> list[dict]:
        """Beneficiaries (survivors) by AMKA or by name, in Greek or Greeklish, accents and case
        ignored (adapters/search.py)."""
        return registry_search.search(self.store.db, self.settings.index_key, text)

    @rpc
    def beneficiary(self, beneficiary_id: str) -> dict | None:
        """A record's registration: who, where registered, erased or not (None: no such record)."""
        return Beneficiaries(self.store).registration(beneficiary_id)

    @rpc
    def person(self, beneficiary_id: str) -> dict:
        """The surviving id of this record and every record merged into it: whose histories make one timeline."""
        return Merges.person(self.store.db, beneficiary_id)

    @rpc
    def all_records(self, beneficiary_id: str) -> list[str]:
        """Every record of this person in the region: the regional record, the records merged
        into it and every centre's site record (for the DPO's answers to the person; the access
        policy never reads it: each centre's file stays its own)."""
        return SiteRecords.all_records(self.store.db, beneficiary_id)

    @rpc
    def identity_reviews(self) -> dict:
        """For the DPO: every site record (a person registered again at another centre under a
        number the registry holds) with its regional record and the identity keys typed
        otherwise, and records of different networks that share a name and birth date. Ids,
        sites and key names only."""
        return {
            "site_records": SiteRecords.reviews(self.store.db),
            "possible_duplicates": self._duplicates_across_networks(),
        }

    def _duplicates_across_networks(self) -> list[dict]:
        """Pairs no worker is told of: each centre sees only its own records' duplicates."""
        db, registry = self.store.db, Beneficiaries(self.store)
        identities = Identities(db, self.settings.index_key)
        found = []
        for one, other in IdentityIndex.same_name_and_birth(db):
            sites = [(registry.registration(b) or {}).get("site") or "" for b in (one, other)]
            one_person = (
                SiteRecords.all_records(db, one)[0] == SiteRecords.all_records(db, other)[0]
            )
            if not one_person and sites[1] not in identities.network_of(sites[0]):
                found.append({"records": [one, other], "sites": sites, "score": 0.9})
        return found

    @rpc
    def person_access_facts(self, beneficiary_id: str) -> dict:
        """What the gateway's access policy needs from the registry, read from the store at the
        moment it asks (never a lagging copy): whether the person exists, every record that is
        theirs (merges), and the sites that registered them. No personal field."""
        return self.person_access_facts_many([beneficiary_id])[0]

    @rpc
    def person_access_facts_many(self, beneficiary_ids: list[str]) -> list[dict]:
        """`person_access_facts` for many records at once, in the order asked: a search's hits
        in one call and three queries."""
        people = Merges.people(self.store.db, beneficiary_ids)
        records = [r for p in people for r in p["records"]]
        sites = registering_sites(self.store.db, records)
        return [
            {
                "known": p["records"][0] in sites,
                "records": p["records"],
                "registered_at": sorted({s for r in p["records"] if (s := sites.get(r))}),
            }
            for p in people
        ]

    @rpc
    def beneficiaries(self, beneficiary_ids: list[str]) -> list[dict | None]:
        """`beneficiary` for many records at once, in the order asked (a search's page)."""
        registry = Beneficiaries(self.store)
        return [registry.registration(b) for b in beneficiary_ids]

    @rpc
    @rejects_bad_commands
    def register_beneficiary(self, command: dict, context: dict) -> dict:
        received = receive(RegisterBeneficiarySchema, command, context)
        # a client may leave the id to us: derived from its command_id, a retry lands on the same stream
        fields = {
            **received.fields,
            "beneficiary_id": received.fields["beneficiary_id"]
            or uuid.uuid5(BENEFICIARY_IDS, received.command_id),
        }
        identities = Identities(self.store.db, self.settings.index_key)
        found = Beneficiaries(self.store, identities).register_person(
            RegisterBeneficiary(**fields), received.metadata
        )
        if found.result is None:  # the person a number already identifies: one history
            return {
                "stream": f"beneficiary-{found.found_existing}",
                "version": None,
                "duplicate": True,
                "events": [],
                "found_existing": True,
                "possible_duplicates": [],
                "warnings": [],
            }
        return {
            **answer(found.result),
            "found_existing": False,
            "possible_duplicates": found.possible_duplicates,
            "warnings": amka_warnings(fields.get("amka")),
        }

    @rpc
    @rejects_bad_commands
    def erase_personal_data(self, command: dict, context: dict) -> dict:
        received = receive(ErasePersonalDataSchema, command, context)
        command_ = ErasePersonalData(**received.fields)
        return answer(Beneficiaries(self.store).erase_personal_data(command_, received.metadata))

    @rpc
    @rejects_bad_commands
    def merge_beneficiaries(self, command: dict, context: dict) -> dict:
        """Two records are one person: `beneficiary_id`'s history joins `survivor_id`'s. Never automatic."""
        received = receive(MergeBeneficiarySchema, command, context)
        merged_into_it = Merges.merged_into(self.store.db, str(received.fields["beneficiary_id"]))
        command_ = MergeBeneficiary(**received.fields)
        return answer(Beneficiaries(self.store).merge(command_, merged_into_it, received.metadata))

    @rpc
    @rejects_bad_commands
    def request_merge(self, command: dict, context: dict) -> dict:
        """A worker asks the head of centre to merge a duplicate record into another."""
        received = receive(RequestMergeSchema, command, context)
        command_ = RequestMerge(**received.fields)
        return answer(Beneficiaries(self.store).request_merge(command_, received.metadata))

    @rpc
    @rejects_bad_commands
    def approve_merge_request(self, command: dict, context: dict) -> dict:
        received = receive(ApproveMergeRequestSchema, command, context)
        merged_into_it = Merges.merged_into(self.store.db, str(received.fields["beneficiary_id"]))
        command_ = ApproveMergeRequest(**received.fields)
        registry = Beneficiaries(self.store)
        return answer(registry.approve_merge_request(command_, merged_into_it, received.metadata))

    @rpc
    @rejects_bad_commands
    def decline_merge_request(self, command: dict, context: dict) -> dict:
        received = receive(DeclineMergeRequestSchema, command, context)
        command_ = DeclineMergeRequest(**received.fields)
        return answer(Beneficiaries(self.store).decline_merge_request(command_, received.metadata))

    @rpc
    def merge_requests(self, sites: list[str]) -> list[dict]:
        """The merge requests waiting for a head, made at these sites (their network). Ids only."""
        return MergeRequests.pending(self.store.db, sites)

    @rpc
    @rejects_bad_commands
    def unmerge_beneficiary(self, command: dict, context: dict) -> dict:
        received = receive(UnmergeBeneficiarySchema, command, context)
        command_ = UnmergeBeneficiary(**received.fields)
        return answer(Beneficiaries(self.store).unmerge(command_, received.metadata))

    @rpc
    def possible_duplicates_at(self, beneficiary_id: str, site: str) -> list[dict]:
        """For a centre receiving a referral or a case: records there (the centre or its mobile
        unit) that may be the same person. Warnings, never a merge."""
        network = {site} | {
            s["site"]
            for s in NetworkDirectory.sites(self.store.db)
            if s.get("parent_centre") == site
        }
        found = []
        same_person = [  # the person's own records held by other centres: certainly them
            {"beneficiary_id": r, "score": 1.0}
            for r in SiteRecords.all_records(self.store.db, beneficiary_id)
            if r != str(beneficiary_id)
        ]
        related = IdentityIndex.related(self.store.db, beneficiary_id)
        listed = {c["beneficiary_id"] for c in same_person}
        for candidate in same_person + [c for c in related if c["beneficiary_id"] not in listed]:
            first = self.store.read_stream(f"beneficiary-{candidate['beneficiary_id']}", 1, 1)
            if first and first[0].data.get("site") in network:
                found.append(
                    {
                        **candidate,
                        "registered_at": first[0].data["site"],
                        "message": "this person may already be registered at the receiving centre",
                    }
                )
        return found
