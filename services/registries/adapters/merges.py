"""Which beneficiary records were merged into which, kept in the append's transaction: a search by
AMKA or a timeline asked for either id reaches the survivor and every history that is theirs."""

from __future__ import annotations

import uuid

from contracts.names import BENEFICIARY_MERGED, BENEFICIARY_UNMERGED
from services.common.domain import Conflict


class Merges:
    def __call__(self, cur, events) -> None:
        for e in events:
            if e.type not in (BENEFICIARY_MERGED, BENEFICIARY_UNMERGED):
                continue
            duplicate, survivor = e.data["beneficiary_id"], e.data["survivor_id"]
            if e.type == BENEFICIARY_MERGED:
                # the decider checked these on facts read before the append; here they hold under races
                cur.execute(
                    "SELECT 1 FROM beneficiary_merge WHERE beneficiary_id = %s OR survivor_id = %s",
                    (survivor, duplicate),
                )
                if cur.fetchone():
                    raise Conflict(
                        "a merge of one of these records was stored meanwhile: look again",
                        field="survivor_id",
                    )
                cur.execute("INSERT INTO beneficiary_merge VALUES (%s, %s)", (duplicate, survivor))
            else:
                cur.execute("DELETE FROM beneficiary_merge WHERE beneficiary_id = %s", (duplicate,))

    @staticmethod
    def survivor_of(db, beneficiary_id: str) -> str:
        with db.transaction() as cur:
            cur.execute(
                "SELECT survivor_id::text FROM beneficiary_merge WHERE beneficiary_id = %s",
                (beneficiary_id,),
            )
            row = cur.fetchone()
        return row[0] if row else str(beneficiary_id)

    @staticmethod
    def survivors_of(db, beneficiary_ids: list[str]) -> dict[str, str]:
        """Each record's surviving id (its own where never merged), in one statement: a search
        asked `survivor_of` once per hit, three round trips each, 300 for a full page."""
        with db.statement() as cur:
            cur.execute(
                "SELECT beneficiary_id::text, survivor_id::text FROM beneficiary_merge"
                " WHERE beneficiary_id = ANY(%s::uuid[])",
                ([str(b) for b in beneficiary_ids],),
            )
            found = dict(cur.fetchall())
        return {str(b): found.get(str(b), str(b)) for b in beneficiary_ids}

    @staticmethod
    def merged_into(db, survivor_id: str) -> list[str]:
        with db.transaction() as cur:
            cur.execute(
                "SELECT beneficiary_id::text FROM beneficiary_merge WHERE survivor_id = %s ORDER BY 1",
                (survivor_id,),
            )
            return [r[0] for r in cur.fetchall()]

    @classmethod
    def person(cls, db, beneficiary_id: str) -> dict:
        """One person as the platform knows them: the surviving id and every record merged into it."""
        return cls.people(db, [beneficiary_id])[0]

    @staticmethod
    def people(db, beneficiary_ids: list[str]) -> list[dict]:
        """`person` for many records at once, in the order asked: two queries in all."""
        asked = [str(uuid.UUID(str(b))) for b in beneficiary_ids]
        with db.transaction() as cur:
            cur.execute(
                "SELECT beneficiary_id::text, survivor_id::text FROM beneficiary_merge"
                " WHERE beneficiary_id = ANY(%s::uuid[])",
                (asked,),
            )
            survivors = dict(cur.fetchall())
            cur.execute(
                "SELECT survivor_id::text, beneficiary_id::text FROM beneficiary_merge"
                " WHERE survivor_id = ANY(%s::uuid[]) ORDER BY 2",
                ([survivors.get(b, b) for b in asked],),
            )
            merged: dict[str, list[str]] = {}
            for survivor, record in cur.fetchall():
                merged.setdefault(survivor, []).append(record)
        return [
            {
                "beneficiary_id": survivors.get(b, b),
                "asked_for": str(given),
                "records": [survivors.get(b, b), *merged.get(survivors.get(b, b), [])],
            }
            for given, b in zip(beneficiary_ids, asked, strict=True)
        ]
