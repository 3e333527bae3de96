"""Merge requests waiting for a head of centre, kept in the append's transaction: the head's list
holds a request from the moment it is stored until it is approved, declined or overtaken by a
merge."""

from __future__ import annotations

from contracts.names import (
    BENEFICIARY_MERGED,
    MERGE_REQUEST_APPROVED,
    MERGE_REQUEST_DECLINED,
    MERGE_REQUESTED,
)

ENDED = (MERGE_REQUEST_APPROVED, MERGE_REQUEST_DECLINED, BENEFICIARY_MERGED)


class MergeRequests:
    def __call__(self, cur, events) -> None:
        for e in events:
            if e.type == MERGE_REQUESTED:
                cur.execute(
                    "INSERT INTO merge_request VALUES (%s, %s, %s, %s, %s)",
                    (
                        e.data["beneficiary_id"],
                        e.data["survivor_id"],
                        e.data["requested_by"],
                        e.metadata.get("site"),
                        e.recorded_at,
                    ),
                )
            elif e.type in ENDED:
                cur.execute(
                    "DELETE FROM merge_request WHERE beneficiary_id = %s",
                    (e.data["beneficiary_id"],),
                )

    @staticmethod
    def pending(db, sites: list[str]) -> list[dict]:
        """The requests made at these sites (a head's network), oldest first. Ids only."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT beneficiary_id::text, survivor_id::text, requested_by, site, requested_at"
                " FROM merge_request WHERE site = ANY(%s) ORDER BY requested_at",
                (list(sites),),
            )
            keys = ("beneficiary_id", "survivor_id", "requested_by", "site", "requested_at")
            return [
                {**dict(zip(keys, row, strict=True)), "requested_at": row[4].isoformat()}
                for row in cur.fetchall()
            ]
