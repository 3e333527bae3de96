"""What an event store stores and hands back. Plain data: no database, no framework."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

NO_STREAM = 0  # expected version of a stream that must not exist yet
ANY_VERSION = -1  # expected version that skips the concurrency check (system events only)


def stream_name(category: str, entity_id: uuid.UUID | str) -> str:
    return f"{category}-{entity_id}"


def category_of(stream: str) -> str:
    return stream.split("-", 1)[0]


@dataclass(frozen=True)
class Metadata:
    """Who, where and why: kept on every event. `site` is the centre or mobile unit code."""

    actor: str
    site: str
    correlation_id: str | None = None
    causation_id: str | None = None
    command_id: str | None = None
    occurred_at: str | None = None  # when it happened (a mobile unit may sync days later)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class NewEvent:
    """An event about to be appended. `personal` holds the fields that must be forgettable:
    they are encrypted with the key of `subject_id` (a beneficiary) and stored apart from `data`."""

    type: str
    data: dict[str, Any]
    schema_version: int = 1
    personal: dict[str, Any] | None = None
    subject_id: uuid.UUID | None = None
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class RecordedEvent:
    position: int
    stream: str
    version: int
    event_id: uuid.UUID
    type: str
    schema_version: int
    data: dict[str, Any]
    personal: dict[str, Any] | None  # None: no personal fields, or erased (see `erased`)
    subject_id: uuid.UUID | None
    metadata: dict[str, Any]
    recorded_at: datetime
    hash: str  # hex sha-256 chained over the stream: tamper evidence and consistency checks
    erased: bool = False
    # the personal fields as stored, sealed under the subject's key (None: none, or erased): what
    # the relay publishes, so the bus never holds them in clear (read with `sealed_only`)
    sealed: bytes | None = None

    @property
    def payload(self) -> dict[str, Any]:
        return {**self.data, **(self.personal or {})}

    @property
    def category(self) -> str:
        return category_of(self.stream)


@dataclass(frozen=True)
class StreamHead:
    stream: str
    version: int
    hash: str


@dataclass(frozen=True)
class AppendResult:
    stream: str
    version: int  # the stream's version after the append
    events: tuple[RecordedEvent, ...]
    duplicate: bool = False  # the command_id was seen before: nothing new was stored


class EventStoreError(Exception):
    pass


class WrongExpectedVersion(EventStoreError):
    """A stale writer: the stream moved on since the writer read it (HTTP 409)."""

    def __init__(self, stream: str, expected: int, actual: int):
        super().__init__(f"stream {stream} is at version {actual}, not the expected {expected}")
        self.stream, self.expected, self.actual = stream, expected, actual


class CommandIdReused(EventStoreError):
    """The same command_id came back with a different command: a client bug, never a retry."""

    def __init__(self, command_id: str):
        super().__init__(f"command_id {command_id} was already used for a different command")
        self.command_id = command_id
