"""Active/standby against the real PostgreSQL: the lock two instances share."""

from __future__ import annotations

import threading
import time

import psycopg2
import pytest

from services.common.db import ActiveLock, Database
from tests.support.faults import in_background


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
