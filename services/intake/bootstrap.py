"""The intake service's composition root: the one place its store is opened and its use cases are
wired, from Settings. The nameko service, the relay, the demo and the tests all get them here."""

from __future__ import annotations

from services.common.config import Settings
from services.common.db import Database
from services.common.eventstore import EventStore
from services.common.runtime import build_store
from services.intake.application.cases import Cases

SERVICE = "intake"


def open_store(settings: Settings, max_connections: int = 8) -> tuple[EventStore, Database]:
    """The case streams' store, migrated (idempotent) and opened as the service's own role."""
    return build_store(settings, SERVICE, max_connections=max_connections)


def cases(store: EventStore) -> Cases:
    return Cases(store)
