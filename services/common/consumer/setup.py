"""A read-side service's schema: the consumer's tables plus the projection's own, migrated by the
one-shot migrate step (as the administrator) and opened by every other process as its role."""

from __future__ import annotations

from pathlib import Path

from services.common.config import Settings
from services.common.db import Database, Migration, migrate, migrations_in, require_migrations
from services.common.eventstore.setup import (
    key_vault,
    migrate_vault_reader,
    service_database,
    service_role,
)

from .opener import PersonalOpener
from .projection import Projection

SQL = Path(__file__).parent / "sql"


def read_model_migrations(projection: Projection) -> list[Migration]:
    return migrations_in(SQL, "consumer_") + projection.migrations


def migrate_read_model(
    admin_url: str, settings: Settings, schema: str, projection: Projection
) -> None:
    migrate(
        admin_url,
        schema,
        service_role(schema),
        read_model_migrations(projection),
        password=settings.role_password(schema),
    )
    if projection.opens_personal:
        migrate_vault_reader(admin_url, settings, schema)


def personal_opener(settings: Settings, projection: Projection) -> PersonalOpener | None:
    """The key vault, read-only, for a read model that needs personal fields; None for the rest."""
    return PersonalOpener.from_vault(key_vault(settings)) if projection.opens_personal else None


def open_read_model(
    settings: Settings, schema: str, projection: Projection, max_connections: int = 4
) -> Database:
    """The read model's connections, as its role, once its schema is known to be up to date."""
    db = service_database(settings, schema, max_connections)
    require_migrations(db, read_model_migrations(projection))
    return db
