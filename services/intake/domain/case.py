"""A beneficiary's case at the centres: every contact and service on one stream per person."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from contracts.names import CONTACT_RECORDED
from services.common.domain import DomainEvent

CATEGORY = "case"
CHANNELS = ("centre", "mobile_unit_visit", "home_visit", "phone")


@dataclass(frozen=True)
class RecordContact:
    beneficiary_id: uuid.UUID
    occurred_on: date
    channel: str
    site: str
    municipality_code: str
    staff_id: str
    notes: str | None = None


@dataclass(frozen=True)
class Case:
    contacts: int = 0


initial = Case()


def evolve(state: Case, event) -> Case:
    if event.type == CONTACT_RECORDED:
        return replace(state, contacts=state.contacts + 1)
    return state


def decide(command, state: Case) -> list[DomainEvent]:
    if isinstance(command, RecordContact):
        return [DomainEvent(CONTACT_RECORDED, {**command.__dict__})]
    raise TypeError(f"not an intake command: {command!r}")
