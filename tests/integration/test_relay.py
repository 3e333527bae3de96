"""The outbox relay against the real PostgreSQL store and the real RabbitMQ broker."""

from __future__ import annotations

import json
import threading
import uuid

import kombu
import pytest

from contracts.envelope import exchange_name
from services.common.consumer import PersonalOpener, SourceEvent
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher, Message, NotConfirmed
from tests.support.backbone import bind_queue, drain, register, touch


@pytest.fixture
def relay_for(amqp_uri):
    made = []

    def make(store, source: str = "registries", batch_size: int = 100) -> OutboxRelay:
        relay = OutboxRelay(
            source, store, store.db, BatchPublisher(amqp_uri, source), batch_size=batch_size
        )
        made.append(relay)
        return relay

    yield make
    for relay in made:
        relay.publisher.close()


def test_relay_publishes_every_event_in_store_order_under_the_nameko_convention(
    pg_store, relay_for, amqp_uri
):
    queue = bind_queue(amqp_uri, "registries")
    streams = register(pg_store, 250)
    touch(pg_store, streams[0], 3)

    assert relay_for(pg_store).publish_pending() == 253

    got = drain(amqp_uri, queue, 253)
    positions = [env["position"] for _, env in got]
    assert positions == sorted(positions) and len(set(positions)) == 253
    assert all(key == env["type"] for key, env in got)
    assert [env["prev_position"] for _, env in got[1:]] == positions[:-1]
    assert got[0][1]["prev_position"] == 0


def test_relay_publishes_personal_fields_sealed_and_the_vault_opens_them_greek_intact(
    pg_store, relay_for, amqp_uri
):
    queue = bind_queue(amqp_uri, "registries")
    register(pg_store, 1)
    relay_for(pg_store).publish_pending()
    ((_, envelope),) = drain(amqp_uri, queue, 1)
    assert "personal" not in envelope and envelope["erased"] is False
    assert "Ελένη" not in json.dumps(envelope, ensure_ascii=False)
    opener = PersonalOpener.from_vault(pg_store.vault)
    with pg_store.db.transaction() as cur:
        (opened,) = opener.open(cur, [SourceEvent.from_envelope(envelope)])
    assert opened.personal == {"given_name": "Ελένη", "family_name": "Παπαδάκη-0"}


def test_a_new_relay_resumes_where_the_last_one_stopped(pg_store, relay_for, amqp_uri):
    queue = bind_queue(amqp_uri, "registries")
    register(pg_store, 5)
    relay_for(pg_store).publish_pending()
    register(pg_store, 2)

    assert relay_for(pg_store).publish_pending() == 2
    assert len(drain(amqp_uri, queue, 8, timeout=2)) == 7


def test_relay_position_stays_put_when_the_broker_refuses_the_batch(pg_store, amqp_uri):
    register(pg_store, 3)
    broken = OutboxRelay(
        "registries", pg_store, pg_store.db, BatchPublisher("amqp://guest:guest@127.0.0.1:1/", "x")
    )
    with pytest.raises(OSError):
        broken.publish_pending()
    assert broken.position() == 0


def test_a_page_the_broker_nacks_raises_and_the_next_page_goes_out_on_a_new_connection(amqp_uri):
    """A queue that rejects what is over its length makes the broker nack those messages, as it
    does for messages a quorum queue did not take: the page is not reported published."""
    source = f"nackcheck{uuid.uuid4().hex[:6]}"
    queue = kombu.Queue(
        f"probe-{uuid.uuid4().hex[:8]}",
        kombu.Exchange(exchange_name(source), type="topic", durable=True),
        routing_key="#",
        durable=True,
        queue_arguments={"x-max-length": 2, "x-overflow": "reject-publish"},
    )
    publisher = BatchPublisher(amqp_uri, source, io_timeout=5)
    try:
        page = [Message("Checked", str(n), b'{"n": %d}' % n) for n in range(3)]
        publisher.publish(page[:1])  # the exchange made, before the queue is bound to it
        with kombu.Connection(amqp_uri) as conn:
            queue(conn.channel()).declare()
        publisher.publish(page[:2])  # 2 queued: taken
        with pytest.raises(NotConfirmed, match="nacked"):
            publisher.publish(page)
        assert publisher._conn is None  # closed: the page goes again on a new connection
        assert len(drain(amqp_uri, queue, 3, timeout=1)) == 2
        publisher.publish(page[:2])
        assert len(drain(amqp_uri, queue, 3, timeout=1)) == 2
    finally:
        publisher.close()
        with kombu.Connection(amqp_uri) as conn:
            queue(conn.channel()).delete()
            conn.channel().exchange_delete(exchange_name(source))


def test_running_relay_is_woken_by_a_notification_well_before_its_poll(pg_store, amqp_uri):
    queue = bind_queue(amqp_uri, "registries")
    relay = OutboxRelay(
        "registries", pg_store, pg_store.db, BatchPublisher(amqp_uri, "registries"), poll_seconds=30
    )
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        register(pg_store, 1)
        assert len(drain(amqp_uri, queue, 1, timeout=5)) == 1
        # it remembers where it stopped and reads no further than a short page: the next
        # append's notification must still bring that one, and only it
        register(pg_store, 2)
        assert len(drain(amqp_uri, queue, 3, timeout=3)) == 2
        assert relay.position() == pg_store.last_position()
    finally:
        stop.set()
        thread.join(10)


def test_a_silent_broker_connection_times_out_instead_of_hanging_the_relay(amqp_uri, tmp_path):
    """Run as the relay runs, a plain process: a broker that stops answering (no reset, no close)
    never acks the page, so the relay reconnects instead of waiting forever."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.support.silent_proxy import SilentProxy

    proxy, go_silent = SilentProxy(5672), tmp_path / "silent"
    root = Path(__file__).resolve().parents[2]
    publisher = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("silent_publisher.py")),
            proxy.uri(amqp_uri),
            str(go_silent),
        ],
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert publisher.stdout.readline().strip() == "published"
        proxy.silent.set()
        go_silent.touch()
        verdict = publisher.communicate(timeout=30)[0].split()
        assert verdict[0] == "refused" and float(verdict[-1]) < 10
    finally:
        publisher.kill()
        proxy.close()
