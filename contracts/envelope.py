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


def watch_queue_prefix(user: str) -> str:
    """A queue watching the registry's changes (services/common/registry_facts.py) is named after
    its broker user: the broker lets each user make only its own (deploy/rabbitmq/definitions.py)."""
    return f"{user}.registry-facts."


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


def _says(description: str) -> dict[str, str]:
    return {"description": description}


def _envelope_schema():
    from marshmallow import Schema, fields

    class EnvelopeSchema(Schema):
        """The message on the bus (see `to_message`)."""

        class Meta:
            ordered = True

        envelope_version = fields.Integer(
            required=True, metadata=_says(f"this layout: {ENVELOPE_VERSION}")
        )
        source = fields.String(required=True, metadata=_says("the store that recorded it"))
        position = fields.Integer(
            required=True, metadata=_says("its place in the source store (increasing)")
        )
        prev_position = fields.Integer(
            required=True,
            metadata=_says(
                "the position of the event the relay published before it (-1: none): a gap"
                " between the two is a hole left by a rolled-back write, not a lost message"
            ),
        )
        stream = fields.String(required=True, metadata=_says("`<category>-<id>`, e.g. case-…"))
        version = fields.Integer(required=True, metadata=_says("its version in the stream, from 1"))
        event_id = fields.UUID(required=True, metadata=_says("also the AMQP message_id"))
        type = fields.String(required=True, metadata=_says("the event type, also the routing key"))
        schema_version = fields.Integer(required=True, metadata=_says("the version of `data`"))
        recorded_at = fields.DateTime(required=True, metadata=_says("when the store took it"))
        metadata = fields.Dict(
            required=True,
            metadata=_says(
                "who and where: actor, site, command_id, correlation_id, causation_id and"
                " occurred_at (when it happened, if not when it was recorded), each when known"
            ),
        )
        data = fields.Dict(required=True, metadata=_says("the event's public fields"))
        sealed = fields.String(
            required=True,
            allow_none=True,
            metadata=_says(
                "the personal fields, base64 of nonce (12 bytes) + AES-GCM ciphertext of their"
                " JSON under the subject's key, the event id as associated data; null if none"
            ),
        )
        subject_id = fields.UUID(
            required=True, allow_none=True, metadata=_says("whose key seals `sealed`")
        )
        erased = fields.Boolean(
            required=True, metadata=_says("the subject was erased: `sealed` is null for good")
        )
        hash = fields.String(required=True, metadata=_says("hex SHA-256 chained over the stream"))

    return EnvelopeSchema


EnvelopeSchema = _envelope_schema()
