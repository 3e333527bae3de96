"""The outbox relay: publishes one store's events to RabbitMQ in store order, at least once.

The store itself is the outbox: the relay remembers the last position it published
(relay_positions) and moves it only after the broker confirmed every message of the page. A crash
between the two, or a page the broker did not confirm, republishes that page, which consumers
recognise by position and skip.

Several relays of one store may run: one is active and publishes, the others stand by and take
over when it dies (`OutboxRelay.run` states the rule that keeps two from publishing at once).
"""

from __future__ import annotations

import logging
import select
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from contracts.envelope import to_message
from services.common import metrics
from services.common.backoff import Backoff
from services.common.db import TRANSIENT_ERRORS, ActiveLock, Database
from services.common.eventstore.postgres import PostgresEventStore

from .publisher import BatchPublisher, encode

log = logging.getLogger(__name__)
RELAY_NAME = "amqp"
LOCK_NAME = f"relay:{RELAY_NAME}"  # the active relay's lock, one per store (its schema)
OBSERVE_SECONDS = 1.0
# how long after a round trip on its lock session a relay may still send a page to the broker, and
# so how long a relay that takes the lock waits before publishing (the rule in `run`)
LEASE_SECONDS = 2.0


class LeaseExpired(RuntimeError):
    """The lock session answered too late for the page to be sent under the lease."""


