"""The broker goes away mid-stream and comes back: the relay and the consumer reconnect by
themselves, writes never waited for the broker, and nothing is lost or doubled."""
from __future__ import annotations

import time

import pytest

from tests.faults.conftest import assert_every_event_applied_exactly_once
from tests.support.backbone import register
from tests.support.faults import RelayProcess, ThrowAwayBroker, in_background, wait_until


@pytest.fixture
def broker():
    node = ThrowAwayBroker()
    node.start()
    yield node
    node.remove()


@pytest.mark.slow
def test_relay_and_consumer_reconnect_by_themselves_after_the_broker_restarts(broker, settings_factory, live_roster):
    settings, store = settings_factory(broker.amqp_uri)
    consumer = live_roster(settings, store)
    relay = RelayProcess(settings, "registries", batch_size=50)
    relay.start()
    appended_while_down = []

    def keep_appending():
        for _ in range(80):
            register(store, 5)
            time.sleep(0.05)

    try:
        appender = in_background(keep_appending)
        assert wait_until(lambda: consumer.position("registries") > 0, 30)
        broker.stop()
        before = store.last_position()
        time.sleep(3)
        appended_while_down.append(store.last_position() - before)
        broker.start()
        appender.join(120)
        assert wait_until(lambda: consumer.position("registries") == store.last_position(), 120)
        assert relay.alive(), "the relay must reconnect, not die"
    finally:
        relay.stop()

    assert appended_while_down[0] > 0, "appends go on while the broker is away"
    assert store.last_position() == 400
    assert_every_event_applied_exactly_once(consumer, store)
