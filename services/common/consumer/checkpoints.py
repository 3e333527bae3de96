"""The consumer's tables (sql/consumer_001_checkpoints.sql), used inside its transaction."""

from __future__ import annotations

import json

import psycopg2.extras


class Checkpoints:
    def __init__(self, consumer: str):
        self.consumer = consumer

    def lock_position(self, cur, source: str) -> int:
        """The source's position, locked until commit: one batch per source at a time. One
        statement once the row exists (every batch but a source's first)."""
        lock = (
            "SELECT position FROM consumer_positions WHERE consumer = %s AND source = %s FOR UPDATE"
        )
        cur.execute(lock, (self.consumer, source))
        row = cur.fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO consumer_positions (consumer, source) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (self.consumer, source),
            )
            cur.execute(lock, (self.consumer, source))
            row = cur.fetchone()
        return row[0]

    def save(
        self, cur, source: str, heads: dict[str, tuple[int, str]], position: int | None
    ) -> None:
        """A batch's end in one statement: the streams' new heads and the source's position
        (None: unchanged)."""
        if not heads:
            if position is not None:
                self.save_position(cur, source, position)
            return
        values = b",".join(
            cur.mogrify("(%s, %s, %s, %s, %s)", (self.consumer, source, s, v, h))
            for s, (v, h) in heads.items()
        ).decode()
        moved = (
            cur.mogrify(
                " UPDATE consumer_positions SET position = %s, updated_at = now()"
                " WHERE consumer = %s AND source = %s",
                (position, self.consumer, source),
            ).decode()
            if position is not None
            else " SELECT 1"
        )
        cur.execute(
            "WITH heads AS (INSERT INTO consumer_streams (consumer, source, stream, version, hash)"
            f" VALUES {values} ON CONFLICT (consumer, source, stream)"
            " DO UPDATE SET version = EXCLUDED.version, hash = EXCLUDED.hash)" + moved
        )

    def heads_and_parked(self, cur, source: str, streams) -> tuple[dict[str, int], set[str]]:
        """`heads` and `parked_streams` in one round trip, as every batch needs both."""
        # each asked stream looked up by the whole key: with `stream = ANY(...)`, or a join, and
        # no statistics (a table just rebuilt; autovacuum off, as on the CI machine) the planner
        # took the key's first two columns and filtered the rest, a scan of every stream of the
        # source per batch (29 ms at 10,000 streams, three consumers per command)
        cur.execute(
            "SELECT asked.stream, (SELECT c.version FROM consumer_streams c"
            "  WHERE c.consumer = %s AND c.source = %s AND c.stream = asked.stream)"
            " FROM unnest(%s::text[]) AS asked(stream)"
            " UNION ALL SELECT DISTINCT stream, -1 FROM dead_letters"
            " WHERE consumer = %s AND resolved_at IS NULL AND stream = ANY(%s)",
            (self.consumer, source, list(streams), self.consumer, list(streams)),
        )
        heads, parked = {}, set()
        for stream, version in cur.fetchall():
            if version == -1:
                parked.add(stream)
            elif version is not None:  # None: a stream never applied
                heads[stream] = version
        return heads, parked

    def save_position(self, cur, source: str, position: int) -> None:
        cur.execute(
            "UPDATE consumer_positions SET position = %s, updated_at = now() WHERE consumer = %s AND source = %s",
            (position, self.consumer, source),
        )

    def positions(self, cur) -> dict[str, int]:
        cur.execute(
            "SELECT source, position FROM consumer_positions WHERE consumer = %s", (self.consumer,)
        )
        return dict(cur.fetchall())

    def heads(self, cur, source: str, streams) -> dict[str, int]:
        cur.execute(
            "SELECT stream, version FROM consumer_streams WHERE consumer = %s AND source = %s AND stream = ANY(%s)",
            (self.consumer, source, list(streams)),
        )
        return dict(cur.fetchall())

    def all_heads(self, cur, source: str) -> dict[str, tuple[int, str]]:
        cur.execute(
            "SELECT stream, version, hash FROM consumer_streams WHERE consumer = %s AND source = %s",
            (self.consumer, source),
        )
        return {s: (v, h) for s, v, h in cur.fetchall()}

    def save_heads(self, cur, source: str, heads: dict[str, tuple[int, str]]) -> None:
        if heads:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO consumer_streams (consumer, source, stream, version, hash) VALUES %s"
                " ON CONFLICT (consumer, source, stream)"
                " DO UPDATE SET version = EXCLUDED.version, hash = EXCLUDED.hash",
                [(self.consumer, source, s, v, h) for s, (v, h) in heads.items()],
                page_size=1000,
            )

    def parked_streams(self, cur, streams) -> set[str]:
        cur.execute(
            "SELECT DISTINCT stream FROM dead_letters WHERE consumer = %s AND resolved_at IS NULL AND stream = ANY(%s)",
            (self.consumer, list(streams)),
        )
        return {r[0] for r in cur.fetchall()}

    def dead_letter(self, cur, source: str, event, error: str) -> None:
        cur.execute(
            "INSERT INTO dead_letters (consumer, source, position, stream, version, event_type, event, error)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (consumer, source, position) DO NOTHING",
            (
                self.consumer,
                source,
                event.position,
                event.stream,
                event.version,
                event.type,
                json.dumps(event.without_personal(), ensure_ascii=False),
                error[:4000],
            ),
        )

    def refuse(self, cur, source: str, claim: dict, digest: str, error: str) -> None:
        """A message never applied: no body is kept (it may hold personal data, and it may be a
        forgery), only what it claimed to be and its digest. It parks no stream."""
        cur.execute(
            "INSERT INTO dead_letters (consumer, source, event_type, event, digest, error)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (
                self.consumer,
                source,
                str(claim.get("type"))[:200] if claim.get("type") else None,
                json.dumps(claim, ensure_ascii=False, default=str),
                digest,
                error[:4000],
            ),
        )

    def open_dead_letters(self, cur) -> list[dict]:
        cur.execute(
            "SELECT id, source, position, stream, version, event_type, digest, error, failed_at"
            " FROM dead_letters WHERE consumer = %s AND resolved_at IS NULL ORDER BY id",
            (self.consumer,),
        )
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def resolve(self, cur, source: str, stream: str, resolution: str, by: str) -> None:
        cur.execute(
            "UPDATE dead_letters SET resolved_at = now(), resolution = %s, resolved_by = %s"
            " WHERE consumer = %s AND source = %s AND stream = %s AND resolved_at IS NULL",
            (resolution, by, self.consumer, source, stream),
        )

    def resolve_refused(self, cur, source: str, resolution: str, by: str) -> int:
        """Refused messages of a source, once the source itself has been read again."""
        cur.execute(
            "UPDATE dead_letters SET resolved_at = now(), resolution = %s, resolved_by = %s"
            " WHERE consumer = %s AND source = %s AND stream IS NULL AND resolved_at IS NULL",
            (resolution, by, self.consumer, source),
        )
        return cur.rowcount

    def discard(self, cur, letter_id: int, reason: str, by: str) -> bool:
        """A person decided a refused message will not be applied: why and who, kept with it. An
        event of a stream is not discarded: skipping it would leave the read model wrong for
        good; it is retried once the read model is fixed."""
        cur.execute(
            "UPDATE dead_letters SET resolved_at = now(), resolution = %s, resolved_by = %s"
            " WHERE consumer = %s AND id = %s AND stream IS NULL AND resolved_at IS NULL",
            (f"discarded: {reason}", by, self.consumer, letter_id),
        )
        return cur.rowcount == 1

    def reset(self, cur) -> None:
        for table in ("consumer_positions", "consumer_streams", "dead_letters"):
            cur.execute(f"DELETE FROM {table} WHERE consumer = %s", (self.consumer,))
