"""The intake service's composition root: the one place its store is migrated (by the one-shot
migrate step) and opened (its access facts kept by a trigger in the append's transaction) and its use
cases are wired, from Settings. The nameko service, the relay, the demo and the tests all get
them here."""

from __future__ import annotations

from services.common.config import Settings
from services.common.db import Database
from services.common.eventstore import EventStore
from services.common.eventstore.setup import migrate_store
from services.common.runtime import build_store
from services.intake.adapters.case_access import MIGRATIONS
from services.intake.application.cases import Cases

SERVICE = "intake"


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py)."""
    migrate_store(admin_url, settings, settings.schema(SERVICE), MIGRATIONS)


def open_store(settings: Settings, max_connections: int = 8) -> tuple[EventStore, Database]:
    """The case streams' store, opened as the service's own role."""
    return build_store(
        settings,
        SERVICE,
        extra_migrations=MIGRATIONS,
        max_connections=max_connections,
    )


def cases(store: EventStore) -> Cases:
    return Cases(store)