class OutboxRelay:
    def __init__(
        self,
        source: str,
        store: PostgresEventStore,
        db: Database,
        publisher: BatchPublisher,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        lease_seconds: float = LEASE_SECONDS,
    ):
        self.source, self.store, self.db, self.publisher = source, store, db, publisher
        self.batch_size, self.poll_seconds, self.lease_seconds = (
            batch_size,
            poll_seconds,
            lease_seconds,
        )
        # its session saves the position (without waiting for the disk: `_save_position`) and,
        # in `run`, holds the lock and LISTENs
        self.lock = ActiveLock(
            db,
            LOCK_NAME,
            session_settings={"synchronous_commit": "off"},
            on_change=self._role_changed,
        )
        metrics.ACTIVE.labels(f"relay:{source}").set(0)  # standing by until the lock is ours
        # the position last saved by this relay, so a wake-up need not read it back (None: read
        # it; after any failure the saved one is the truth again)
        self._published: int | None = None
        self._read_ahead: ThreadPoolExecutor | None = None
        self._next_observation = 0.0

    # -- one step ---------------------------------------------------------------------------------
    def position(self) -> int:
        with self.db.statement() as cur:
            cur.execute("SELECT position FROM relay_positions WHERE relay = %s", (RELAY_NAME,))
            row = cur.fetchone()
            return row[0] if row else 0

    def _save_position(self, position: int) -> None:
        """In a transaction on the lock's session: a relay that lost the lock cannot move it, nor
        can one killed before its COMMIT (its backend, waiting on a row lock, would otherwise
        save it on its own). No wait for the WAL flush (the session's synchronous_commit is off:
        a disk sync per page): a crash can lose only the latest positions, never store one
        ahead, and a lost one republishes pages consumers skip."""
        with self.lock.transaction() as cur:
            cur.execute(
                "INSERT INTO relay_positions (relay, position) VALUES (%s, %s) ON CONFLICT (relay)"
                " DO UPDATE SET position = EXCLUDED.position, updated_at = now()",
                (RELAY_NAME, position),
            )

    def _fence(self) -> None:
        """Right before each page is sent (rule 1 of `run`): a round trip on the lock's session,
        begun less than the lease ago. Outside `run` (one relay, no lock) it only costs the round
        trip."""
        began = time.monotonic()
        self.lock.confirm()
        if time.monotonic() - began >= self.lease_seconds:
            raise LeaseExpired(
                f"relay {self.source}: the lock session took over {self.lease_seconds}s to answer;"
                " the page is not sent"
            )

    def publish_pending(self) -> int:
        """Publish everything after the last published position; the number published.
        A short page is the end of the store as of that read: a later append notifies, so the
        relay does not read again to find nothing (at one event per wake-up, the empty read and
        the metrics' queries were most of its statements). A full page means more: the next one
        is read and encoded while the broker takes the current one."""
        total = 0
        position = self._published if self._published is not None else self.position()
        events, messages = self._page(position)
        while events:
            more = len(events) == self.batch_size
            following = self._reader().submit(self._page, events[-1].position) if more else None
            self.publisher.publish(messages, before_send=self._fence)
            position = events[-1].position
            self._save_position(position)
            self._published = position
            metrics.RELAY_PUBLISHED.labels(self.source).inc(len(events))
            metrics.RELAY_POSITION.labels(self.source).set(position)
            total += len(events)
            events, messages = following.result() if following else ([], [])
        self._observe(position)
        return total

    def _reader(self) -> ThreadPoolExecutor:
        if self._read_ahead is None:
            self._read_ahead = ThreadPoolExecutor(1, thread_name_prefix=f"{self.source}-relay-read")
        return self._read_ahead

    def _page(self, after: int):
        events = self.store.read_all(after_position=after, limit=self.batch_size, sealed_only=True)
        messages, prev = [], after
        for e in events:
            messages.append(encode(to_message(self.source, e, prev)))
            prev = e.position
        return events, messages

    def _observe(self, position: int) -> None:
        """The backlog and lag gauges, refreshed at most once per OBSERVE_SECONDS: two queries
        per wake-up would cost more than publishing the one event that woke the relay."""
        now = time.monotonic()
        if now < self._next_observation:
            return
        self._next_observation = now + OBSERVE_SECONDS
        metrics.OUTBOX_BACKLOG.labels(self.source).set(
            max(0, self.store.last_position() - position)
        )
        pending = self.store.read_all(after_position=position, limit=1, sealed_only=True)
        age = (datetime.now(UTC) - pending[0].recorded_at).total_seconds() if pending else 0.0
        metrics.RELAY_LAG.labels(self.source).set(age)

    # -- the loop -----------------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Publish while active, stand by while another relay of the store is, until `stop`.

        Active/standby: the relay whose session holds the lock (`ActiveLock` LOCK_NAME, on the
        store's database) publishes; the others poll for it. A relay learns that its lock session
        ended (the server restarted, the connection was terminated or cut) only at its next
        statement on it, while a standby may take the lock the moment it ends. So:
        1. Right before sending each page the relay makes a round trip on its lock session, and
           sends only if that round trip began less than `lease_seconds` ago (`_fence`). The
           session, so the lock, was alive at some moment after it began: every page is sent
           within the lease of a moment its relay held the lock. (Publisher confirms cannot take
           a page back once sent, as tx.commit could: the check comes before the first message.)
        2. A relay that takes the lock waits `lease_seconds` before it reads its position and
           publishes. The last holder held the lock at the latest until this one took it, so its
           last page has been sent by then.
        3. The position is saved on the lock session itself, once the broker confirmed the page:
           a relay that lost the lock cannot move it, and every saved position was published by
           the relay that saved it.
        Left over: a page sent in time that reaches the broker after the lease (held in a socket
        buffer while the broker blocked publishers, or a page of many messages still being
        written), or a relay paused (SIGSTOP, a frozen VM) between its round trip and its sending
        for longer than the lease, delivers one page after the new holder's first ones. Those
        events are ones the new holder publishes again from the saved position: consumers drop
        repeats by position and read any gap back from the store (guarantee 6), so nothing is
        lost, doubled or applied out of order; only the bus's order is broken, for that page.
        Monotonic clocks measure the lease at both ends."""
        backoff = Backoff()
        while not stop.is_set():
            try:
                if not self.lock.held and not self._take_over(stop):
                    break
                self.publish_pending()
                backoff.reset()
                self._wait_for_news()
            except (
                Exception
            ) as exc:  # broker or database away: nothing is lost, the position stands
                metrics.RETRIES.labels(f"relay:{self.source}").inc()
                log.warning("relay %s: %s; retrying in %.1fs", self.source, exc, backoff.peek())
                self.publisher.close()
                self._published = None
                self.lock.still_held()
                if not isinstance(exc, TRANSIENT_ERRORS + (OSError, ConnectionError)):
                    log.exception("relay %s: unexpected error", self.source)
                stop.wait(backoff.next())
        self.publisher.close()
        self.lock.release()
        if self._read_ahead is not None:
            self._read_ahead.shutdown()

    def _take_over(self, stop: threading.Event) -> bool:
        """Active: the lock held, the last holder's lease run out (rule 2), the store LISTENed to
        (its notifications carry a position, never personal data). False: stopped meanwhile."""
        if not self.lock.hold(stop) or stop.wait(self.lease_seconds):
            return False
        self.lock.execute(f'LISTEN "{self.store.notify_channel}"')
        self._published = None
        log.info("relay %s: publishing from position %s", self.source, self.position())
        return True

    def _role_changed(self, active: bool) -> None:
        """A standby exports no position, backlog or lag: what it last saw would stay frozen beside
        the active relay's figures (and keep a max() of them up)."""
        metrics.ACTIVE.labels(f"relay:{self.source}").set(1 if active else 0)
        if not active:
            for gauge in (metrics.RELAY_POSITION, metrics.OUTBOX_BACKLOG, metrics.RELAY_LAG):
                gauge.remove(self.source)

    def _wait_for_news(self) -> None:
        """Sleep until a notification or the polling interval: polling covers a lost notification.
        Anything else that wakes the lock session (its end) is found out by a round trip."""
        conn = self.lock.session()
        if conn.notifies:
            conn.notifies.clear()
            return
        readable, _, _ = select.select([conn], [], [], self.poll_seconds)
        if readable:
            conn.poll()  # raises once the session has ended: the loop finds the lock lost
            if conn.notifies:
                conn.notifies.clear()
            else:
                self.lock.confirm()
