"""The outbox relay: publishes one store's events to RabbitMQ in store order, at least once.

The store itself is the outbox: the relay remembers the last position it published
(relay_positions) and moves it only after the broker committed the batch. A crash between the two
republishes that batch, which consumers recognise by position and skip.
"""

from __future__ import annotations

import logging
import select
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from contracts.envelope import to_message
from services.common import metrics
from services.common.backoff import Backoff
from services.common.db import TRANSIENT_ERRORS, Database
from services.common.eventstore.postgres import PostgresEventStore

from .publisher import BatchPublisher, encode

log = logging.getLogger(__name__)
RELAY_NAME = "amqp"
OBSERVE_SECONDS = 1.0


class OutboxRelay:
    def __init__(
        self,
        source: str,
        store: PostgresEventStore,
        db: Database,
        publisher: BatchPublisher,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
    ):
        self.source, self.store, self.db, self.publisher = source, store, db, publisher
        self.batch_size, self.poll_seconds = batch_size, poll_seconds
        self._listener: Any = None  # a psycopg2 connection LISTENing, once opened
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
        with self.db.transaction() as cur:
            # no wait for the WAL flush (a disk sync per page): a crash can lose only the latest
            # positions, never store one ahead, and a lost one republishes pages consumers skip
            cur.execute("SET LOCAL synchronous_commit TO off")
            cur.execute(
                "INSERT INTO relay_positions (relay, position) VALUES (%s, %s) ON CONFLICT (relay)"
                " DO UPDATE SET position = EXCLUDED.position, updated_at = now()",
                (RELAY_NAME, position),
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
            self.publisher.publish(messages)
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
        backoff, started = Backoff(), False
        while not stop.is_set():
            try:
                self._listen()
                if not started:
                    log.info("relay %s: publishing from position %s", self.source, self.position())
                    started = True
                self.publish_pending()
                backoff.reset()
                self._wait_for_news()
            except (
                Exception
            ) as exc:  # broker or database away: nothing is lost, the position stands
                metrics.RETRIES.labels(f"relay:{self.source}").inc()
                log.warning("relay %s: %s; retrying in %.1fs", self.source, exc, backoff.peek())
                self.publisher.close()
                self._close_listener()
                self._published = None
                if not isinstance(exc, TRANSIENT_ERRORS + (OSError, ConnectionError)):
                    log.exception("relay %s: unexpected error", self.source)
                stop.wait(backoff.next())
        self.publisher.close()
        self._close_listener()
        if self._read_ahead is not None:
            self._read_ahead.shutdown()

    def _listen(self) -> None:
        """LISTEN for the store's notifications (they carry a position, never personal data)."""
        if self._listener is None:
            conn = self.db.connect()
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'LISTEN "{self.store.notify_channel}"')
            self._listener = conn

    def _wait_for_news(self) -> None:
        """Sleep until a notification or the polling interval: polling covers a lost notification."""
        conn = self._listener
        if conn.notifies:
            conn.notifies.clear()
            return
        readable, _, _ = select.select([conn], [], [], self.poll_seconds)
        if readable:
            conn.poll()
            conn.notifies.clear()

    def _close_listener(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:
                log.debug("closing the listener", exc_info=True)
            self._listener = None
