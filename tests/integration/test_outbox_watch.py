"""The outbox as the write service reads it for Prometheus, from outside the relay: what is
stored, what is not yet published, and how long the oldest of those has waited."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.common.relay.outbox_watch import OutboxWatch
from services.common.relay.relay import RELAY_NAME
from tests.support.backbone import register


def scraped(watch: OutboxWatch) -> dict[str, float]:
    registry = CollectorRegistry()
    registry.register(watch)
    text = generate_latest(registry).decode()
    return {f.name: f.samples[0].value for f in text_string_to_metric_families(text)}


def test_the_service_reports_its_unpublished_events_and_how_long_the_oldest_waited(pg_store):
    watch = OutboxWatch("registries", lambda: pg_store.db)
    assert scraped(watch) == {
        "kentra_store_head_position": 0,
        "kentra_store_unpublished_events": 0,
        "kentra_store_oldest_unpublished_seconds": 0,
    }
    register(pg_store, 3)
    time.sleep(1.1)
    found = scraped(watch)
    head = pg_store.last_position()
    assert found["kentra_store_head_position"] == head
    assert found["kentra_store_unpublished_events"] == head  # no relay has published anything
    assert found["kentra_store_oldest_unpublished_seconds"] >= 1
    with pg_store.db.transaction() as cur:  # the relay saves that it published them all
        cur.execute(
            "INSERT INTO relay_positions (relay, position) VALUES (%s, %s)", (RELAY_NAME, head)
        )
    found = scraped(watch)
    assert found["kentra_store_unpublished_events"] == 0
    assert found["kentra_store_oldest_unpublished_seconds"] == 0


def test_a_service_not_started_yet_exports_nothing_of_its_outbox():
    assert scraped(OutboxWatch("intake", lambda: None)) == {}
