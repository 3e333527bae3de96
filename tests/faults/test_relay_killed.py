"""SIGKILL the relay process mid-stream, again and again: every event still reaches the consumer
exactly once."""
from __future__ import annotations

import random
import time

import pytest

from services.common import metrics
from tests.faults.conftest import assert_every_event_applied_exactly_once
from tests.support.backbone import register, touch
from tests.support.faults import RelayProcess, in_background, wait_until

KILLS = 6


@pytest.mark.slow
def test_every_event_reaches_the_consumer_once_although_the_relay_is_killed_mid_stream(
        amqp_uri, settings_factory, live_roster):
    settings, store = settings_factory(amqp_uri)
    consumer = live_roster(settings, store)
    duplicates_before = metrics.CONSUMER_DUPLICATES.labels("roster", "registries")._value.get()
    relay = RelayProcess(settings, "registries", batch_size=20)
    relay.start()

    def keep_appending():
        for _ in range(150):
            streams = register(store, 4)
            touch(store, streams[0], 3)
            time.sleep(0.01)

    appender = in_background(keep_appending)
    rng = random.Random(5)
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.3, 1.0))
            relay.kill()  # SIGKILL: no clean-up, wherever it was
            relay.start()
        appender.join(120)
        caught_up = wait_until(lambda: consumer.position("registries") == store.last_position(), 90)
        with store.db.transaction() as cur:
            cur.execute("SELECT position FROM relay_positions")
            relayed = cur.fetchall()
        assert caught_up, (consumer.position("registries"), store.last_position(), relayed, relay.alive())
    finally:
        relay.stop()

    assert store.last_position() == 150 * 7
    assert_every_event_applied_exactly_once(consumer, store)
    duplicates = metrics.CONSUMER_DUPLICATES.labels("roster", "registries")._value.get() - duplicates_before
    print(f"relay killed {KILLS} times; {duplicates} redelivered events skipped by the consumer")
