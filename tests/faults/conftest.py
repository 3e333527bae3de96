from __future__ import annotations

import threading
import uuid

import pytest

from services.common.config import Settings
from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import open_read_model
from services.common.consumer.sources import StoreEventSource
from services.common.db import drop_platform
from services.common.runtime import build_store
from tests.support.projections import Roster


@pytest.fixture
def schema_prefix(database_url):
    prefix = f"f{uuid.uuid4().hex[:8]}_"
    yield prefix
    drop_platform(database_url, prefix)


def settings_for(database_url, amqp_uri, prefix) -> Settings:
    return Settings.from_env({"KENTRA_DATABASE_URL": database_url, "KENTRA_AMQP_URI": amqp_uri,
                              "KENTRA_SCHEMA_PREFIX": prefix})


@pytest.fixture
def live_roster():
    """A Roster consumer running live in a background thread (reading the store in-process)."""
    stop, threads = threading.Event(), []

    def start(settings, store):
        projection = Roster(name="roster")
        db = open_read_model(settings, settings.schema("roster"), projection)
        consumer = Consumer(projection, db, StoreEventSource({"registries": store}))
        live = LiveConsumer(consumer, settings.amqp_uri, catch_up_seconds=3600)
        threads.append(threading.Thread(target=live.run, args=(stop,), daemon=True))
        threads[-1].start()
        assert live.ready.wait(60)
        return consumer

    yield start
    stop.set()
    for t in threads:
        t.join(15)


@pytest.fixture
def settings_factory(database_url, schema_prefix):
    def make(amqp_uri):
        settings = settings_for(database_url, amqp_uri, schema_prefix)
        store, _ = build_store(settings, "registries")
        return settings, store

    return make


def assert_every_event_applied_exactly_once(consumer, store) -> None:
    from services.common.consumer.consistency import check
    from tests.support.projections import roster_rows

    rows = roster_rows(consumer.db)
    heads = {h.stream.split("-", 1)[1]: h.version for h in store.heads()}
    assert {b: r[3] for b, r in rows.items()} == heads  # Roster counts every applied event
    assert check(consumer.db, "roster", ("registries",), consumer.source) == []
