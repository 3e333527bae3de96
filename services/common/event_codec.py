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
        data, personal = split_personal(event.type, payload)
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
