"""Where refused municipal events wait for the ops team (never personal data in a log line)."""

from __future__ import annotations

import json


class IngestStore:
    def __init__(self, db):
        self.db = db

    def reject(self, publisher: str, payload, reasons: list[str]) -> None:
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO ingest_rejected (publisher, payload, reasons) VALUES (%s, %s, %s)",
                (
                    publisher,
                    json.dumps(payload, ensure_ascii=False, default=str),
                    json.dumps(reasons),
                ),
            )

    def rejected(self, limit: int = 200) -> list[dict]:
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT id, received_at, publisher, payload, reasons FROM ingest_rejected"
                " ORDER BY id DESC LIMIT %s",
                (limit,),
            )
            return [
                {
                    "id": i,
                    "received_at": at.isoformat(),
                    "publisher": p,
                    "payload": body,
                    "reasons": reasons,
                }
                for i, at, p, body, reasons in cur.fetchall()
            ]
