"""Wiring shared by every process that opens a service's event store (services, relays, tools)."""

from __future__ import annotations

import gc
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


def settle_heap() -> None:
    """Once a process has imported and set up everything it keeps for life (the contracts, the
    vocabularies, nameko, the pools): move those objects out of the garbage collector's sight,
    and collect the young generation less often. Every full collection walked the ~100,000
    objects of start-up on the request path (tens of ms, in a green-threaded service a stall of
    every request in flight), and a fifth of the gateway's samples were collections triggered by
    allocations in the AMQP client. Objects made later are collected as before."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
