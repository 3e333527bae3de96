"""The agencies and programmes as they stand, kept in the append's transaction."""
from __future__ import annotations

import json

from contracts.names import AGENCY_DETAILS_CHANGED, AGENCY_REGISTERED, PROGRAMME_DETAILS_CHANGED, PROGRAMME_REGISTERED


class Directory:
    def __call__(self, cur, events) -> None:
        for e in events:
            if e.type in (AGENCY_REGISTERED, AGENCY_DETAILS_CHANGED):
                cur.execute("INSERT INTO directory_agency (agency_id, detail) VALUES (%s, %s) ON CONFLICT (agency_id)"
                            " DO UPDATE SET detail = excluded.detail", (e.data["agency_id"], json.dumps(e.data)))
            elif e.type in (PROGRAMME_REGISTERED, PROGRAMME_DETAILS_CHANGED):
                cur.execute("INSERT INTO directory_programme (programme_id, agency_id, detail) VALUES (%s, %s, %s)"
                            " ON CONFLICT (programme_id)"
                            " DO UPDATE SET detail = excluded.detail",
                            (e.data["programme_id"], e.data["agency_id"], json.dumps(e.data)))

    @staticmethod
    def agencies(db) -> list[dict]:
        with db.transaction() as cur:
            cur.execute("SELECT detail FROM directory_agency ORDER BY seq")
            return [r[0] for r in cur.fetchall()]

    @staticmethod
    def programmes(db) -> list[dict]:
        with db.transaction() as cur:
            cur.execute("SELECT detail FROM directory_programme ORDER BY seq")
            return [r[0] for r in cur.fetchall()]
