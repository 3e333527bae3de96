"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, migrate_store, service_database


@pytest.fixture
def stores(admin_url, settings, unique_schema):
    """The three write-side stores (registries, intake, referrals), each in a schema of its own."""
    made, dbs = {}, []
    for source in ("registries", "intake", "referrals"):
        schema = unique_schema(source[:4])
        migrate_store(admin_url, settings, schema)
        db = service_database(settings, schema)
        dbs.append(db)
        made[source] = PostgresEventStore(db, key_vault(settings))
    yield made
    for db in dbs:
        db.close()
