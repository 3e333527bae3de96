"""The beneficiary registry's decider: one person, one beneficiary id, whose personal data can be
erased while their history stays. A person recorded twice is merged explicitly, as an event on
the duplicate's stream, and can be unmerged: both histories stay, reachable from the survivor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from contracts.names import (
    BENEFICIARY_MERGED,
    BENEFICIARY_REGISTERED,
    BENEFICIARY_UNMERGED,
    MERGE_REQUEST_APPROVED,
    MERGE_REQUEST_DECLINED,
    MERGE_REQUESTED,
    PERSONAL_DATA_ERASED,
)
from services.common.domain import (
    Conflict,
    DomainEvent,
    NotFound,
    Rule,
    RuleViolated,
    deciding,
    happened_by,
    known_municipality,
)

CATEGORY = "beneficiary"


@dataclass(frozen=True)
class RegisterBeneficiary:
    beneficiary_id: uuid.UUID
    given_name: str
    family_name: str
    municipality_code: str
    site: str
    birth_date: date | None = None
    amka: str | None = None
    phone: str | None = None
    afm: str | None = None
    paaypa: str | None = None
    gender: str | None = None


@dataclass(frozen=True)
class ErasePersonalData:
    beneficiary_id: uuid.UUID
    reason: str
    requested_by: str


@dataclass(frozen=True)
class MergeRequest:
    """A worker's request, pending the head of centre: merge this record into `survivor_id`."""

    survivor_id: str
    requested_by: str


@dataclass(frozen=True)
class Beneficiary:
    registered: bool = False
    erased: bool = False
    merged_into: str | None = None
    merge_request: MergeRequest | None = None  # pending: one at a time


@dataclass(frozen=True)
class MergeBeneficiary:
    """`beneficiary_id` is the duplicate; it lives on as part of `survivor_id`."""

    beneficiary_id: uuid.UUID
    survivor_id: uuid.UUID
    reason: str
    decided_by: str
    # facts the application reads first: the survivor's state, and who is merged into the duplicate
    survivor: Beneficiary | None = None
    merged_into_duplicate: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnmergeBeneficiary:
    beneficiary_id: uuid.UUID
    reason: str
    decided_by: str


@dataclass(frozen=True)
class RequestMerge:
    """A worker asks that `beneficiary_id` (the duplicate) be merged into `survivor_id`."""

    beneficiary_id: uuid.UUID
    survivor_id: uuid.UUID
    reason: str
    requested_by: str
    survivor: Beneficiary | None = None  # a fact the application reads first


@dataclass(frozen=True)
class ApproveMergeRequest:
    """The head approves the record's pending request: the merge it asked for is decided now."""

    beneficiary_id: uuid.UUID
    reason: str
    decided_by: str
    survivor: Beneficiary | None = None  # facts the application reads first, as for a merge
    merged_into_duplicate: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeclineMergeRequest:
    beneficiary_id: uuid.UUID
    reason: str
    decided_by: str


FACTS = ("survivor", "merged_into_duplicate")


initial = Beneficiary()


def evolve(state: Beneficiary, event) -> Beneficiary:
    if event.type == BENEFICIARY_REGISTERED:
        return replace(state, registered=True)
    if event.type == PERSONAL_DATA_ERASED:
        return replace(state, erased=True)
    if event.type == BENEFICIARY_MERGED:
        return replace(state, merged_into=event.data["survivor_id"], merge_request=None)
    if event.type == MERGE_REQUESTED:
        request = MergeRequest(str(event.data["survivor_id"]), event.data["requested_by"])
        return replace(state, merge_request=request)
    if event.type in (MERGE_REQUEST_APPROVED, MERGE_REQUEST_DECLINED):
        return replace(state, merge_request=None)
    if event.type == BENEFICIARY_UNMERGED:
        return replace(state, merged_into=None)
    return state


def admissible(command: RegisterBeneficiary, today: date) -> None:
    """A person born after today (Greece's day) or living in a municipality the region does not
    have is a typing error: refused with the field named, before anything is looked up."""
    happened_by(today, command)
    known_municipality(command.municipality_code)


def _register_beneficiary(command: RegisterBeneficiary, state: Beneficiary) -> list[DomainEvent]:
    if state.registered:
        raise Conflict(
            "this beneficiary is already registered", beneficiary_id=str(command.beneficiary_id)
        )
    return [DomainEvent(BENEFICIARY_REGISTERED, {**command.__dict__})]


def _erase_personal_data(command: ErasePersonalData, state: Beneficiary) -> list[DomainEvent]:
    if not state.registered:
        raise NotFound("no such beneficiary", beneficiary_id=str(command.beneficiary_id))
    if state.erased:
        return []  # erasing twice changes nothing
    return [DomainEvent(PERSONAL_DATA_ERASED, {**command.__dict__})]


