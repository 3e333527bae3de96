"""The broker goes away mid-stream and comes back: writes never wait for it, the relay and the
consumer reconnect by themselves, and every event is applied exactly once.

The broker is a throw-away RabbitMQ node of the test's own (tests/support/faults.py), stopped
cleanly (an operator's restart) or SIGKILLed (a crash: no goodbye to the clients, queues
recovered from disk), then started again with its data: the machine's shared broker, which other
tests use, is never touched."""

from __future__ import annotations

import threading
import time

import pytest

from tests.faults.workload import Workload
from tests.support.faults import in_background, metric
from tests.support.waiting import eventually

OUTAGE_SECONDS = 4


@pytest.mark.slow
@pytest.mark.timeout(240)
@pytest.mark.parametrize("goes_away", ["stop", "crash"])
def test_relay_and_consumer_reconnect_by_themselves_after_the_broker_restarts(
    goes_away, broker, platform_on
):
    platform = platform_on(broker.amqp_uri)
    consumer, relay = platform.consumer(), platform.relay(batch_size=50)
    consumer.start()
    consumer.wait_ready()
    relay.start()
    workload, stop = Workload(platform.store, seed=2), threading.Event()
    writer = in_background(workload.run, stop, 0.003)
    try:
        eventually(lambda: platform.consumer_position() > 0, 30, explain=platform.diagnostics)
        getattr(broker, goes_away)()
        written = workload.events
        time.sleep(OUTAGE_SECONDS)
        written_while_away = workload.events - written
        broker.start()
        time.sleep(1)  # and writes go on after it is back
    finally:
        stop.set()
        writer.join(30)

    assert written_while_away > 0, "appends must not wait for the broker"
    platform.wait_until_consumed(90)
    for process in (relay, consumer):
        assert process.alive() and process.starts == 1, (
            f"{process.name} must reconnect, not die\n{process.log_tail()}"
        )
        assert metric(process.metrics_port, "kentra_retries_total") > 0, (
            f"{process.name} never saw the outage"
        )
    platform.assert_every_event_applied_exactly_once(workload.expected)
    print(
        f"{workload.events} events, {written_while_away} of them written while the broker was away"
    )
