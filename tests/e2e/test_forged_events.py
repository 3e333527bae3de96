"""Forged messages on the real broker, against a consumer running as its own broker user: each
process of this slice connects with the credentials the access model gives it. What the broker
does not vouch for, what is not an envelope, and a position the source does not hold are
dead-lettered with their reason; no read model or checkpoint moves; the genuine events flow on."""

from __future__ import annotations

import json
import threading
import uuid

import kombu
import pytest

from contracts.envelope import exchange_name
from services.common.config import Settings
from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher
from services.common.rpc_reads import StoreReads
from services.intake.entrypoints.service import IntakeService
from services.referrals.entrypoints.service import ReferralsService
from services.registries.entrypoints.service import RegistriesService
from tests.support.backbone import register
from tests.support.database import migrated_read_model
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually

SOURCES = ("registries", "intake", "referrals")
SERVICES = {"registries": RegistriesService, "intake": IntakeService, "referrals": ReferralsService}


@pytest.fixture
def slice_(broker_access, platform_config, container_factory, admin_url):
    """Write services, relays and a consumer, each connected as its own broker user."""
    settings = Settings.from_env(
        {
            "KENTRA_DATABASE_URL": platform_config["KENTRA_DATABASE_URL"],
            "KENTRA_AMQP_URI": broker_access.uri("reporting-consumer"),
            "KENTRA_SCHEMA_PREFIX": platform_config["KENTRA_SCHEMA_PREFIX"],
            "KENTRA_BROKER_PREFIX": broker_access.prefix,
        }
    )
    for name, cls in SERVICES.items():
        container_factory(cls, {**platform_config, "AMQP_URI": broker_access.uri(name)}).start()
    stop, stores = threading.Event(), {}
    import importlib

    for source in SOURCES:
        store, db = importlib.import_module(f"services.{source}.bootstrap").open_store(settings, 2)
        publisher = BatchPublisher(broker_access.uri(f"{source}-relay"), source)
        relay = OutboxRelay(source, store, db, publisher, poll_seconds=0.1)
        threading.Thread(target=relay.run, args=(stop,), daemon=True).start()
        stores[source] = store
    # the reporting consumer's user owns the queues `reporting.<source>`
    projection = Roster(name="reporting", sources=SOURCES)
    model = migrated_read_model(admin_url, settings, settings.schema("forged_roster"), projection)
    source = RpcEventSource(settings.amqp_uri, timeout=30)
    consumer = Consumer(projection, model, source, opener=personal_opener(settings, projection))
    publishers = {s: settings.publisher(s) for s in SOURCES}
    live = LiveConsumer(consumer, settings.amqp_uri, publishers=publishers, catch_up_seconds=3600)
    threading.Thread(target=live.run, args=(stop,), daemon=True).start()
    assert live.ready.wait(60)
    yield stores, consumer, model
    stop.set()
    source.close()
    model.close()


def caught_up(consumer, stores) -> bool:
    return all(consumer.position(s) == stores[s].last_position() for s in stores)


def publish(uri: str, source: str, body, **properties) -> None:
    exchange = kombu.Exchange(exchange_name(source), type="topic", passive=True)
    with kombu.Connection(uri) as conn:
        conn.Producer().publish(
            body if isinstance(body, str) else json.dumps(body),
            exchange=exchange,
            routing_key="BeneficiaryRegistered",
            content_type="application/json",
            **properties,
        )


def state(consumer, model) -> tuple:
    return roster_rows(model), {s: consumer.position(s) for s in SOURCES}


def test_forged_messages_are_dead_lettered_and_move_nothing_and_genuine_events_flow_on(
    slice_, broker_access
):
    stores, consumer, model = slice_
    for store in stores.values():
        register(store, 2)
    eventually(lambda: caught_up(consumer, stores), 60, what="the genuine events to be applied")
    before = state(consumer, model)
    genuine = StoreReads("registries", stores["registries"]).read_all(0, 1)[0]
    head = stores["registries"].last_position()
    ahead = {
        **genuine,
        "event_id": str(uuid.uuid4()),
        "stream": f"beneficiary-{uuid.uuid4()}",
        "position": head + 3,
        "prev_position": head + 2,
    }
    relay = broker_access.uri("registries-relay")
    forgeries = 0
    for source in SOURCES:
        forged = {**genuine, "source": source, "event_id": str(uuid.uuid4())}
        # the broker's administrator, who is no relay: without a user_id, and with its own
        publish(broker_access.admin_uri, source, forged)
        publish(broker_access.admin_uri, source, forged, user_id="guest")
        forgeries += 2
    # the relay's own credentials: a position three ahead of the store, and a non-envelope
    publish(relay, "registries", ahead, user_id=broker_access.prefix + "registries-relay")
    publish(
        relay,
        "registries",
        {"not": "an envelope"},
        user_id=broker_access.prefix + "registries-relay",
    )
    publish(relay, "registries", "\x00{not json", user_id=broker_access.prefix + "registries-relay")
    forgeries += 3

    eventually(
        lambda: len(consumer.open_dead_letters()) == forgeries,
        30,
        what="every forgery to be dead-lettered",
        explain=lambda: consumer.open_dead_letters(),
    )
    assert state(consumer, model) == before
    letters = consumer.open_dead_letters()
    assert all(d["stream"] is None and d["digest"] for d in letters)
    reasons = [d["error"] for d in letters]
    assert sum("publisher not vouched for" in r for r in reasons) == 6
    assert sum("not an event envelope" in r for r in reasons) == 2
    assert sum(f"at position {head + 3}" in r for r in reasons) == 1

    # the genuine events at the forged positions, and on the other sources, are applied
    for store in stores.values():
        register(store, 3)
    eventually(lambda: caught_up(consumer, stores), 60, what="the genuine events after forgeries")
    assert len(roster_rows(model)) == len(before[0]) + 3 * len(SOURCES)
    assert consumer.position("registries") == head + 3

    # every dead letter can be resolved: refused ones once the source has been read again
    assert consumer.retry_dead_letters(by="ops") == forgeries
    assert consumer.open_dead_letters() == []
