"""Duplicates, reordering and a dropped message on the real broker: the live consumer repairs the
gap over RPC from the source service and ends identical to the source."""

from __future__ import annotations

import json
import random
import threading
import time
import uuid

import kombu

from contracts.envelope import exchange_name
from services.common import metrics
from services.common.consumer import Consumer
from services.common.consumer.consistency import check
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.common.rpc_reads import StoreReads
from services.registries import bootstrap as registries_bootstrap
from services.registries.entrypoints.service import RegistriesService
from tests.support.database import migrated_read_model
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually


def publish_raw(amqp_uri: str, envelopes: list[dict]) -> None:
    exchange = kombu.Exchange(exchange_name("registries"), type="topic", durable=True)
    with kombu.Connection(amqp_uri) as conn:
        producer = conn.Producer(exchange=exchange)
        for env in envelopes:
            producer.publish(
                json.dumps(env),
                routing_key=env["type"],
                content_type="application/json",
                delivery_mode=2,
                user_id="guest",  # the relay of this test's platform: the noise is the bus's
                declare=[exchange],
            )


def test_injected_duplicates_reordering_and_a_drop_end_identical_with_the_gap_repaired(
    running, platform_settings, admin_url
):
    running(RegistriesService)
    store, _ = registries_bootstrap.open_store(platform_settings)
    stop = threading.Event()
    projection = Roster(name="noisy_roster")
    db = migrated_read_model(
        admin_url, platform_settings, platform_settings.schema("noisy_roster"), projection
    )
    consumer = Consumer(
        projection,
        db,
        RpcEventSource(platform_settings.amqp_uri),
        opener=personal_opener(platform_settings, projection),
    )
    live = LiveConsumer(
        consumer,
        platform_settings.amqp_uri,
        publishers=dict.fromkeys(consumer.projection.sources, "guest"),
        catch_up_seconds=3600,
    )  # only the live path
    thread = threading.Thread(target=live.run, args=(stop,), daemon=True)
    thread.start()
    assert live.ready.wait(20)  # queue declared, caught up on an empty store
    repaired_before = metrics.GAPS_REPAIRED.labels("noisy_roster", "registries")._value.get()
    try:
        for _ in range(60):
            subject = uuid.uuid4()
            store.append(
                f"beneficiary-{subject}",
                NO_STREAM,
                [
                    NewEvent(
                        "BeneficiaryRegistered",
                        {"n": 1},
                        personal={"given_name": "Πέτρος"},
                        subject_id=subject,
                    ),
                    NewEvent("ContactNoted", {"n": 2}),
                ],
                Metadata("sw-1", "MU-KALAMATA"),
            )
        envelopes = StoreReads("registries", store).read_all(0, 1000)
        rng = random.Random(11)
        noisy = [e for i, e in enumerate(envelopes) if i != 17] + rng.sample(envelopes, 25)
        rng.shuffle(noisy)
        publish_raw(platform_settings.amqp_uri, noisy)

        eventually(
            lambda: consumer.position("registries") >= store.last_position(),
            90,
            what="the consumer to catch up through the noise",
        )
        assert consumer.position("registries") == store.last_position()
        time.sleep(0.5)  # let the redelivered tail drain: it must change nothing
        assert (
            check(db, "noisy_roster", ("registries",), RpcEventSource(platform_settings.amqp_uri))
            == []
        )
        rows = roster_rows(db)
        assert len(rows) == 60 and all(r[3] == 2 for r in rows.values())
        assert (
            metrics.GAPS_REPAIRED.labels("noisy_roster", "registries")._value.get()
            > repaired_before
        )
    finally:
        stop.set()
        thread.join(10)
