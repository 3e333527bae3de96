"""The registries' composition root: the one place their store is migrated (by the one-shot
migrate step) and opened, with every migration of their own and the read models kept in the
append's transaction (identity index, merges, network, directory), from Settings. The nameko
service, the relay, the demo and the tests get it here."""

from __future__ import annotations

from pathlib import Path

from services.common.config import Settings
from services.common.db import Database, migrations_in
from services.common.eventstore import EventStore
from services.common.eventstore.setup import migrate_store
from services.common.runtime import build_store
from services.registries import adapters
from services.registries.adapters.directory import Directory
from services.registries.adapters.identity_index import IdentityIndex
from services.registries.adapters.merge_requests import MergeRequests
from services.registries.adapters.merges import Merges
from services.registries.adapters.network_directory import NetworkDirectory

SERVICE = "registries"
MIGRATIONS = migrations_in(Path(adapters.__file__).parent / "sql", "registries_")


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py). The
    registries erase people: their role alone may delete a subject's key (through the vault)."""
    migrate_store(admin_url, settings, settings.schema(SERVICE), MIGRATIONS, erases=True)


def inline_projections(settings: Settings) -> list:
    """In the append's transaction: a registration is findable, and an erased person unfindable,
    the moment the event is stored."""
    return [
        IdentityIndex(settings.index_key),
        Merges(),
        MergeRequests(),
        NetworkDirectory(),
        Directory(),
    ]


def open_store(settings: Settings, max_connections: int = 8) -> tuple[EventStore, Database]:
    return build_store(
        settings,
        SERVICE,
        extra_migrations=MIGRATIONS,
        max_connections=max_connections,
        inline_projections=inline_projections(settings),
    )
