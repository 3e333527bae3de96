"""Tamper evidence of the audit store, under a key the database does not hold (KENTRA_AUDIT_KEY):

- every event's hash is an HMAC over the previous one of its stream and the event as stored
  (the store's chain, keyed: `build_store(chain_key=...)`), so a changed row, or one removed
  from the middle of a stream, breaks the chain at that row, and someone who can write the table
  but lacks the key cannot recompute it;
- the seal (`audit_seal`, one row) is an HMAC over every event of the store in position order,
  moved in each append's transaction, so removing the last events of a stream (which leaves every
  stream's chain whole) no longer matches it either.

`verify` recomputes both from the rows as stored; `entrypoints/audit_cli.py` is its command.
What it cannot see: the store put back to a state whose seal someone copied earlier, an empty
one included. Recording the seal it prints somewhere the database's administrators cannot write
closes that.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from services.common.db import Database
from services.common.eventstore.chain import ChainCheck, stored_rows

SEPARATOR = b"\x1f"
HOLES_SHOWN = 10


def next_seal(key: bytes, seal: str, position: int, event_hash: str) -> str:
    message = SEPARATOR.join((seal.encode(), str(position).encode(), event_hash.encode()))
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditSeal:
    """An inline projection of the gateway's store: the seal moves in the append's transaction
    (appends queue on the store's lock, so it moves in position order)."""

    def __init__(self, key: bytes):
        self.key = key

    def __call__(self, cur, events) -> None:
        cur.execute("SELECT position, seal FROM audit_seal")
        position, seal = cur.fetchone()  # (0, '') before the first event
        for e in events:
            seal, position = next_seal(self.key, seal, e.position, e.hash), e.position
        cur.execute("UPDATE audit_seal SET position = %s, seal = %s", (position, seal))


@dataclass(frozen=True)
class Verdict:
    events: int
    streams: int
    sealed_at: int  # the last position the seal covers
    seal: str
    broken: str | None = None  # what is wrong, naming the first row found so

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(db: Database, key: bytes) -> Verdict:
    """Both checks over one snapshot of the store (appends may go on meanwhile)."""
    with db.connection() as conn, conn:
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT position, seal FROM audit_seal")
            sealed_at, stored_seal = cur.fetchone() or (0, "")
        chains, seal, last = ChainCheck(key), "", 0
        holes: list[int] = []
        broken = None
        for row in stored_rows(conn):
            position, stream, event_hash = row[0], row[1], row[-1]
            found = chains.feed(row)
            if found is not None:
                broken = str(found)
                break
            if position > sealed_at:
                broken = (
                    f"position {position} (stream {stream}) is after the last sealed position"
                    f" {sealed_at}: written around the store, or the seal was moved back"
                )
                break
            holes += range(last + 1, position)
            seal, last = next_seal(key, seal, position, event_hash), position
    if broken is None and last != sealed_at:
        broken = (
            f"the seal covers the events up to position {sealed_at} but the store ends at"
            f" position {last}: the events after it were removed"
        )
    elif broken is None and not hmac.compare_digest(seal, stored_seal):
        broken = (
            "the seal does not match the events it covers: an event was removed, or the seal"
            f" changed. Positions missing from the store: {_listed(holes)}"
            " (an append that rolled back leaves a hole too)"
        )
    return Verdict(chains.events, len(chains.heads), sealed_at, stored_seal, broken)


def _listed(holes: list[int]) -> str:
    shown = ", ".join(str(h) for h in holes[:HOLES_SHOWN])
    return (shown + (" ..." if len(holes) > HOLES_SHOWN else "")) or "none"
