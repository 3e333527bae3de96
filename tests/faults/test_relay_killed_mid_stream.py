"""SIGKILL the relay process mid-stream, again and again, while the store keeps taking writes:
every event still reaches the consumer, and none is applied twice."""

from __future__ import annotations

import random
import threading
import time

import pytest

from tests.faults.workload import Workload
from tests.support.backbone import bind_queue
from tests.support.faults import in_background, metric, queued_positions, waiting_on_row_lock
from tests.support.waiting import eventually

RANDOM_KILLS = 5


def kill_between_broker_commit_and_position_save(platform, relay) -> None:
    """The window at-least-once exists for: the broker has committed a batch and the relay has not
    yet recorded how far it got. Its position row is held locked, so the relay publishes a batch
    and then waits on the row; it dies there, and the position it never saved is rolled back."""
    eventually(lambda: platform.relay_position() > 0, 30, explain=platform.diagnostics)
    with platform.relay_position_locked():
        eventually(
            lambda: waiting_on_row_lock(
                platform.admin_url, platform.roles[0], "INSERT INTO relay_positions"
            ),
            30,
            explain=platform.diagnostics,
        )
        relay.kill()
    relay.start()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_every_event_reaches_the_consumer_once_although_the_relay_is_killed_mid_stream(
    amqp_uri, platform_on
):
    platform = platform_on(amqp_uri)
    probe = bind_queue(amqp_uri, "registries")  # sees every publication, repeats included
    consumer = platform.consumer()
    consumer.start()
    consumer.wait_ready()
    relay = platform.relay(batch_size=50)
    relay.start()
    workload, stop = Workload(platform.store, seed=1), threading.Event()
    writer = in_background(workload.run, stop, 0.001)
    rng = random.Random(7)
    try:
        for kill in range(RANDOM_KILLS + 1):
            time.sleep(rng.uniform(0.3, 1.2))
            # hundreds of writes between two kills however slow the machine is today
            eventually(lambda k=kill: workload.events >= (k + 1) * 350, 60, what="writes")
            if kill == 2:
                kill_between_broker_commit_and_position_save(platform, relay)
                continue
            relay.kill()
            time.sleep(rng.uniform(0, 0.3))  # writes pile up while no relay runs
            relay.start()
        time.sleep(1)
    finally:
        stop.set()
        writer.join(30)

    platform.wait_until_consumed(90)
    assert relay.starts == RANDOM_KILLS + 2 and relay.alive(), relay.log_tail()
    assert workload.events > 2000, "thousands of events, or the kills prove little"
    eventually(lambda: platform.relay_position() == platform.truth.last_position(), 30)
    published = queued_positions(amqp_uri, probe)
    stored = [e.position for e in platform.truth.read_all(0, 1_000_000)]
    assert sorted(set(published)) == stored, "the relay published every stored event"
    republished = len(published) - len(stored)
    assert republished > 0, "no batch was published twice: the at-least-once path went untested"

    def skipped() -> float:
        return metric(
            consumer.metrics_port,
            "kentra_consumer_duplicates_total",
            consumer="roster",
            source="registries",
        )

    eventually(lambda: skipped() >= republished, 30, explain=lambda: (skipped(), republished))
    platform.assert_every_event_applied_exactly_once(workload.expected)
    print(
        f"{workload.events} events; relay killed {RANDOM_KILLS + 1} times; {republished} published twice,"
        f" {skipped():.0f} deliveries skipped by the consumer"
    )
