"""The beneficiary registry's decider: one person, one beneficiary id, whose personal data can be
erased while their history stays."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from contracts.names import BENEFICIARY_REGISTERED, PERSONAL_DATA_ERASED
from services.common.domain import Conflict, DomainEvent, NotFound

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


@dataclass(frozen=True)
class ErasePersonalData:
    beneficiary_id: uuid.UUID
    reason: str
    requested_by: str


@dataclass(frozen=True)
class Beneficiary:
    registered: bool = False
    erased: bool = False


initial = Beneficiary()


def evolve(state: Beneficiary, event) -> Beneficiary:
    if event.type == BENEFICIARY_REGISTERED:
        return replace(state, registered=True)
    if event.type == PERSONAL_DATA_ERASED:
        return replace(state, erased=True)
    return state


def decide(command, state: Beneficiary) -> list[DomainEvent]:
    if isinstance(command, RegisterBeneficiary):
        if state.registered:
            raise Conflict("this beneficiary is already registered", beneficiary_id=str(command.beneficiary_id))
        return [DomainEvent(BENEFICIARY_REGISTERED, {**command.__dict__})]
    if isinstance(command, ErasePersonalData):
        if not state.registered:
            raise NotFound("no such beneficiary", beneficiary_id=str(command.beneficiary_id))
        if state.erased:
            return []  # erasing twice changes nothing
        return [DomainEvent(PERSONAL_DATA_ERASED, {**command.__dict__})]
    raise TypeError(f"not a registry command: {command!r}")
