"""SIGKILL the consumer while it applies a large backlog, in the middle of a batch, and start it
again: it redoes the batch that never committed and ends exactly where the store is."""

from __future__ import annotations

import contextlib
import random
import time

import pytest

from tests.faults.workload import Workload
from tests.support.faults import backends, waiting_on_row_lock
from tests.support.waiting import eventually

BACKLOG = 8000


@contextlib.contextmanager
def killed_on_the_row_of(platform, consumer, stream: str):
    """The roster row of `stream` is held locked through the block, so the consumer applies part
    of the batch that reaches `stream` and then waits on the row, inside its transaction: it is
    SIGKILLed there, mid-batch."""
    with platform.roster_row_locked(stream):
        yield
        eventually(
            lambda: waiting_on_row_lock(
                platform.admin_url, platform.roles[1], "INSERT INTO roster"
            ),
            60,
            explain=platform.diagnostics,
        )
        consumer.kill()


def kill_while_applying(platform, consumer, rng: random.Random) -> None:
    """SIGKILL it at a random moment, once it has made progress and while a transaction is open."""
    started = platform.consumer_position()
    time.sleep(rng.uniform(0, 0.5))
    eventually(
        lambda: (
            platform.consumer_position() > started
            and backends(platform.admin_url, platform.roles[1], "xact_start IS NOT NULL")
        ),
        60,
        0.02,
        explain=platform.diagnostics,
    )
    consumer.kill()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_consumer_killed_mid_batch_over_a_large_backlog_ends_exact_after_restarts(
    amqp_uri, platform_on
):
    platform = platform_on(amqp_uri)
    consumer, relay = platform.consumer(), platform.relay(batch_size=500)
    consumer.start()
    consumer.wait_ready()
    relay.start()
    workload, rng = Workload(platform.store, seed=4), random.Random(4)
    first, second = workload.register(2, set_aside=True)
    platform.wait_until_consumed(30)
    before = platform.consumer_position()

    consumer.stop()  # a backlog builds up in the store, and in its queue, while it is away
    workload.burst(BACKLOG // 2)
    contact = workload.contact(first)
    workload.burst(BACKLOG // 2)
    eventually(lambda: platform.relay_position() == platform.truth.last_position(), 60)

    with killed_on_the_row_of(platform, consumer, first):
        consumer.start()  # it catches up from the store, a page per transaction
    assert before < platform.consumer_position() < contact, (
        "pages before commit; the one it died in does not"
    )
    consumer.start()
    kill_while_applying(platform, consumer, rng)
    consumer.start()
    consumer.wait_ready()
    platform.wait_until_consumed(90)

    caught_up = platform.consumer_position()
    with killed_on_the_row_of(
        platform, consumer, second
    ):  # live now: a burst comes through the queue
        workload.burst(1500)
        live_contact = workload.contact(second)
        workload.burst(1500)
    assert caught_up < platform.consumer_position() < live_contact, (
        "live batches before commit; its own does not"
    )
    consumer.start()
    consumer.wait_ready()
    platform.wait_until_consumed(90)

    assert consumer.starts == 5
    platform.assert_every_event_applied_exactly_once(workload.expected)
    print(f"{workload.events} events; consumer killed 3 times mid-batch")
