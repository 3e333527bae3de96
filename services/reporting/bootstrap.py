"""The reporting service's composition root: its read model (the reporting projection and its
schema) and its own store of releases: migrated by the one-shot migrate step, opened from Settings
for the nameko service, its consumer process and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.common.clock import today_in_greece
from services.common.config import Settings
from services.common.consumer.setup import migrate_read_model, open_read_model
from services.common.db import Database
from services.common.eventstore.setup import migrate_store
from services.common.runtime import build_store
from services.reporting.adapters.linear_programming import HighsSolver
from services.reporting.adapters.projections.model import ReportingModel
from services.reporting.adapters.pseudonyms import Pseudonyms
from services.reporting.adapters.release_store import ReleaseStore
from services.reporting.application.releases import Releases

SERVICE = "reporting"
RELEASES = "reporting_releases"  # the store of what left reporting: never touched by a rebuild


def pseudonyms(settings: Settings) -> Pseudonyms:
    """Under KENTRA_REPORTING_KEY: a reporting process refuses to start without it."""
    return Pseudonyms(settings.reporting_secret())


def projection(settings: Settings | None = None) -> ReportingModel:
    """With settings, one that applies events (the consumer); without, its name, sources and
    migrations only (the migrate step, the consistency check), which need no key."""
    return ReportingModel(pseudonyms(settings) if settings else None)


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py)."""
    migrate_read_model(admin_url, settings, settings.schema(SERVICE), projection())
    migrate_store(admin_url, settings, settings.schema(RELEASES))


def open_model(settings: Settings, max_connections: int = 4) -> Database:
    """The read model's database (consumer tables and the projection's own), as its role."""
    settings.reporting_secret()  # its person rows are keyed by it: no key, no start
    return open_read_model(settings, settings.schema(SERVICE), projection(), max_connections)


def open_release_store(
    settings: Settings, max_connections: int = 2
) -> tuple[ReleaseStore, Database]:
    """What left reporting, as the releases' own role: the consumer cannot write it."""
    store, db = build_store(settings, RELEASES, max_connections=max_connections)
    return ReleaseStore(store), db


def releases(
    store: ReleaseStore, read_model: Database, today: Callable[[], date] = today_in_greece
) -> Releases:
    return Releases(store, read_model, HighsSolver(), today)
