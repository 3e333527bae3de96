"""The portal gateway's composition root: its own store (the audit of reads, accounts, refused
municipal events) and the timeline read model: migrated by the one-shot migrate step, opened from
Settings for the nameko service, the timeline's consumer, the account and audit tools, the demo
and the tests."""

from __future__ import annotations

from pathlib import Path

from services.common.config import Settings
from services.common.consumer.setup import migrate_read_model, open_read_model
from services.common.db import Database, migrations_in
from services.common.eventstore import EventStore
from services.common.eventstore.setup import migrate_store
from services.common.runtime import build_store
from services.portal_gateway import adapters
from services.portal_gateway.adapters.accounts import Accounts
from services.portal_gateway.adapters.audit_chain import AuditSeal
from services.portal_gateway.adapters.timeline import Timeline

SERVICE = "portal_gateway"
TIMELINE = "timeline"  # the timeline read model's schema, its consumer's name
MIGRATIONS = migrations_in(Path(adapters.__file__).parent / "sql", "portal_gateway_")


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py)."""
    migrate_store(admin_url, settings, settings.schema(SERVICE), MIGRATIONS)
    migrate_read_model(admin_url, settings, settings.schema(TIMELINE), timeline())


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


def timeline() -> Timeline:
    return Timeline()


def open_timeline(settings: Settings, max_connections: int = 4) -> Database:
    return open_read_model(settings, settings.schema(TIMELINE), timeline(), max_connections)


def accounts(settings: Settings) -> Accounts:
    """The accounts alone, for the command-line tools (one connection)."""
    _, db = open_store(settings, max_connections=1)
    return Accounts(db)
