"""PostgreSQL kills the services' connections (pg_terminate_backend, as a failover or an
administrator does) while events flow: the relay, the consumer and the writers retry, nothing is
lost, nothing is applied twice, and a transient failure is never mistaken for a poison event."""

from __future__ import annotations

import random
import threading
import time

import pytest

from tests.faults.workload import Workload
from tests.support.faults import in_background, metric

KILL_ROUNDS = 5


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_relay_and_consumer_ride_out_their_database_connections_being_killed(amqp_uri, platform_on):
    platform = platform_on(amqp_uri)
    consumer, relay = platform.consumer(), platform.relay(batch_size=50)
    consumer.start()
    consumer.wait_ready()
    relay.start()
    workload, stop = Workload(platform.store, seed=3), threading.Event()
    writer = in_background(workload.run, stop, 0.002)
    rng, killed = random.Random(3), []
    try:
        for _ in range(KILL_ROUNDS):
            time.sleep(rng.uniform(0.4, 1.0))
            killed.append(platform.terminate_service_connections())
        time.sleep(1)
    finally:
        stop.set()
        writer.join(30)

    assert all(killed), f"every round found connections to kill: {killed}"
    platform.wait_until_consumed(90)
    for process in (relay, consumer):
        assert process.alive() and process.starts == 1, (
            f"{process.name} must retry, not die\n{process.log_tail()}"
        )
        assert metric(process.metrics_port, "kentra_retries_total") > 0, (
            f"{process.name} never felt a kill"
        )
    assert metric(consumer.metrics_port, "kentra_dead_letters_total") == 0, (
        "a transient error was dead-lettered"
    )
    platform.assert_every_event_applied_exactly_once(workload.expected)
    print(
        f"{workload.events} events; {sum(killed)} connections killed in {KILL_ROUNDS} rounds;"
        f" the writer retried {workload.retries} appends"
    )
