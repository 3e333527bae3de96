"""The message every store relay publishes: one event with its place in the source store.

Published to the topic exchange `<source>.events` with routing key = event type (the nameko
convention), JSON, persistent, with the AMQP `user_id` of the source's relay
(`publisher_user`): the broker refuses a `user_id` that is not the connection's own, so a consumer
knows who published what it applies. `prev_position` is the position of the event the relay published
before this one from the same store, so a consumer can tell a gap from a hole left by a rollback.

Personal fields never travel in clear (version 2): `sealed` is the store's own ciphertext of them,
AES-GCM under the subject's key with the event id as associated data, base64. A consumer whose read
model needs them opens it with the key vault (services/common/consumer/opener.py); erasing the
person deletes the key, which makes every copy on the broker's disk unreadable as well. An erased
event travels with `sealed` null and `erased` true.
"""

from __future__ import annotations

import base64
from typing import Any

ENVELOPE_VERSION = 2


def exchange_name(source: str) -> str:
    return f"{source}.events"


def publisher_user(source: str) -> str:
    """The broker user (before an installation's prefix) that alone publishes `<source>.events`."""
    return f"{source}-relay"


def to_message(source: str, event: Any, prev_position: int) -> dict[str, Any]:
    """`event` is a services.common.eventstore.RecordedEvent (duck-typed: contracts import no service code)."""
    return {
        "envelope_version": ENVELOPE_VERSION,
        "source": source,
        "position": event.position,
        "prev_position": prev_position,
        "stream": event.stream,
        "version": event.version,
        "event_id": str(event.event_id),
        "type": event.type,
        "schema_version": event.schema_version,
        "recorded_at": event.recorded_at.isoformat(),
        "metadata": event.metadata,
        "data": event.data,
        "sealed": base64.b64encode(event.sealed).decode() if event.sealed else None,
        "subject_id": str(event.subject_id) if event.subject_id else None,
        "erased": event.erased,
        "hash": event.hash,
    }


def _envelope_schema():
    from marshmallow import Schema, fields

    class EnvelopeSchema(Schema):
        """The message on the bus (see `to_message`)."""

        class Meta:
            ordered = True

        envelope_version = fields.Integer(required=True)
        source = fields.String(required=True)
        position = fields.Integer(required=True)
        prev_position = fields.Integer(required=True)
        stream = fields.String(required=True)
        version = fields.Integer(required=True)
        event_id = fields.UUID(required=True)
        type = fields.String(required=True)
        schema_version = fields.Integer(required=True)
        recorded_at = fields.DateTime(required=True)
        metadata = fields.Dict(required=True)
        data = fields.Dict(required=True)
        sealed = fields.String(required=True, allow_none=True)  # base64 ciphertext
        subject_id = fields.UUID(required=True, allow_none=True)
        erased = fields.Boolean(required=True)
        hash = fields.String(required=True)

    return EnvelopeSchema


EnvelopeSchema = _envelope_schema()
