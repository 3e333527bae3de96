"""The reporting service's composition root: its read model (the reporting projection and its
schema), migrated by the one-shot migrate step and opened from Settings, for the nameko service,
its consumer process and the tests."""

from __future__ import annotations

from services.common.config import Settings
from services.common.consumer.setup import migrate_read_model, open_read_model
from services.common.db import Database
from services.reporting.adapters.projections.model import ReportingModel

SERVICE = "reporting"


def projection() -> ReportingModel:
    return ReportingModel()


def migrate(admin_url: str, settings: Settings) -> None:
    """As the administrator, in the one-shot migrate step (services/common/migrate.py)."""
    migrate_read_model(admin_url, settings, settings.schema(SERVICE), projection())


def open_model(settings: Settings, max_connections: int = 4) -> Database:
    """The read model's database (consumer tables and the projection's own), as its role."""
    return open_read_model(settings, settings.schema(SERVICE), projection(), max_connections)
