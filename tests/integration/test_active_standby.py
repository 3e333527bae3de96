"""Active/standby against the real PostgreSQL and RabbitMQ: the lock two instances share, the relay's
lease (a relay that lost its lock sends nothing) and two relays and two live consumers handing
over. The same with real processes SIGKILLed under load: tests/faults/test_active_standby.py."""

from __future__ import annotations

import threading
import time

import psycopg2
import pytest

from services.common.consumer import Consumer
from services.common.consumer.consistency import check
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.db import ActiveLock, Database
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher
from services.common.relay.relay import LeaseExpired
from tests.support.backbone import bind_queue, drain, register
from tests.support.faults import in_background
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually


@pytest.fixture
def lock_db(admin_url, unique_schema):
    """A database whose schema names the locks (advisory locks need no table)."""
    db = Database(admin_url, unique_schema("lock"))
    yield db
    db.close()


@pytest.fixture
def locks(lock_db):
    made: list[ActiveLock] = []

    def make(name: str = "relay:amqp", db: Database | None = None, **options) -> ActiveLock:
        made.append(ActiveLock(db or lock_db, name, poll_seconds=0.05, **options))
        return made[-1]

    yield make
    for lock in made:
        lock.release()


def holder_pid(admin_url: str, lock: ActiveLock) -> int | None:
    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cur:
            found = lock.holder(cur)
            return found[0] if found else None
    finally:
        conn.close()


def terminate(admin_url: str, backend_pid: int) -> None:
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (backend_pid,))
    finally:
        conn.close()


class Standby:
    """`lock.hold` in a thread of its own, as a standby process waits for its turn."""

    def __init__(self, lock: ActiveLock):
        self.lock, self.stop, self.result = lock, threading.Event(), None
        self.thread = in_background(self._hold)

    def _hold(self) -> None:
        self.result = self.lock.hold(self.stop)


# -- the lock --------------------------------------------------------------------------------------
def test_a_second_instance_waits_while_the_first_holds_the_lock_and_takes_it_when_let_go(
    locks, admin_url
):
    first, second = locks(), locks()
    assert first.hold(threading.Event()) and first.held
    standby = Standby(second)
    time.sleep(0.5)
    assert standby.thread.is_alive() and not second.held
    assert holder_pid(admin_url, first) == first.session().get_backend_pid()

    first.release()
    standby.thread.join(5)
    assert standby.result is True and second.held and not first.held
    assert holder_pid(admin_url, second) == second.session().get_backend_pid()


def test_killing_the_holders_connection_hands_the_lock_to_the_standby(locks, admin_url):
    roles: list[bool] = []
    first, second = locks(on_change=roles.append), locks()
    first.hold(threading.Event())
    standby = Standby(second)

    terminate(admin_url, first.session().get_backend_pid())
    standby.thread.join(5)
    assert standby.result is True and second.held

    with pytest.raises(psycopg2.Error):  # the first learns it at its next round trip
        first.confirm()
    assert not first.held and roles == [True, False]
    again = Standby(first)  # and is a standby now, on a session of its own
    time.sleep(0.3)
    assert again.thread.is_alive() and not first.held
    again.stop.set()
    again.thread.join(5)
    assert again.result is False


def test_a_held_lock_whose_session_ended_is_never_taken_for_held_on_a_new_session(locks):
    lock = locks()
    lock.hold(threading.Event())
    lock.session().close()  # as psycopg2 marks a connection it found broken
    with pytest.raises(psycopg2.InterfaceError):
        lock.confirm()
    assert not lock.held


def test_a_standby_told_to_stop_stops_waiting_at_once(locks):
    locks().hold(threading.Event())
    standby = Standby(locks())
    time.sleep(0.2)
    began = time.monotonic()
    standby.stop.set()
    standby.thread.join(5)
    assert standby.result is False and time.monotonic() - began < 1


