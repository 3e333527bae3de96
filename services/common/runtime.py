"""Wiring shared by every process that opens a service's event store (services, relays, tools)."""

from __future__ import annotations

from collections import Counter

from contracts.base import upcast
from services.common import metrics
from services.common.config import Settings
from services.common.db import Database, Migration
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, require_store, service_database


def build_store(
    settings: Settings,
    service: str,
    *,
    extra_migrations: list[Migration] | None = None,
    max_connections: int = 8,
    inline_projections=(),
    chain_key: bytes | None = None,
) -> tuple[PostgresEventStore, Database]:
    """Open the service's store as the service's role, once the migrate step has brought its
    schema up to date. `chain_key`: the hash chain is an HMAC under it (the audit store's)."""
    schema = settings.schema(service)
    db = service_database(settings, schema, max_connections)
    require_store(settings, db, extra_migrations)

    def observe(events, seconds: float) -> None:
        metrics.APPEND_SECONDS.labels(service).observe(seconds)
        for event_type, n in Counter(e.type for e in events).items():
            metrics.EVENTS_APPENDED.labels(service, event_type).inc(n)

    return PostgresEventStore(
        db,
        key_vault(settings),
        upcast=upcast,
        on_append=observe,
        inline_projections=inline_projections,
        chain_key=chain_key,
    ), db
