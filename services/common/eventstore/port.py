"""The event store port. Every implementation passes tests/eventstore_contract.py."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence

from .model import AppendResult, Metadata, NewEvent, RecordedEvent, StreamHead


class EventStore(ABC):
    @abstractmethod
    def append(
        self,
        stream: str,
        expected_version: int,
        events: Sequence[NewEvent],
        metadata: Metadata,
        *,
        fingerprint: str | None = None,
        forget_subject: uuid.UUID | None = None,
    ) -> AppendResult:
        """Append atomically at `expected_version` (NO_STREAM for a new stream).

        With `metadata.command_id` set, a second append of the same command stores nothing and
        returns the first result (duplicate=True); `fingerprint` tells a retry from a reused id.
        `forget_subject` deletes that subject's key in the same transaction (erasure)."""

    @abstractmethod
    def earlier_result(
        self, command_id: str, stream: str, fingerprint: str | None = None
    ) -> AppendResult | None:
        """What this command_id produced before (duplicate=True), or None if it is new."""

    @abstractmethod
    def read_stream(
        self, stream: str, from_version: int = 1, limit: int = 1000, *, sealed_only: bool = False
    ) -> list[RecordedEvent]:
        """`sealed_only`: personal fields are not opened, only handed on sealed (`sealed`), for
        what leaves the service (the relay, the backbone reads); `data` is upcast alone."""

    @abstractmethod
    def read_all(
        self,
        after_position: int = 0,
        limit: int = 1000,
        categories: Sequence[str] | None = None,
        *,
        sealed_only: bool = False,
    ) -> list[RecordedEvent]:
        """Events after a global position, in position order. Never skips a late commit."""

    @abstractmethod
    def head(self, stream: str) -> StreamHead | None: ...

    @abstractmethod
    def heads(self, categories: Sequence[str] | None = None) -> list[StreamHead]: ...

    @abstractmethod
    def last_position(self) -> int: ...
