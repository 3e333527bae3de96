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
class Beneficiary:
    registered: bool = False
    erased: bool = False
    merged_into: str | None = None


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


FACTS = ("survivor", "merged_into_duplicate")


initial = Beneficiary()


def evolve(state: Beneficiary, event) -> Beneficiary:
    if event.type == BENEFICIARY_REGISTERED:
        return replace(state, registered=True)
    if event.type == PERSONAL_DATA_ERASED:
        return replace(state, erased=True)
    if event.type == BENEFICIARY_MERGED:
        return replace(state, merged_into=event.data["survivor_id"])
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


DECISIONS: dict[type, Rule] = {
    RegisterBeneficiary: _register_beneficiary,
    ErasePersonalData: _erase_personal_data,
    MergeBeneficiary: _merge,
    UnmergeBeneficiary: _unmerge_beneficiary,
}
decide = deciding(DECISIONS)
