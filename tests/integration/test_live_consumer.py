"""The live path on the real broker: deliveries arriving over time, batch after batch."""

from __future__ import annotations

import threading
import time

from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher
from tests.support.backbone import register
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually


def test_bursts_arriving_one_after_another_are_all_applied_live(
    pg_store, read_model, amqp_uri, settings
):
    projection = Roster()
    consumer = Consumer(
        projection,
        read_model(projection),
        StoreEventSource({"registries": pg_store}),
        opener=personal_opener(settings, projection),
    )
    live = LiveConsumer(
        consumer,
        amqp_uri,
        publishers=dict.fromkeys(consumer.projection.sources, "guest"),
        catch_up_seconds=3600,
    )  # the live path alone
    relay = OutboxRelay("registries", pg_store, pg_store.db, BatchPublisher(amqp_uri, "registries"))
    stop = threading.Event()
    thread = threading.Thread(target=live.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert live.ready.wait(20)
        for _ in range(4):
            register(pg_store, 5)
            relay.publish_pending()
            time.sleep(0.3)  # each burst is flushed on its own
        eventually(
            lambda: consumer.position("registries") >= pg_store.last_position(),
            10,
            0.1,
            what="the consumer to apply every burst",
        )
        assert len(roster_rows(consumer.db)) == 20
    finally:
        stop.set()
        thread.join(10)
        relay.publisher.close()
