"""An in-memory event store for unit tests of the application layer. Same contract as the
PostgreSQL store (tests/eventstore_contract.py is the one suite, run against this store by
tests/unit/test_eventstore_memory.py and against PostgreSQL by tests/integration/test_eventstore_postgres.py)."""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime

from services.common.personal_data import PersonalDataCipher, SubjectErased

from .hashing import GENESIS, canonical_json, chain_hash
from .model import (
    ANY_VERSION,
    AppendResult,
    CommandIdReused,
    RecordedEvent,
    StreamHead,
    WrongExpectedVersion,
)
from .port import EventStore


class InMemoryEventStore(EventStore):
    def __init__(self):
        self._events: list[RecordedEvent] = []
        self._commands: dict[str, tuple[str, str | None, list[RecordedEvent]]] = {}
        # each subject's key (gone on erasure): personal fields are sealed with it only when read
        # `sealed_only`, as the PostgreSQL store hands events to the bus
        self.cipher = PersonalDataCipher(os.urandom(32))
        self.subject_keys: dict[uuid.UUID, bytes] = {}
        self._forgotten: set[uuid.UUID] = set()
        self._lock = threading.Lock()

    def earlier_result(self, command_id, stream, fingerprint=None):
        with self._lock:
            return self._earlier_result(command_id, stream, fingerprint)

    def _earlier_result(self, command_id, stream, fingerprint):
        if command_id not in self._commands:
            return None
        earlier_stream, earlier_fp, recorded = self._commands[command_id]
        if earlier_stream != stream or (fingerprint and earlier_fp and fingerprint != earlier_fp):
            raise CommandIdReused(command_id)
        head = self._head(stream)
        version = recorded[-1].version if recorded else (head.version if head else 0)
        return AppendResult(stream, version, tuple(self._visible(recorded)), duplicate=True)

    def append(
        self, stream, expected_version, events, metadata, *, fingerprint=None, forget_subject=None
    ):
        with self._lock:
            earlier = (
                self._earlier_result(metadata.command_id, stream, fingerprint)
                if metadata.command_id
                else None
            )
            if earlier is not None:
                return earlier
            head = self._head(stream)
            current = head.version if head else 0
            if expected_version != ANY_VERSION and expected_version != current:
                raise WrongExpectedVersion(stream, expected_version, current)
            prev_hash, recorded = head.hash if head else GENESIS, []
            meta = metadata.as_dict()
            for i, e in enumerate(events, start=1):
                if e.personal and e.subject_id in self._forgotten:
                    raise SubjectErased(e.subject_id)
                if e.personal:
                    self.subject_keys.setdefault(e.subject_id, os.urandom(32))
                at = datetime.now(UTC)
                subject = str(e.subject_id) if e.subject_id else None
                prev_hash = chain_hash(
                    prev_hash,
                    stream=stream,
                    version=current + i,
                    event_id=str(e.event_id),
                    type=e.type,
                    schema_version=e.schema_version,
                    data_json=canonical_json(e.data),
                    sealed_personal=canonical_json(e.personal) if e.personal else None,
                    subject_id=subject,
                    metadata_json=canonical_json(meta),
                    recorded_at=at,
                )
                recorded.append(
                    RecordedEvent(
                        len(self._events) + i,
                        stream,
                        current + i,
                        e.event_id,
                        e.type,
                        e.schema_version,
                        dict(e.data),
                        dict(e.personal) if e.personal else None,
                        e.subject_id,
                        meta,
                        at,
                        prev_hash,
                    )
                )
            self._events.extend(recorded)
            if forget_subject is not None:
                self.subject_keys.pop(forget_subject, None)
                self._forgotten.add(forget_subject)
            if metadata.command_id:
                self._commands[metadata.command_id] = (stream, fingerprint, recorded)
            return AppendResult(stream, current + len(recorded), tuple(self._visible(recorded)))

    def read_stream(self, stream, from_version=1, limit=1000, *, sealed_only=False):
        with self._lock:
            found = [e for e in self._events if e.stream == stream and e.version >= from_version]
            return self._visible(found[:limit], sealed_only)

    def read_all(self, after_position=0, limit=1000, categories=None, *, sealed_only=False):
        with self._lock:
            found = [
                e
                for e in self._events
                if e.position > after_position and (not categories or e.category in categories)
            ]
            return self._visible(found[:limit], sealed_only)

    def head(self, stream):
        with self._lock:
            return self._head(stream)

    def heads(self, categories=None):
        with self._lock:
            last: dict[str, RecordedEvent] = {}
            for e in self._events:
                if not categories or e.category in categories:
                    last[e.stream] = e
            return sorted(
                (StreamHead(s, e.version, e.hash) for s, e in last.items()), key=lambda h: h.stream
            )

    def last_position(self):
        with self._lock:
            return len(self._events)

    def _head(self, stream):
        for e in reversed(self._events):
            if e.stream == stream:
                return StreamHead(stream, e.version, e.hash)
        return None

    def _visible(self, events, sealed_only: bool = False):
        """What a reader gets: an erased subject's personal fields are gone."""
        out = []
        for e in events:
            key = self.subject_keys.get(e.subject_id) if e.personal is not None else None
            if sealed_only and key is not None:
                e = replace(e, personal=None, sealed=self.cipher.seal(key, e.event_id, e.personal))
            elif e.personal is not None and key is None:
                e = RecordedEvent(
                    e.position,
                    e.stream,
                    e.version,
                    e.event_id,
                    e.type,
                    e.schema_version,
                    e.data,
                    None,
                    e.subject_id,
                    e.metadata,
                    e.recorded_at,
                    e.hash,
                    erased=True,
                )
            out.append(e)
        return out