def test_each_store_and_each_process_kind_has_a_lock_of_its_own(locks, admin_url, unique_schema):
    other_store = Database(admin_url, unique_schema("lock"))
    try:
        held = [
            locks("relay:amqp").hold(threading.Event()),
            locks("relay:amqp", db=other_store).hold(threading.Event()),
            locks("consumer:roster").hold(threading.Event()),
        ]
    finally:
        other_store.close()
    assert held == [True, True, True]


# -- the relay -------------------------------------------------------------------------------------
@pytest.fixture
def relays(pg_store, amqp_uri):
    made: list[OutboxRelay] = []

    def make(**options) -> OutboxRelay:
        publisher = BatchPublisher(amqp_uri, "registries")
        made.append(OutboxRelay("registries", pg_store, pg_store.db, publisher, **options))
        return made[-1]

    yield make
    for relay in made:
        relay.publisher.close()
        relay.lock.release()


def test_a_relay_whose_lock_session_ended_sends_no_page_and_moves_no_position(
    relays, pg_store, amqp_uri, admin_url
):
    relay, queue = relays(), bind_queue(amqp_uri, "registries")
    relay.lock.hold(threading.Event())
    register(pg_store, 5)
    terminate(admin_url, relay.lock.session().get_backend_pid())

    with pytest.raises(psycopg2.Error):
        relay.publish_pending()
    # the fence runs before the first message: a sent page cannot be taken back under confirms
    assert drain(amqp_uri, queue, 5, timeout=1) == []
    assert relay.position() == 0 and not relay.lock.held


def test_a_page_is_not_sent_when_the_lock_session_answers_later_than_the_lease(
    relays, pg_store, amqp_uri
):
    relay, queue = relays(lease_seconds=0.0), bind_queue(amqp_uri, "registries")
    relay.lock.hold(threading.Event())
    register(pg_store, 5)

    with pytest.raises(LeaseExpired):
        relay.publish_pending()
    assert drain(amqp_uri, queue, 5, timeout=1) == []
    assert relay.position() == 0 and relay.lock.held  # still active: it only waited too long


def test_two_running_relays_publish_every_event_once_in_order_across_a_handover(
    relays, pg_store, amqp_uri, admin_url
):
    queue = bind_queue(amqp_uri, "registries")
    first, second = (relays(poll_seconds=0.1, lease_seconds=0.3) for _ in range(2))
    stop_first, stop_second = threading.Event(), threading.Event()
    running_first = in_background(first.run, stop_first)
    eventually(lambda: first.lock.held, 10)
    running_second = in_background(second.run, stop_second)
    try:
        register(pg_store, 30)
        eventually(lambda: first.position() == pg_store.last_position(), 10)
        assert not second.lock.held

        stop_first.set()
        running_first.join(10)
        eventually(lambda: second.lock.held, 10, what="the standby to take over")
        register(pg_store, 30)
        eventually(lambda: second.position() == pg_store.last_position(), 10)
        assert holder_pid(admin_url, second.lock) == second.lock.session().get_backend_pid()
    finally:
        stop_first.set()
        stop_second.set()
        running_second.join(10)

    published = [envelope["position"] for _, envelope in drain(amqp_uri, queue, 61, timeout=2)]
    assert published == [e.position for e in pg_store.read_all(0, 1000)]


def test_a_relay_that_loses_its_lock_session_stands_by_and_the_other_goes_on_in_order(
    relays, pg_store, amqp_uri, admin_url
):
    queue = bind_queue(amqp_uri, "registries")
    first, second = (relays(poll_seconds=0.1, lease_seconds=0.3) for _ in range(2))
    second.lock.poll_seconds = 0.02  # it asks well before the first has backed off to ask again
    stop = threading.Event()
    running = [in_background(first.run, stop)]
    eventually(lambda: first.lock.held, 10)
    running.append(in_background(second.run, stop))
    try:
        register(pg_store, 30)
        eventually(lambda: first.position() == pg_store.last_position(), 10)
        terminate(admin_url, first.lock.session().get_backend_pid())  # the relay lives on
        eventually(lambda: second.lock.held, 10, what="the standby to take over")
        register(pg_store, 30)
        eventually(lambda: second.position() == pg_store.last_position(), 10)
        assert not first.lock.held, "the first stands by"
    finally:
        stop.set()
        for thread in running:
            thread.join(10)

    published = [envelope for _, envelope in drain(amqp_uri, queue, 100, timeout=2)]
    assert {e["position"] for e in published} == {e.position for e in pg_store.read_all(0, 1000)}
    # one relay's stream after the other's: each message follows one already published (a
    # handover may publish again from the saved position, never skip ahead or interleave)
    seen = {0}
    for envelope in published:
        assert envelope["prev_position"] in seen, envelope["position"]
        seen.add(envelope["position"])


