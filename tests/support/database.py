"""The database as tests hold it: the administrative login for migrations and for playing the
administrator, and what a process gets (the database without a login)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from services.common.config import Settings
from services.common.consumer.setup import migrate_read_model, open_read_model
from services.common.db import Database


def without_login(url: str) -> str:
    """The same database, no user or password: what KENTRA_DATABASE_URL holds."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))


def migrated_read_model(
    admin_url: str, settings: Settings, schema: str, projection, max_connections: int = 4
) -> Database:
    """A test's own read model: migrated as the administrator (as the migrate step does for the
    platform's), then opened as its role."""
    migrate_read_model(admin_url, settings, schema, projection)
    return open_read_model(settings, schema, projection, max_connections)


def as_before(projection_class: type, migration: str):
    """The projection as it was before `migration` (its name's prefix) was added: what a test of
    an upgrade migrates and fills first."""

    class Before(projection_class):  # type: ignore[misc, valid-type]
        migrations = [m for m in projection_class.migrations if m.name < migration]

    return Before()
