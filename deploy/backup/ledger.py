"""The erasure ledger: who has been erased, backed up apart from the data and more often.

A base backup holds the key vault as it was when the backup was taken, so restoring it alone would
bring back the key of everyone erased since. The rule (docs/operations.md, "Backup and restore"):
**a restored platform is not opened to users until every erasure in the newest ledger has been
applied to it again**. The ledger holds ids only (no name, no key, no reason), so it may be kept
wherever the backups are kept and copied as often as needed; `restore-drill` applies it and proves
it. The keys themselves are not copied apart: each copy of a key is one more place an erasure
cannot reach."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from psycopg2 import sql

LEDGER_PREFIX = "erasures-"


def export_erasures(admin_url: str, vault_schema: str, to: Path) -> Path:
    """erasures-<UTC time>.json: every forgotten subject and when, as the live vault lists them."""
    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL(
                    "SELECT subject_id::text, forgotten_at FROM {}.forgotten_subjects"
                    " ORDER BY forgotten_at, subject_id"
                ).format(sql.Identifier(vault_schema))
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    to.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = to / f"{LEDGER_PREFIX}{now:%Y%m%dT%H%M%S%fZ}.json"
    ledger = {
        "taken_at": now.isoformat(),
        "erased": [{"subject_id": s, "at": at.isoformat()} for s, at in rows],
    }
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(ledger, indent=1), encoding="utf-8")
    partial.replace(path)  # a reader never sees half a ledger
    return path


def newest_ledger(folder: Path) -> dict | None:
    found = sorted(folder.glob(f"{LEDGER_PREFIX}*.json"))
    return json.loads(found[-1].read_text(encoding="utf-8")) if found else None