def _unmerge_beneficiary(command: UnmergeBeneficiary, state: Beneficiary) -> list[DomainEvent]:
    if not state.merged_into:
        raise RuleViolated("this beneficiary is not merged into anyone", field="beneficiary_id")
    return [
        DomainEvent(BENEFICIARY_UNMERGED, {**command.__dict__, "survivor_id": state.merged_into})
    ]


def _merge(command: MergeBeneficiary, state: Beneficiary) -> list[DomainEvent]:
    survivor = command.survivor or Beneficiary()
    if command.beneficiary_id == command.survivor_id:
        raise RuleViolated("a beneficiary cannot be merged into themselves", field="survivor_id")
    if not state.registered or not survivor.registered:
        raise NotFound(
            "both beneficiaries must be registered",
            field="survivor_id" if state.registered else "beneficiary_id",
        )
    if state.merged_into == str(command.survivor_id):
        return []  # already merged there
    if state.merged_into:
        raise Conflict(
            "this beneficiary is already merged into another: unmerge first",
            field="beneficiary_id",
            merged_into=state.merged_into,
        )
    if survivor.merged_into:
        # no chains: the surviving id is always one step away from every id it absorbed
        raise RuleViolated(
            "the survivor is itself merged into another beneficiary",
            field="survivor_id",
            merged_into=survivor.merged_into,
        )
    if command.merged_into_duplicate:
        raise RuleViolated(
            "others are merged into this beneficiary: merge the other way round",
            field="beneficiary_id",
        )
    if state.erased or survivor.erased:
        raise RuleViolated("an erased beneficiary cannot be merged", field="beneficiary_id")
    return [
        DomainEvent(
            BENEFICIARY_MERGED, {k: v for k, v in command.__dict__.items() if k not in FACTS}
        )
    ]


def _request_merge(command: RequestMerge, state: Beneficiary) -> list[DomainEvent]:
    survivor = command.survivor or Beneficiary()
    if command.beneficiary_id == command.survivor_id:
        raise RuleViolated("a beneficiary cannot be merged into themselves", field="survivor_id")
    if not state.registered or not survivor.registered:
        raise NotFound(
            "both beneficiaries must be registered",
            field="survivor_id" if state.registered else "beneficiary_id",
        )
    if state.erased or survivor.erased:
        raise RuleViolated("an erased beneficiary cannot be merged", field="beneficiary_id")
    if state.merged_into:
        raise Conflict("this beneficiary is already merged into another", field="beneficiary_id")
    pending = state.merge_request
    if pending and pending.survivor_id == str(command.survivor_id):
        return []  # asked already: the head has it
    if pending:
        raise Conflict(
            "a merge of this record is already waiting for the head of centre",
            field="beneficiary_id",
            survivor_id=pending.survivor_id,
        )
    return [
        DomainEvent(MERGE_REQUESTED, {k: v for k, v in command.__dict__.items() if k not in FACTS})
    ]


def _pending(state: Beneficiary) -> MergeRequest:
    if state.merge_request is None:
        raise NotFound("no merge request of this record is waiting", field="beneficiary_id")
    return state.merge_request


def _approve_merge_request(command: ApproveMergeRequest, state: Beneficiary) -> list[DomainEvent]:
    """Four eyes: the one who asked cannot approve; the merge's own rules then decide."""
    pending = _pending(state)
    if pending.requested_by == command.decided_by:
        raise RuleViolated(
            "a merge request is approved by someone other than who asked", field="decided_by"
        )
    merge = MergeBeneficiary(
        command.beneficiary_id,
        uuid.UUID(pending.survivor_id),
        command.reason,
        command.decided_by,
        command.survivor,
        command.merged_into_duplicate,
    )
    merged = _merge(merge, state)
    decided = {
        "beneficiary_id": command.beneficiary_id,
        "survivor_id": pending.survivor_id,
        "reason": command.reason,
        "decided_by": command.decided_by,
    }
    return [DomainEvent(MERGE_REQUEST_APPROVED, decided), *merged]


def _decline_merge_request(command: DeclineMergeRequest, state: Beneficiary) -> list[DomainEvent]:
    pending = _pending(state)
    return [
        DomainEvent(
            MERGE_REQUEST_DECLINED, {**command.__dict__, "survivor_id": pending.survivor_id}
        )
    ]


DECISIONS: dict[type, Rule] = {
    RequestMerge: _request_merge,
    ApproveMergeRequest: _approve_merge_request,
    DeclineMergeRequest: _decline_merge_request,
    RegisterBeneficiary: _register_beneficiary,
    ErasePersonalData: _erase_personal_data,
    MergeBeneficiary: _merge,
    UnmergeBeneficiary: _unmerge_beneficiary,
}
decide = deciding(DECISIONS)
