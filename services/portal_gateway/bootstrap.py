"""The portal gateway's composition root: its own store (the audit of reads, accounts, refused
municipal events) and the timeline read model: migrated by the one-shot migrate step, opened from
Settings for the nameko service, the timeline's consumer, the account and audit tools, the demo
and the tests."""

from __future__ import annotations

from pathlib import Path

import psycopg2
from psycopg2 import sql

from services.common.config import Settings
from services.common.consumer.setup import migrate_read_model, open_read_model
from services.common.db import MIGRATION_LOCK, Database, migrations_in
from services.common.eventstore import EventStore
from services.common.eventstore.setup import key_vault, migrate_store, service_role
from services.common.runtime import build_store
from services.portal_gateway import adapters
from services.portal_gateway.adapters.accounts import Accounts
from services.portal_gateway.adapters.audit_chain import AuditSeal
from services.portal_gateway.adapters.ingest_store import IngestStore
from services.portal_gateway.adapters.publishers import Publishers
from services.portal_gateway.adapters.timeline import Timeline

SERVICE = "portal_gateway"
TIMELINE = "timeline"  # the timeline read model's schema, its consumer's name
MIGRATIONS = migrations_in(Path(adapters.__file__).parent / "sql", "portal_gateway_")


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py)."""
    migrate_store(admin_url, settings, settings.schema(SERVICE), MIGRATIONS)
    migrate_read_model(admin_url, settings, settings.schema(TIMELINE), timeline(settings))
    let_the_timeline_erase(admin_url, settings)


def let_the_timeline_erase(admin_url: str, settings: Settings) -> None:
    """The timeline's consumer sees PersonalDataErased: its role may delete the erased person's
    refused municipal events from the gateway's schema, and read no column but whose they are."""
    gateway, role = settings.schema(SERVICE), service_role(settings.schema(TIMELINE))
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            for grant in (
                "GRANT USAGE ON SCHEMA {gateway} TO {role}",
                "GRANT SELECT (subject_id), DELETE ON {gateway}.ingest_rejected TO {role}",
            ):
                cur.execute(
                    sql.SQL(grant).format(
                        gateway=sql.Identifier(gateway), role=sql.Identifier(role)
                    )
                )
    finally:
        conn.close()


def open_store(settings: Settings, max_connections: int = 8) -> tuple[EventStore, Database]:
    """The audit's chain is keyed and sealed (adapters/audit_chain.py): whoever can write the
    table without KENTRA_AUDIT_KEY cannot change it unseen."""
    return build_store(
        settings,
        SERVICE,
        extra_migrations=MIGRATIONS,
        max_connections=max_connections,
        inline_projections=[AuditSeal(settings.audit_key)],
        chain_key=settings.audit_key,
    )


def timeline(settings: Settings) -> Timeline:
    return Timeline(settings.schema(SERVICE))


def open_timeline(settings: Settings, max_connections: int = 4) -> Database:
    return open_read_model(settings, settings.schema(TIMELINE), timeline(settings), max_connections)


def ingest_store(db, settings: Settings) -> IngestStore:
    """Refused municipal events: bodies sealed under their subject's key, digests keyed with the
    index key, kept for the retention period."""
    return IngestStore(db, key_vault(settings), settings.index_key, settings.refused_events_days)


def accounts(settings: Settings) -> Accounts:
    """The accounts alone, for the command-line tools (one connection)."""
    _, db = open_store(settings, max_connections=1)
    return Accounts(db)


def publishers(settings: Settings) -> Publishers:
    """The municipal publishers alone, for the demo's accounts step (one connection)."""
    _, db = open_store(settings, max_connections=1)
    return Publishers(db)
