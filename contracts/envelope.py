"""The message every store relay publishes: one event with its place in the source store.

Published to the topic exchange `<source>.events` with routing key = event type (the nameko
convention), JSON, persistent. `prev_position` is the position of the event the relay published
before this one from the same store, so a consumer can tell a gap from a hole left by a rollback.
"""
from __future__ import annotations

from typing import Any

ENVELOPE_VERSION = 1


def exchange_name(source: str) -> str:
    return f"{source}.events"


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
        "personal": event.personal,
        "subject_id": str(event.subject_id) if event.subject_id else None,
        "erased": event.erased,
        "hash": event.hash,
    }
