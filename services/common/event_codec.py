"""From a decider's DomainEvent to what the store appends: the contract says which version it is
and which fields are personal (sealed under the beneficiary's key)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from marshmallow import ValidationError

from contracts.base import event_contract, split_personal, validate_event
from services.common.domain import DomainEvent
from services.common.eventstore import NewEvent


class DecidedEventBroken(Exception):
    """A decider emitted an event its own contract refuses: our bug, never the client's."""


def encoder(subject_field: str = "beneficiary_id"):
    def encode(event: DomainEvent) -> NewEvent:
        payload = jsonable(event.payload)
        try:  # what is stored (and published) is what the contract promises consumers
            validate_event(event.type, payload)
        except ValidationError as exc:
            raise DecidedEventBroken(
                f"{event.type} does not match its contract: {exc.messages}"
            ) from exc
        return as_new_event(event.type, payload, event.payload.get(subject_field))

    return encode


def as_new_event(type_: str, payload: dict, subject) -> NewEvent:
    """A checked payload as stored: the contract's version, its personal fields apart, sealed under
    `subject`'s key. Apart from `encode` for a bulk load (bench/national.py), which validates a
    sample only: loading a schema per event costs ten times the rest of the encoding."""
    data, personal = split_personal(type_, payload)
    return NewEvent(
        type=type_,
        data=data,
        schema_version=event_contract(type_).version,
        personal=personal,
        subject_id=uuid.UUID(str(subject)) if personal and subject else None,
    )


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
