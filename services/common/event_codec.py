"""From a decider's DomainEvent to what the store appends: the contract says which version it is
and which fields are personal (sealed under the beneficiary's key)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from contracts.base import event_contract, split_personal
from services.common.domain import DomainEvent
from services.common.eventstore import NewEvent


def encoder(subject_field: str = "beneficiary_id"):
    def encode(event: DomainEvent) -> NewEvent:
        data, personal = split_personal(event.type, jsonable(event.payload))
        subject = event.payload.get(subject_field)
        return NewEvent(
            type=event.type,
            data=data,
            schema_version=event_contract(event.type).version,
            personal=personal,
            subject_id=uuid.UUID(str(subject)) if personal and subject else None,
        )

    return encode


def jsonable(payload: dict) -> dict:
    """Dates, ids and amounts as the JSON contract writes them (an amount as a string: no float)."""
    return {
        k: (
            v.isoformat()
            if hasattr(v, "isoformat")
            else str(v)
            if isinstance(v, uuid.UUID | Decimal)
            else v
        )
        for k, v in payload.items()
    }
