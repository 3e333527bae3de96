"""The event store on PostgreSQL.

Writers queue on a transaction-scoped advisory lock (one per store) taken before they draw a
position and held until commit (the lock is released after the commit is visible), so
positions become visible in the order they were drawn: a reader tailing `position > n` can never
skip an event that commits late (backbone guarantee 5; the eventsourcing library does the same).
A rolled-back append leaves a hole in positions, never a skipped event.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime

import psycopg2.errors
import psycopg2.extras

from services.common.db import Database, advisory_key
from services.common.personal_data import KeyVault

from .chain import STORED, StoredRow
from .hashing import GENESIS, canonical_json, chain_hash
from .model import (
    ANY_VERSION,
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

    # -- writing --------------------------------------------------------------------------------
    def append(
        self, stream, expected_version, events, metadata, *, fingerprint=None, forget_subject=None
    ):
        started = time.perf_counter()
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
            rows = self._rows(
                cur, stream, current, head.hash if head else GENESIS, events, metadata
            )
            recorded = self._insert(cur, rows)
            for project in self._inline:
                project(cur, recorded)
            if forget_subject is not None:
                self.vault.forget(cur, forget_subject)
            if metadata.command_id:
                cur.execute(
                    "INSERT INTO commands (command_id, stream, fingerprint, first_position, last_position)"
                    " VALUES (%s, %s, %s, %s, %s)",
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
        if self._on_append and recorded:
            self._on_append(recorded, time.perf_counter() - started)
        return AppendResult(stream, current + len(recorded), tuple(recorded))

    def earlier_result(self, command_id, stream, fingerprint=None):
        with self.db.transaction() as cur:
            return self._earlier_result(cur, command_id, stream, fingerprint)

    def _earlier_result(self, cur, command_id, stream, fingerprint) -> AppendResult | None:
        cur.execute(
            "SELECT stream, fingerprint, first_position, last_position FROM commands WHERE command_id = %s",
            (command_id,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        earlier_stream, earlier_fp, first, last = row
        if earlier_stream != stream or (fingerprint and earlier_fp and fingerprint != earlier_fp):
            raise CommandIdReused(command_id)
        events = []
        if first is not None:
            cur.execute(
                f"SELECT {_COLUMNS} FROM events WHERE position BETWEEN %s AND %s ORDER BY position",
                (first, last),
            )
            events = self._decode(cur, cur.fetchall())
        head = self._head(cur, stream)
        return AppendResult(
            stream,
            events[-1].version if events else (head.version if head else 0),
            tuple(events),
            duplicate=True,
        )

    def _rows(
        self, cur, stream, version, prev_hash, events: Sequence[NewEvent], metadata: Metadata
    ):
        """Rows to insert, each with the RecordedEvent it becomes (position filled in on insert)."""
        meta = metadata.as_dict()
        meta_json = canonical_json(meta)
        rows, keys = [], {}
        recorded_at = datetime.now(UTC)  # one instant for events that commit together
        for e in events:
            version += 1
            sealed = None
            if e.personal:
                if e.subject_id is None:
                    raise ValueError(f"{e.type}: personal fields need a subject_id")
                if e.subject_id not in keys:
                    keys[e.subject_id] = self.vault.key_for(cur, e.subject_id)
                sealed = self.vault.cipher.seal(keys[e.subject_id], e.event_id, e.personal)
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

    # -- reading --------------------------------------------------------------------------------
    def read_stream(self, stream, from_version=1, limit=1000, *, sealed_only=False):
        with self.db.transaction() as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM events WHERE stream = %s AND version >= %s ORDER BY version LIMIT %s",
                (stream, from_version, limit),
            )
            return self._decode(cur, cur.fetchall(), sealed_only)

    def read_all(self, after_position=0, limit=1000, categories=None, *, sealed_only=False):
        with self.db.transaction() as cur:
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
        with self.db.transaction() as cur:
            return self._head(cur, stream)

    def heads(self, categories=None):
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT DISTINCT ON (stream) stream, version, hash FROM events"
                " WHERE (%s::text[] IS NULL OR category = ANY(%s::text[])) ORDER BY stream, version DESC",
                (list(categories) if categories else None,) * 2,
            )
            return [StreamHead(*r) for r in cur.fetchall()]

    def last_position(self):
        with self.db.transaction() as cur:
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
