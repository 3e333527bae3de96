"""The event store on PostgreSQL.

Writers queue on a transaction-scoped advisory lock (one per store) taken before they draw a
position and held until commit (the lock is released after the commit is visible), so
positions become visible in the order they were drawn: a reader tailing `position > n` can never
skip an event that commits late (backbone guarantee 5; the eventsourcing library does the same).
A rolled-back append leaves a hole in positions, never a skipped event.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from typing import NamedTuple

import psycopg2.errors
import psycopg2.extras

from services.common import outages
from services.common.db import Database, advisory_key
from services.common.personal_data import KeyVault, SubjectErased

from .chain import STORED, StoredRow
from .hashing import GENESIS, canonical_json, chain_hash
from .model import (
    ANY_VERSION,
    NO_STREAM,
    AppendResult,
    CommandIdReused,
    Metadata,
    NewEvent,
    RecordedEvent,
    StreamHead,
    WrongExpectedVersion,
    category_of,
)
from .port import EventStore

Upcaster = Callable[[str, int, dict], tuple[int, dict]]

_COLUMNS = STORED
MAX_VERSION = 2**31 - 1  # versions are PostgreSQL integers: a client's larger one is stale

# append_events (sql/002_append_in_one_round_trip.sql), by argument name; the arrays are cast
# because an array of NULLs (no personal fields) has no type of its own
_ARGUMENT_TYPES = {
    "stream": "text",
    "category": "text",
    "expected": "integer",
    "prev_version": "integer",
    "prev_hash": "text",
    "command_id": "text",
    "fingerprint": "text",
    "metadata": "jsonb",
    "recorded_at": "timestamptz",
    "event_ids": "uuid[]",
    "types": "text[]",
    "schema_versions": "integer[]",
    "data": "text[]",
    "personal": "bytea[]",
    "subjects": "uuid[]",
    "hashes": "text[]",
    "append_lock": "bigint",
    "channel": "text",
    "vault": "text",
    "sealed_for": "uuid[]",
    "subject_locks": "bigint[]",
}
_APPEND_EVENTS = "SELECT * FROM append_events({})".format(
    ", ".join(f"p_{name} => %({name})s::{type_}" for name, type_ in _ARGUMENT_TYPES.items())
)
_KNOWN_HEADS = 10_000  # streams whose head this process remembers, to hash an append on


class _Outcome(NamedTuple):
    """What append_events answers; a row of `commands` when the command was handled before."""

    outcome: str  # appended, duplicate, conflict, moved or erased
    head_version: int
    head_hash: str | None
    positions: list[int] | None
    earlier_stream: str | None
    earlier_fingerprint: str | None
    earlier_first: int | None
    earlier_last: int | None
    erased_subject: uuid.UUID | None


def _subject_of(event: NewEvent) -> uuid.UUID:
    if event.subject_id is None:
        raise ValueError(f"{event.type}: personal fields need a subject_id")
    return event.subject_id


def _no_upcast(type_: str, version: int, payload: dict) -> tuple[int, dict]:
    return version, payload


class PostgresEventStore(EventStore):
    def __init__(
        self,
        db: Database,
        vault: KeyVault,
        *,
        upcast: Upcaster = _no_upcast,
        on_append: Callable[[list[RecordedEvent], float], None] | None = None,
        inline_projections: Sequence[Callable[[object, list[RecordedEvent]], None]] = (),
        chain_key: bytes | None = None,
    ):
        self.db, self.vault, self._upcast = db, vault, upcast
        self._chain_key = chain_key  # None: plain SHA-256 chain; else HMAC under it (hashing.py)
        # run inside the append's transaction: for look-ups that must be exactly as current as the
        # stream (a registry's identity index), never for read models (those are the consumers')
        self._inline = tuple(inline_projections)
        self._on_append = on_append  # metrics hook: (events appended, seconds)
        self.notify_channel = f"kentra_events_{db.schema}"
        self._append_lock = advisory_key(f"append:{db.schema}")
        # stream -> (version, hash) last read or written here, least recently used first
        self._known_heads: dict[str, tuple[int, str]] = {}
        self._heads_lock = threading.Lock()

    # -- writing --------------------------------------------------------------------------------
    def append(
        self, stream, expected_version, events, metadata, *, fingerprint=None, forget_subject=None
    ):
        started = time.perf_counter()
        if expected_version > MAX_VERSION:  # no stream gets there (a version is an int4)
            head = self.head(stream)
            raise WrongExpectedVersion(stream, expected_version, head.version if head else 0)
        if self._inline or forget_subject is not None:
            # projections and erasure run in Python inside the append's transaction
            result = self._append_in_transaction(
                stream, expected_version, events, metadata, fingerprint, forget_subject
            )
        else:
            result = self._append_in_one_call(
                stream, expected_version, events, metadata, fingerprint
            )
        if result.events:
            self._remember(stream, result.events[-1].version, result.events[-1].hash)
        if self._on_append and result.events and not result.duplicate:
            self._on_append(list(result.events), time.perf_counter() - started)
        return result

    def _append_in_one_call(self, stream, expected_version, events, metadata, fingerprint):
        """The common append: one call of append_events (sql/002_append_in_one_round_trip.sql),
        which is its own transaction, hashed on the head this process last saw of the stream.
        Only a head it did not know costs a second call (the first answers with the head)."""
        keys = self._keys_of(events)
        version, prev_hash = self._assumed_head(stream, expected_version)
        while True:
            rows = self._rows(keys, stream, version, prev_hash, events, metadata)
            with self.db.statement() as cur:
                if metadata.command_id:
                    outages.write_sent()  # the call commits: once sent, the command may be stored
                try:
                    cur.execute(
                        _APPEND_EVENTS,
                        self._arguments(
                            stream,
                            expected_version,
                            version,
                            prev_hash,
                            rows,
                            keys,
                            metadata,
                            fingerprint,
                        ),
                    )
                except psycopg2.errors.UniqueViolation as exc:  # only if the lock was bypassed
                    raise WrongExpectedVersion(stream, version, -1) from exc
                (out,) = map(_Outcome._make, cur.fetchall())  # always one row
                if out.outcome == "duplicate":
                    return self._earlier(cur, metadata.command_id, stream, fingerprint, out)
            if out.outcome == "appended":
                recorded = [
                    RecordedEvent(p, *rest)
                    for (_, rest), p in zip(rows, out.positions or [], strict=True)
                ]
                return AppendResult(stream, version + len(recorded), tuple(recorded))
            if out.head_version and out.head_hash:
                self._remember(stream, out.head_version, out.head_hash)
            if out.outcome == "conflict":
                raise WrongExpectedVersion(stream, expected_version, out.head_version)
            if out.erased_subject is not None:  # "erased"
                raise SubjectErased(out.erased_subject)
            # "moved": hash again on the stream's real head (the lock is gone: it may move again)
            version, prev_hash = out.head_version, out.head_hash or GENESIS

    def _assumed_head(self, stream, expected_version) -> tuple[int, str]:
        """The head to hash on: a new stream's is known; an existing stream's hash is known only
        if this process read or wrote it there (a version's hash never changes, so it is never
        wrong, only perhaps no longer the head)."""
        if expected_version == NO_STREAM:
            return 0, GENESIS
        known = self._known_heads.get(stream)
        if expected_version == ANY_VERSION:
            return known or (0, GENESIS)
        if known is not None and known[0] == expected_version:
            return known
        # GENESIS is no stream's head hash past version 0: the call answers "moved", with the head
        return expected_version, GENESIS

    def _remember(self, stream: str, version: int, hash_: str) -> None:
        with self._heads_lock:
            known = self._known_heads.pop(stream, None)
            self._known_heads[stream] = (
                known if known is not None and known[0] > version else (version, hash_)
            )
            if len(self._known_heads) > _KNOWN_HEADS:  # the stream unused longest goes
                del self._known_heads[next(iter(self._known_heads))]

    def _keys_of(self, events: Sequence[NewEvent]) -> dict[uuid.UUID, bytes]:
        """The keys to seal under, read in one statement; a key is made (its own transaction, under
        the subject's lock) only for a subject's first personal fields. append_events checks,
        under the subject's lock, that none was erased since."""
        subjects = {_subject_of(e) for e in events if e.personal}
        if not subjects:
            return {}
        with self.db.statement() as cur:
            keys = self.vault.keys_for(cur, subjects)
        missing = subjects - keys.keys()
        if missing:
            with self.db.transaction() as cur:
                keys.update({s: self.vault.key_for(cur, s) for s in sorted(missing)})
        return keys

    def _arguments(
        self, stream, expected_version, version, prev_hash, rows, keys, metadata, fingerprint
    ) -> dict:
        stored = [row for row, _ in rows]
        # a row: stream, category, version, event_id, type, schema_version, data, personal,
        # subject_id, metadata, recorded_at, hash
        columns = [list(c) for c in zip(*stored, strict=True)] if stored else [[]] * 12
        sealed_for = sorted(keys)
        return {
            "stream": stream,
            "category": category_of(stream),
            "expected": expected_version,
            "prev_version": version,
            "prev_hash": prev_hash,
            "command_id": metadata.command_id,
            "fingerprint": fingerprint,
            "metadata": stored[0][9] if stored else None,
            "recorded_at": stored[0][10] if stored else None,
            "event_ids": columns[3],
            "types": columns[4],
            "schema_versions": columns[5],
            "data": columns[6],
            "personal": columns[7],
            "subjects": columns[8],
            "hashes": columns[11],
            "append_lock": self._append_lock,
            "channel": self.notify_channel,
            "vault": self.vault.schema,
            "sealed_for": sealed_for,
            "subject_locks": [KeyVault.subject_lock(s) for s in sealed_for],
        }

    def _append_in_transaction(
        self, stream, expected_version, events, metadata, fingerprint, forget_subject
    ):
        with self.db.transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (self._append_lock,))
            if metadata.command_id:
                earlier = self._earlier_result(cur, metadata.command_id, stream, fingerprint)
                if earlier is not None:
                    return earlier
            head = self._head(cur, stream)
            current = head.version if head else 0
            if expected_version != ANY_VERSION and expected_version != current:
                raise WrongExpectedVersion(stream, expected_version, current)
            keys = {
                s: self.vault.key_for(cur, s)
                for s in dict.fromkeys(_subject_of(e) for e in events if e.personal)
            }
            rows = self._rows(
                keys, stream, current, head.hash if head else GENESIS, events, metadata
            )
            recorded = self._insert(cur, rows)
            for project in self._inline:
                project(cur, recorded)
            if forget_subject is not None:
                self.vault.forget(cur, forget_subject)
            if metadata.command_id:
                cur.execute(
                    "INSERT INTO commands (command_id, stream, fingerprint, first_position,"
                    " last_position) VALUES (%s, %s, %s, %s, %s)",
                    (
                        metadata.command_id,
                        stream,
                        fingerprint,
                        recorded[0].position if recorded else None,
                        recorded[-1].position if recorded else None,
                    ),
                )
            if recorded:
                cur.execute(
                    "SELECT pg_notify(%s, %s)", (self.notify_channel, str(recorded[-1].position))
                )
            if metadata.command_id:
                outages.write_sent()  # only COMMIT is left: if it breaks, the command may be stored
        return AppendResult(stream, current + len(recorded), tuple(recorded))

    def earlier_result(self, command_id, stream, fingerprint=None):
        with self.db.transaction() as cur:
            return self._earlier_result(cur, command_id, stream, fingerprint)

    def _earlier_result(self, cur, command_id, stream, fingerprint) -> AppendResult | None:
        cur.execute(
            "SELECT stream, fingerprint, first_position, last_position FROM commands"
            " WHERE command_id = %s",
            (command_id,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        head = self._head(cur, stream)
        earlier_stream, earlier_fingerprint, first, last = row
        found = _Outcome(
            "duplicate",
            head.version if head else 0,
            None,
            None,
            earlier_stream,
            earlier_fingerprint,
            first,
            last,
            None,
        )
        return self._earlier(cur, command_id, stream, fingerprint, found)

    def _earlier(self, cur, command_id, stream, fingerprint, found: _Outcome) -> AppendResult:
        """The first result of a command handled before (`found`: its row of `commands`)."""
        if found.earlier_stream != stream or (
            fingerprint and found.earlier_fingerprint and fingerprint != found.earlier_fingerprint
        ):
            raise CommandIdReused(command_id)
        events = []
        if found.earlier_first is not None:
            cur.execute(
                f"SELECT {_COLUMNS} FROM events WHERE position BETWEEN %s AND %s ORDER BY position",
                (found.earlier_first, found.earlier_last),
            )
            events = self._decode(cur, cur.fetchall())
        return AppendResult(
            stream,
            events[-1].version if events else found.head_version,
            tuple(events),
            duplicate=True,
        )

    def _rows(
        self,
        keys: dict[uuid.UUID, bytes],
        stream: str,
        version: int,
        prev_hash: str,
        events: Sequence[NewEvent],
        metadata: Metadata,
    ):
        """Rows to insert, each with the RecordedEvent it becomes (position filled in on insert),
        chained on the head (`version`, `prev_hash`); personal fields sealed under `keys`."""
        meta = metadata.as_dict()
        meta_json = canonical_json(meta)
        rows = []
        recorded_at = datetime.now(UTC)  # one instant for events that commit together
        for e in events:
            version += 1
            sealed = None
            if e.personal:
                sealed = self.vault.cipher.seal(keys[_subject_of(e)], e.event_id, e.personal)
            subject = str(e.subject_id) if e.subject_id else None
            data_json = canonical_json(e.data)
            prev_hash = chain_hash(
                prev_hash,
                stream=stream,
                version=version,
                event_id=str(e.event_id),
                type=e.type,
                schema_version=e.schema_version,
                data_json=data_json,
                sealed_personal=sealed,
                subject_id=subject,
                metadata_json=meta_json,
                recorded_at=recorded_at,
                key=self._chain_key,
            )
            row = (
                stream,
                category_of(stream),
                version,
                e.event_id,
                e.type,
                e.schema_version,
                data_json.decode(),
                sealed,
                subject,
                meta_json.decode(),
                recorded_at,
                prev_hash,
            )
            rest = (
                stream,
                version,
                e.event_id,
                e.type,
                e.schema_version,
                e.data,
                e.personal,
                e.subject_id,
                meta,
                recorded_at,
                prev_hash,
            )  # a RecordedEvent once its position is known
            rows.append((row, rest))
        return rows

    def _insert(self, cur, rows) -> list[RecordedEvent]:
        if not rows:
            return []
        try:
            positions = psycopg2.extras.execute_values(
                cur,
                "INSERT INTO events (stream, category, version, event_id, type, schema_version, data, personal,"
                " subject_id, metadata, recorded_at, hash) VALUES %s RETURNING position",
                [row for row, _ in rows],
                template="(%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s::uuid, %s::jsonb, %s, %s)",
                page_size=len(rows),
                fetch=True,
            )
        except (
            psycopg2.errors.UniqueViolation
        ) as exc:  # only reachable if someone bypasses the lock
            raise WrongExpectedVersion(rows[0][0][0], rows[0][0][2] - 1, -1) from exc
        # identity values are drawn in row order within one INSERT
        return [
            RecordedEvent(p, *rest) for (_, rest), (p,) in zip(rows, sorted(positions), strict=True)
        ]

    # -- reading: each statement its own snapshot, one round trip (no BEGIN, no COMMIT); a key
    # looked up after the rows it seals exists unless erased meanwhile, and then the event reads
    # as erased, as it would a moment later --------------------------------------------------
    def read_stream(self, stream, from_version=1, limit=1000, *, sealed_only=False):
        with self.db.statement() as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM events WHERE stream = %s AND version >= %s ORDER BY version LIMIT %s",
                (stream, from_version, limit),
            )
            events = self._decode(cur, cur.fetchall(), sealed_only)
        if events:  # a command decided on what it read appends on it: its hash is known
            self._remember(stream, events[-1].version, events[-1].hash)
        return events

    def read_all(self, after_position=0, limit=1000, categories=None, *, sealed_only=False):
        with self.db.statement() as cur:
            if categories:
                cur.execute(
                    f"SELECT {_COLUMNS} FROM events WHERE position > %s AND category = ANY(%s)"
                    " ORDER BY position LIMIT %s",
                    (after_position, list(categories), limit),
                )
            else:
                cur.execute(
                    f"SELECT {_COLUMNS} FROM events WHERE position > %s ORDER BY position LIMIT %s",
                    (after_position, limit),
                )
            return self._decode(cur, cur.fetchall(), sealed_only)

    def head(self, stream):
        with self.db.statement() as cur:
            head = self._head(cur, stream)
        if head is not None:
            self._remember(stream, head.version, head.hash)
        return head

    def heads(self, categories=None):
        with self.db.statement() as cur:
            cur.execute(
                "SELECT DISTINCT ON (stream) stream, version, hash FROM events"
                " WHERE (%s::text[] IS NULL OR category = ANY(%s::text[])) ORDER BY stream, version DESC",
                (list(categories) if categories else None,) * 2,
            )
            return [StreamHead(*r) for r in cur.fetchall()]

    def last_position(self):
        with self.db.statement() as cur:
            cur.execute("SELECT coalesce(max(position), 0) FROM events")
            (position,) = cur.fetchone() or (0,)
            return position

    @staticmethod
    def _head(cur, stream) -> StreamHead | None:
        cur.execute(
            "SELECT version, hash FROM events WHERE stream = %s ORDER BY version DESC LIMIT 1",
            (stream,),
        )
        row = cur.fetchone()
        return StreamHead(stream, row[0], row[1]) if row else None

    def _decode(self, cur, rows, sealed_only: bool = False) -> list[RecordedEvent]:
        subjects = (r[8] for r in rows if r[7] is not None)
        # handed on sealed, a key need only exist; opened, it is unwrapped
        keys: dict[uuid.UUID, bytes] = {}
        held: AbstractSet[uuid.UUID]
        if sealed_only:
            held = self.vault.holders(cur, subjects)
        else:
            keys = self.vault.keys_for(cur, subjects)
            held = keys.keys()
        out = []
        for row in rows:
            r = StoredRow._make(row)
            event_id, type_, schema_version, data = r.event_id, r.type, r.schema_version, r.data
            personal, erased, sealed = None, False, None
            if r.sealed is not None:
                if r.subject not in held:
                    erased = True
                elif sealed_only:
                    sealed = bytes(r.sealed)
                else:
                    personal = self.vault.cipher.open(keys[r.subject], event_id, bytes(r.sealed))
            if personal is None:
                schema_version, data = self._upcast(type_, schema_version, data)
            else:  # upcasters see the whole event; the personal fields stay apart afterwards
                schema_version, merged = self._upcast(type_, schema_version, {**data, **personal})
                data = {k: v for k, v in merged.items() if k not in personal}
                personal = {k: merged[k] for k in personal if k in merged}
            out.append(
                RecordedEvent(
                    r.position,
                    r.stream,
                    r.version,
                    event_id,
                    type_,
                    schema_version,
                    data,
                    personal,
                    r.subject,
                    r.metadata,
                    r.recorded_at,
                    r.hash,
                    erased,
                    sealed,
                )
            )
        return out
