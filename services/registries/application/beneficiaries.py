"""Use cases of the beneficiary registry: each runs one command against one beneficiary stream."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from contracts.names import BENEFICIARY_REGISTERED
from services.common.application import execute, load, sent_by_client
from services.common.clock import today_in_greece
from services.common.event_codec import encoder
from services.common.eventstore import AppendResult, EventStore, Metadata, stream_name
from services.registries.domain import beneficiary

_encode = encoder()
_decider = sys.modules[beneficiary.__name__]  # the module is the decider: initial, evolve, decide


class Identities(Protocol):
    def records_of_person(self, personal: dict) -> list[str]: ...

    def network_of(self, site: str) -> frozenset[str]: ...

    def possible_duplicates(self, personal: dict, beneficiary_id: str) -> list[dict]: ...


@dataclass(frozen=True)
class Registration:
    """What registering answers: the record stored, or the record of the person a number already
    identifies that the registering site's own network holds, and the records that may be the
    same person."""

    result: AppendResult | None
    found_existing: str | None = None
    possible_duplicates: list[dict] = field(default_factory=list)


class Beneficiaries:
    def __init__(
        self,
        store: EventStore,
        identities: Identities | None = None,
        today: Callable[[], date] = today_in_greece,
    ):
        self.store, self.identities, self.today = store, identities, today

    def register(
        self, command: beneficiary.RegisterBeneficiary, metadata: Metadata
    ) -> AppendResult:
        beneficiary.admissible(command, self.today())
        return self._run(command, metadata)

    def register_person(
        self, command: beneficiary.RegisterBeneficiary, metadata: Metadata
    ) -> Registration:
        """A registration that first asks the registry who the person is. The same AMKA met by the
        mobile unit in Pylos and now at the Kalamata centre is one history, not two: that network
        already holds the record. A number held only by another network is registered as a
        record of this site's own, which the identity index links to the person's regional
        record: the answer is a new registration's, so it tells nothing of the other centre
        (docs/security.md, "Identity look-ups")."""
        if self.identities is None:
            raise RuntimeError("registering a person needs the registry's identities")
        beneficiary.admissible(command, self.today())  # before the look-ups tell anything
        personal = {
            k: str(v) if v is not None else None for k, v in dataclasses.asdict(command).items()
        }
        ours = self._held_in_network(self.identities, personal, command.site)
        if ours and str(command.beneficiary_id) not in ours:
            return Registration(None, found_existing=ours[0])
        duplicates = self.identities.possible_duplicates(personal, str(command.beneficiary_id))
        return Registration(self._run(command, metadata), possible_duplicates=duplicates)

    def _held_in_network(self, identities: Identities, personal: dict, site: str) -> list[str]:
        """The person's records (regional first) registered at a site of `site`'s network."""
        network = identities.network_of(site)
        return [
            r
            for r in identities.records_of_person(personal)
            if (self.registration(r) or {}).get("site") in network
        ]

    def registration(self, beneficiary_id) -> dict | None:
        """Who the record says the person is, where they were registered, and whether they were
        erased (then nothing personal is left); None for an id that was never registered."""
        first = self.store.read_stream(stream_name(beneficiary.CATEGORY, beneficiary_id), 1, 1)
        if not first or first[0].type != BENEFICIARY_REGISTERED:
            return None
        event = first[0]
        return {
            "beneficiary_id": str(beneficiary_id),
            "registered": event.payload,
            "erased": event.erased,
            "site": event.metadata.get("site"),
            "recorded_at": event.recorded_at.isoformat(),
        }

    def erase_personal_data(
        self, command: beneficiary.ErasePersonalData, metadata: Metadata
    ) -> AppendResult:
        # the subject key goes in the same transaction as the event: never one without the other
        return self._run(command, metadata, forget_subject=command.beneficiary_id)

    def merge(
        self,
        command: beneficiary.MergeBeneficiary,
        merged_into_duplicate: list[str],
        metadata: Metadata,
    ) -> AppendResult:
        command = dataclasses.replace(
            command,
            survivor=self._state(command.survivor_id),
            merged_into_duplicate=tuple(merged_into_duplicate),
        )
        return self._run(command, metadata)

    def request_merge(self, command: beneficiary.RequestMerge, metadata: Metadata) -> AppendResult:
        survivor = self._state(command.survivor_id)
        return self._run(dataclasses.replace(command, survivor=survivor), metadata)

    def approve_merge_request(
        self,
        command: beneficiary.ApproveMergeRequest,
        merged_into_duplicate: list[str],
        metadata: Metadata,
    ) -> AppendResult:
        """The survivor is the one the pending request names: read it as a merge reads it."""
        pending = self._state(command.beneficiary_id).merge_request
        survivor = self._state(pending.survivor_id) if pending else None
        command = dataclasses.replace(
            command, survivor=survivor, merged_into_duplicate=tuple(merged_into_duplicate)
        )
        return self._run(command, metadata)

    def decline_merge_request(
        self, command: beneficiary.DeclineMergeRequest, metadata: Metadata
    ) -> AppendResult:
        return self._run(command, metadata)

    def _state(self, beneficiary_id) -> beneficiary.Beneficiary:
        return load(self.store, stream_name(beneficiary.CATEGORY, beneficiary_id), _decider).state

    def unmerge(self, command: beneficiary.UnmergeBeneficiary, metadata: Metadata) -> AppendResult:
        return self._run(command, metadata)

    def _run(self, command, metadata: Metadata, forget_subject=None) -> AppendResult:
        stream = stream_name(beneficiary.CATEGORY, command.beneficiary_id)
        return execute(
            self.store,
            stream,
            _decider,
            command,
            metadata,
            sent_by_client(command, beneficiary.FACTS),
            _encode,
            forget_subject=forget_subject,
        )
