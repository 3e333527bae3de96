"""`python -m services.common.migrate`: the one-shot step that brings the platform's database up
to date, the only process that holds the administrative login (KENTRA_ADMIN_DATABASE_URL). It
creates every schema, service role and grant, the key vault and its erasure function, applies
pending migrations, creates postgres_exporter's statistics-only login, and sets each role's
password from KENTRA_DB_PASSWORD_<SERVICE> when given (always in production). Every long-running
process starts after it and logs in as its roles. Safe to run again: it changes nothing that is up to date."""

from __future__ import annotations

import importlib
import logging
import os
import sys

from services.common.config import Settings, admin_database_url
from services.common.db import ensure_monitoring_role

log = logging.getLogger(__name__)

# every service that owns schemas; each composition root's `migrate` knows its own
PLATFORM = ("registries", "intake", "referrals", "reporting", "portal_gateway")
# postgres_exporter's login (KENTRA_DB_PASSWORD_MONITOR): statistics only, no schema of ours
MONITOR = "monitor"


def monitoring_role(settings: Settings) -> str:
    return f"kentra_{settings.schema(MONITOR)}"


def migrate_platform(admin_url: str, settings: Settings) -> None:
    """Every service's schemas, as the administrator: the step, and tests and benchmarks for a
    platform of their own (its schema prefix)."""
    for service in PLATFORM:
        importlib.import_module(f"services.{service}.bootstrap").migrate(admin_url, settings)
    ensure_monitoring_role(
        admin_url, monitoring_role(settings), settings.role_password(settings.schema(MONITOR))
    )


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("KENTRA_LOG_LEVEL", "INFO"),
        format="%(asctime)s migrate %(levelname)s %(message)s",
    )
    settings = Settings.for_migration()
    migrate_platform(admin_database_url(), settings)
    prefix = f" (schema prefix {settings.schema_prefix})" if settings.schema_prefix else ""
    print(f"migrate: the database is up to date for {', '.join(PLATFORM)}{prefix}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
