"""The migration that seals refused municipal events deletes the rows an older release kept in
clear: the migrate step holds no key to seal them, and their reasons may quote the body."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import pytest

from services.common.db import Database, drop_platform
from services.common.eventstore.setup import migrate_store
from services.portal_gateway.bootstrap import MIGRATIONS


@pytest.fixture
def platform(admin_url, settings):
    """Settings of a platform of this test's own (its vault too: no grant races another test's)."""
    prefix = f"m{uuid.uuid4().hex[:8]}_"
    yield replace(settings, schema_prefix=prefix)
    drop_platform(admin_url, prefix)


def test_refused_events_kept_in_clear_by_an_older_release_are_deleted(admin_url, platform):
    settings, schema = platform, platform.schema("portal_gateway")
    before = [m for m in MIGRATIONS if m.name != "portal_gateway_003_refused_events_sealed"]
    migrate_store(admin_url, settings, schema, before)
    admin = Database(admin_url, schema, 1)
    body = {"type": "ServiceDelivered", "data": {"notes": "HIV θετικός"}}
    with admin.transaction() as cur:
        cur.execute(
            "INSERT INTO ingest_rejected (publisher, payload, reasons) VALUES (%s, %s, %s)",
            ("dimos", json.dumps(body, ensure_ascii=False), json.dumps(["'HIV θετικός' is bad"])),
        )
    migrate_store(admin_url, settings, schema, MIGRATIONS)
    with admin.transaction() as cur:
        cur.execute("SELECT count(*) FROM ingest_rejected")
        assert cur.fetchone() == (0,)
        cur.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = 'ingest_rejected'",
            (schema,),
        )
        assert "payload" not in {c for (c,) in cur.fetchall()}
    admin.close()
