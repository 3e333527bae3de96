"""The agencies and programmes as they stand, kept in the append's transaction."""

from __future__ import annotations

import json
import uuid

from contracts.names import (
    AGENCY_DETAILS_CHANGED,
    AGENCY_REGISTERED,
    PROGRAMME_DETAILS_CHANGED,
    PROGRAMME_REGISTERED,
)


class Directory:
    def __call__(self, cur, events) -> None:
        for e in events:
            if e.type in (AGENCY_REGISTERED, AGENCY_DETAILS_CHANGED):
                cur.execute(
                    "INSERT INTO directory_agency (agency_id, detail) VALUES (%s, %s) ON CONFLICT (agency_id)"
                    " DO UPDATE SET detail = excluded.detail",
                    (e.data["agency_id"], json.dumps(e.data)),
                )
            elif e.type in (PROGRAMME_REGISTERED, PROGRAMME_DETAILS_CHANGED):
                cur.execute(
                    "INSERT INTO directory_programme (programme_id, agency_id, detail) VALUES (%s, %s, %s)"
                    " ON CONFLICT (programme_id)"
                    " DO UPDATE SET detail = excluded.detail",
                    (e.data["programme_id"], e.data["agency_id"], json.dumps(e.data)),
                )

    @staticmethod
    def agencies(db) -> list[dict]:
        with db.transaction() as cur:
            cur.execute("SELECT detail FROM directory_agency ORDER BY seq")
            return [r[0] for r in cur.fetchall()]

    @classmethod
    def agency(cls, db, agency_id: str) -> dict | None:
        return cls._one(db, "SELECT detail FROM directory_agency WHERE agency_id = %s", agency_id)

    @classmethod
    def programme(cls, db, programme_id: str) -> dict | None:
        return cls._one(
            db, "SELECT detail FROM directory_programme WHERE programme_id = %s", programme_id
        )

    @staticmethod
    def _one(db, query: str, key) -> dict | None:
        try:
            key = uuid.UUID(str(key))
        except ValueError:
            return None  # a code that is no registry id: not in the registry
        with db.transaction() as cur:
            cur.execute(query, (str(key),))
            row = cur.fetchone()
        return row[0] if row else None

    @staticmethod
    def programmes(db) -> list[dict]:
        with db.transaction() as cur:
            cur.execute("SELECT detail FROM directory_programme ORDER BY seq")
            return [r[0] for r in cur.fetchall()]