# -- the live consumer -----------------------------------------------------------------------------
class CountedReads(StoreEventSource):
    """The store, read in process, counting the reads: a standby must make none."""

    reads = 0

    def read_all(self, source, after_position, limit):
        self.reads += 1
        return super().read_all(source, after_position, limit)


def test_of_two_live_consumers_one_applies_and_the_other_reads_nothing_until_it_takes_over(
    pg_store, read_model, amqp_uri, settings, relays
):
    projection = Roster()
    db = read_model(projection)
    sources = [CountedReads({"registries": pg_store}) for _ in range(2)]
    lives = [
        LiveConsumer(
            Consumer(projection, db, source, opener=personal_opener(settings, projection)),
            amqp_uri,
            publishers={"registries": "guest"},
            catch_up_seconds=3600,
        )
        for source in sources
    ]
    first, second = lives
    relay = relays()
    stops = [threading.Event(), threading.Event()]
    threads = [in_background(first.run, stops[0])]
    try:
        assert first.ready.wait(20)
        threads.append(in_background(second.run, stops[1]))
        register(pg_store, 10)
        relay.publish_pending()
        eventually(lambda: first.consumer.position("registries") == pg_store.last_position(), 10)
        assert not second.ready.is_set() and not second.lock.held and sources[1].reads == 0

        stops[0].set()
        threads[0].join(10)
        assert second.ready.wait(20), "the standby took over and caught up"
        assert sources[1].reads > 0
        register(pg_store, 10)
        relay.publish_pending()
        eventually(lambda: second.consumer.position("registries") == pg_store.last_position(), 10)
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(10)

    assert {row[3] for row in roster_rows(db).values()} == {1} and len(roster_rows(db)) == 20
    assert check(db, "roster", ("registries",), StoreEventSource({"registries": pg_store})) == []


def test_a_live_consumer_whose_lock_session_is_terminated_stands_by_and_the_other_takes_over(
    pg_store, read_model, amqp_uri, settings, relays, admin_url
):
    projection = Roster()
    db = read_model(projection)
    first, second = (
        LiveConsumer(
            Consumer(
                projection,
                db,
                StoreEventSource({"registries": pg_store}),
                opener=personal_opener(settings, projection),
            ),
            amqp_uri,
            publishers={"registries": "guest"},
            catch_up_seconds=3600,
        )
        for _ in range(2)
    )
    second.lock.poll_seconds = 0.02  # it asks well before the first has backed off to ask again
    relay, stop = relays(), threading.Event()
    running = [in_background(first.run, stop)]
    try:
        assert first.ready.wait(20)
        running.append(in_background(second.run, stop))
        register(pg_store, 10)
        relay.publish_pending()
        terminate(admin_url, first.lock.session().get_backend_pid())  # the consumer lives on
        assert second.ready.wait(20), "the standby took over and caught up"
        # the first finds out at its next look at its session, within LOCK_CHECK_SECONDS: until
        # then both may apply, one batch after the other under the checkpoint's row lock
        eventually(lambda: not first.lock.held, 5, 0.05, "the first to stand by")
        register(pg_store, 10)
        relay.publish_pending()
        eventually(lambda: second.consumer.position("registries") == pg_store.last_position(), 10)
    finally:
        stop.set()
        for thread in running:
            thread.join(10)

    assert {row[3] for row in roster_rows(db).values()} == {1} and len(roster_rows(db)) == 20
    assert check(db, "roster", ("registries",), StoreEventSource({"registries": pg_store})) == []
