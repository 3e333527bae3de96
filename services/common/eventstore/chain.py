"""Checking a store's hash chains from the rows as stored (not as read through the store, which
opens, upcasts and forgets): every stream's versions follow 1, 2, 3 ... and every hash recomputes
from its row and the hash before it."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from .hashing import GENESIS, canonical_json, chain_hash

# the columns of `events` as stored, in the order StoredRow names them (the store reads them so too)
STORED = (
    "position, stream, version, event_id, type, schema_version, data, personal, subject_id,"
    " metadata, recorded_at, hash"
)


class StoredRow(NamedTuple):
    """One row of `events` as stored: its personal fields still sealed."""

    position: int
    stream: str
    version: int
    event_id: Any
    type: str
    schema_version: int
    data: dict
    sealed: Any  # the sealed personal fields (bytes), or None
    subject: Any
    metadata: dict
    recorded_at: datetime
    hash: str


@dataclass(frozen=True)
class Break:
    """The first row whose chain does not hold, and why."""

    position: int
    stream: str
    version: int
    event_id: str
    reason: str

    def __str__(self) -> str:
        return (
            f"position {self.position} (stream {self.stream}, version {self.version},"
            f" event {self.event_id}): {self.reason}"
        )


class ChainCheck:
    """Fed a store's rows in position order; `key` as the store chains (None: plain SHA-256)."""

    def __init__(self, key: bytes | None = None):
        self.key = key
        self.heads: dict[str, tuple[int, str]] = {}  # stream -> last version and hash seen
        self.events = 0

    def feed(self, row: tuple) -> Break | None:
        r = StoredRow._make(row)
        position, stream, version, event_id = r.position, r.stream, r.version, r.event_id
        last_version, prev_hash = self.heads.get(stream, (0, GENESIS))
        if version != last_version + 1:
            missing = ", ".join(str(v) for v in range(last_version + 1, version))
            return Break(
                position,
                stream,
                version,
                str(event_id),
                f"the stream jumps here from version {last_version}: version {missing} was removed"
                if missing
                else f"the stream goes back here from version {last_version}: rows were moved",
            )
        expected = chain_hash(
            prev_hash,
            stream=stream,
            version=version,
            event_id=str(event_id),
            type=r.type,
            schema_version=r.schema_version,
            data_json=canonical_json(r.data),
            sealed_personal=bytes(r.sealed) if r.sealed else None,
            subject_id=str(r.subject) if r.subject else None,
            metadata_json=canonical_json(r.metadata),
            recorded_at=r.recorded_at.astimezone(UTC),  # stored in UTC; read in the session's zone
            key=self.key,
        )
        if not hmac.compare_digest(expected, r.hash):
            return Break(
                position,
                stream,
                version,
                str(event_id),
                "its hash does not match the row and the hash before it"
                " (the row was changed, or its chain recomputed without the key)",
            )
        self.heads[stream] = (version, r.hash)
        self.events += 1
        return None

    def first_break(self, rows: Iterable[tuple]) -> Break | None:
        for row in rows:
            found = self.feed(row)
            if found is not None:
                return found
        return None


def stored_rows(conn, page: int = 2000) -> Iterator[tuple]:
    """Every row of the store whose schema is `conn`'s search_path, in position order, through a
    server-side cursor (a store of millions of rows is never held in memory at once)."""
    with conn.cursor(name="chain_check") as cur:
        cur.itersize = page
        cur.execute(f"SELECT {STORED} FROM events ORDER BY position")
        yield from cur
