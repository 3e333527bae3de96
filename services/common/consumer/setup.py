"""Opening a read-side service's schema: the consumer's tables plus the projection's own."""

from __future__ import annotations

from pathlib import Path

from services.common.config import Settings
from services.common.db import Database, migrate, migrations_in
from services.common.eventstore.setup import service_database, service_role

from .projection import Projection

SQL = Path(__file__).parent / "sql"


def open_read_model(
    settings: Settings, schema: str, projection: Projection, max_connections: int = 4
) -> Database:
    migrations = migrations_in(SQL, "consumer_") + projection.migrations
    migrate(settings.database_url, schema, service_role(schema), migrations)
    return service_database(settings, schema, max_connections)
