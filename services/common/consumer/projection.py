"""What a read model implements to be fed by the consumer. Plain Python over a DB cursor."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.common.db import Migration


@dataclass(frozen=True)
class SourceEvent:
    """One event as delivered from a source store (see contracts/envelope.py)."""

    source: str
    position: int
    prev_position: int
    stream: str
    version: int
    event_id: str
    type: str
    schema_version: int
    recorded_at: datetime
    metadata: dict[str, Any]
    data: dict[str, Any]
    personal: dict[str, Any] | None  # opened only for a read model that opens_personal
    subject_id: str | None
    erased: bool
    hash: str
    sealed: bytes | None = None  # the personal fields as they travel (contracts/envelope.py)

    @property
    def payload(self) -> dict[str, Any]:
        return {**self.data, **(self.personal or {})}

    @classmethod
    def from_envelope(cls, env: dict[str, Any]) -> SourceEvent:
        recorded_at = env["recorded_at"]
        if isinstance(recorded_at, str):
            recorded_at = datetime.fromisoformat(recorded_at)
        return cls(
            env["source"],
            env["position"],
            env["prev_position"],
            env["stream"],
            env["version"],
            env["event_id"],
            env["type"],
            env["schema_version"],
            recorded_at,
            env["metadata"],
            env["data"],
            None,
            env.get("subject_id"),
            env.get("erased", False),
            env["hash"],
            base64.b64decode(env["sealed"]) if env.get("sealed") else None,
        )

    def without_personal(self) -> dict[str, Any]:
        """What a dead letter may keep: personal fields are re-read from the source when needed."""
        return {
            "stream": self.stream,
            "version": self.version,
            "type": self.type,
            "event_id": self.event_id,
            "schema_version": self.schema_version,
            "data": self.data,
            "metadata": self.metadata,
            "recorded_at": self.recorded_at.isoformat(),
        }


class Projection:
    """A read model. `apply_batch` runs inside the consumer's transaction, which also records the
    checkpoint, so an event's effect and its checkpoint commit together. Raising marks an event
    as poison (dead-lettered); database connection errors are retried instead."""

    name: str = ""
    sources: tuple[str, ...] = ()
    migrations: list[Migration] = []
    # True: the read model needs personal fields (e.g. an indicator's attributes); its consumer
    # opens them with the key vault, which the read model's role may then read (never write)
    opens_personal: bool = False

    def apply(self, cur, event: SourceEvent) -> None:
        raise NotImplementedError

    def apply_batch(self, cur, events: list[SourceEvent]) -> None:
        for event in events:
            self.apply(cur, event)

    def reset(self, cur) -> None:
        """Empty the read model's own tables (the consumer resets its checkpoints)."""
        raise NotImplementedError
