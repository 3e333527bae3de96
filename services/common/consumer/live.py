"""The live path: RabbitMQ deliveries, applied in batches, acked only after they commit.

Our own kombu loop rather than a nameko @event_handler: nameko acks a message even when the handler
raised, and a transaction per message caps a read model near the fsync rate. Here a batch is one
transaction; a failure before commit leaves every message of the batch unacked, so the broker
redelivers it, and `handle` skips what was already applied.

Each message is checked on its own before it joins a batch: the broker must vouch that the
source's relay published it (validated `user_id`), and it must be an envelope of that source. A
message that fails either is dead-lettered at once with its digest and the reason, and is acked
with its batch: it can neither stall the queue nor hold back other sources.

Several consumers of one read model may run: one is active, the others stand by (`LiveConsumer.run`
says how, and why not RabbitMQ's single active consumer).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping

import kombu
import orjson

from contracts.envelope import exchange_name
from services.common import metrics
from services.common.backoff import Backoff
from services.common.broker import find_exchange
from services.common.db import ActiveLock

from .consumer import Consumer
from .projection import SourceEvent

log = logging.getLogger(__name__)

# how long the loop blocks with nothing gathered: bounds the wait for a heartbeat check or a stop
IDLE_WAIT = 0.25
# how often the active consumer makes sure its lock session is alive, when nothing else failed
LOCK_CHECK_SECONDS = 1.0


def lock_name(projection: str) -> str:
    """The active consumer's lock, one per read model (in its schema)."""
    return f"consumer:{projection}"


class LiveConsumer:
    def __init__(
        self,
        consumer: Consumer,
        amqp_uri: str,
        *,
        publishers: Mapping[str, str],
        batch_size: int = 500,
        flush_seconds: float = 0.002,
        catch_up_seconds: float = 30.0,
        queue_type: str = "quorum",
    ):
        self.consumer, self.amqp_uri = consumer, amqp_uri
        self.publishers = dict(publishers)  # source -> the broker user of its relay
        self.batch_size, self.flush_seconds, self.catch_up_seconds = (
            batch_size,
            flush_seconds,
            catch_up_seconds,
        )
        self.queue_type = queue_type
        self._buffer: list[kombu.Message] = []
        # set once this consumer is active, its queues exist and its first catch-up is done
        self.ready = threading.Event()
        self.lock = ActiveLock(
            consumer.db, lock_name(consumer.projection.name), on_change=self._role_changed
        )
        metrics.ACTIVE.labels(f"consumer:{consumer.projection.name}").set(0)

    def queues(self) -> list[kombu.Queue]:
        name = self.consumer.projection.name
        return [
            kombu.Queue(
                f"{name}.{source}",
                # passive: a consumer may bind to its sources' exchanges, not make or change them
                kombu.Exchange(exchange_name(source), type="topic", durable=True, passive=True),
                routing_key="#",
                durable=True,
                queue_arguments={"x-queue-type": self.queue_type},
            )
            for source in self.consumer.projection.sources
        ]

    def run(self, stop: threading.Event) -> None:
        """Consume while active, stand by while another consumer of the read model is, until
        `stop`.

        Active/standby: the consumer whose session holds the lock (`ActiveLock`, `lock_name`, on
        the read model's database) connects to the broker, catches up from the stores and
        consumes; the others poll for the lock and touch neither the queues nor the stores. An
        active consumer that loses its lock session (found at the next round trip on it, every
        LOCK_CHECK_SECONDS, or at any failure) closes its broker connection, so its unacked
        messages go back to the queue, and stands by.

        Unlike the relay's, this lock needs no lease: it keeps a standby idle, it does not make
        the read model right. A consumer that lost the lock goes on applying until it finds out
        (the batch in hand, and the queue shared with the new one for up to LOCK_CHECK_SECONDS);
        each batch locks its source's checkpoint row, drops what is at or below it and reads a
        gap back from the store (`Consumer._handle_batch`), so the two apply one batch after the
        other, each event once, in order.

        Why not RabbitMQ's single active consumer: it is a queue argument
        (`x-single-active-consumer`), and a queue's arguments cannot change once it is declared.
        The queues exist on every installation (each consumer declares its own), so the upgrade
        would have to delete them, losing what they hold, or meet PRECONDITION_FAILED. It would
        also pick the active consumer per queue, so two processes could share a read model's
        sources, and each would still read the stores to catch up, which it does not govern."""
        backoff = Backoff()
        while not stop.is_set():
            try:
                if not self.lock.hold(stop):
                    break
                self._session(stop, backoff)
            except Exception as exc:  # broker or database away: unacked messages come back
                metrics.RETRIES.labels(f"consumer:{self.consumer.projection.name}").inc()
                log.warning(
                    "%s: %r; reconnecting in %.1fs",
                    self.consumer.projection.name,
                    exc,
                    backoff.peek(),
                )
                self._buffer.clear()
                self.lock.still_held()
                stop.wait(backoff.next())
        self.lock.release()

    def _role_changed(self, active: bool) -> None:
        """A standby exports no lag, position or open dead letters: what it last saw would stay
        frozen beside the active consumer's figures (and keep a max() of them up)."""
        metrics.ACTIVE.labels(f"consumer:{self.consumer.projection.name}").set(1 if active else 0)
        if active:
            return
        name = self.consumer.projection.name
        for source in self.consumer.projection.sources:
            metrics.CONSUMER_LAG.remove(name, source)
            metrics.CONSUMER_POSITION.remove(name, source)
        metrics.DEAD_LETTERS_OPEN.remove(name)

    def _session(self, stop: threading.Event, backoff: Backoff) -> None:
        with kombu.Connection(self.amqp_uri, heartbeat=20, connect_timeout=5) as conn:
            channel = conn.channel()
            for source in self.consumer.projection.sources:
                find_exchange(conn, exchange_name(source))
            queues = [q(channel) for q in self.queues()]
            for q in queues:
                q.declare()  # before catching up, so nothing published meanwhile is dropped
            self._catch_up()
            self.ready.set()
            with kombu.Consumer(
                channel, queues, on_message=self._receive, prefetch_count=self.batch_size * 2
            ):
                self._drain(conn, stop, backoff)
                self._flush()

    def _drain(self, conn: kombu.Connection, stop: threading.Event, backoff: Backoff) -> None:
        """Gather a batch and apply it. The first message of a batch sets its deadline: it waits
        `flush_seconds` at most, whatever arrives after it (a window that slid with every arrival
        held a lone event back for the whole window and more, the latency floor of issue 17).
        Under load the batch fills while the previous one commits, so batching costs no wait."""
        next_catch_up = time.monotonic() + self.catch_up_seconds
        next_heartbeat = next_lock_check = 0.0
        deadline: float | None = None
        while not stop.is_set():
            now = time.monotonic()
            if deadline is not None and (now >= deadline or len(self._buffer) >= self.batch_size):
                self._flush()
                deadline = None
                backoff.reset()
                now = time.monotonic()
            if now >= next_heartbeat:  # py-amqp wants a check at least twice per heartbeat
                conn.heartbeat_check()
                next_heartbeat = now + IDLE_WAIT
            if now >= next_lock_check:  # raises once the lock session has ended
                self.lock.confirm()
                next_lock_check = now + LOCK_CHECK_SECONDS
            if now >= next_catch_up:
                self._catch_up()
                next_catch_up = time.monotonic() + self.catch_up_seconds
            try:
                conn.drain_events(
                    timeout=IDLE_WAIT if deadline is None else max(0.0, deadline - now)
                )
            except TimeoutError:
                continue
            if deadline is None and self._buffer:
                deadline = time.monotonic() + self.flush_seconds

    def _receive(self, message: kombu.Message) -> None:
        self._buffer.append(message)

    def _flush(self) -> None:
        if not self._buffer:
            return
        messages, self._buffer = self._buffer, []
        by_source: dict[str, list[dict]] = {}
        for m in messages:
            source = m.delivery_info.get("exchange", "").removesuffix(".events")
            envelope, refusal = self._vouched_envelope(source, m)
            if refusal or envelope is None:
                self._refuse(source, m.body, envelope or {}, refusal or "no envelope")
            else:
                by_source.setdefault(source, []).append(envelope)
        for source, envelopes in by_source.items():
            self.consumer.handle(source, envelopes, live=True)
        messages[-1].ack(multiple=True)  # everything up to here is committed

    def _vouched_envelope(self, source: str, m: kombu.Message) -> tuple[dict | None, str | None]:
        """The envelope, or why the message is refused."""
        publisher = m.properties.get("user_id")
        expected = self.publishers.get(source)
        envelope = None
        try:
            envelope = orjson.loads(m.body)
            SourceEvent.from_envelope(envelope)
            if envelope["source"] != source:
                raise ValueError(f"claims source {envelope['source']!r}")
        except Exception as exc:  # anything at all that is not an envelope of this source
            return (envelope if isinstance(envelope, dict) else None), (
                f"not an event envelope of {source}: {type(exc).__name__}: {exc}"
            )
        if expected is None or publisher != expected:
            return envelope, (
                f"publisher not vouched for: user_id {publisher!r}, {source} is published by"
                f" {expected!r}"
            )
        return envelope, None

    def _refuse(self, source: str, body: bytes, envelope: dict, reason: str) -> None:
        raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        digest = hashlib.sha256(raw).hexdigest()
        claim = {
            k: envelope[k] for k in ("type", "position", "stream", "event_id") if k in envelope
        }
        log.warning(
            "%s: refused a message on %s (sha256 %s): %s",
            self.consumer.projection.name,
            source,
            digest,
            reason,
        )
        with self.consumer.db.transaction() as cur:
            self.consumer.checkpoints.refuse(cur, source, claim, digest, reason)
        metrics.DEAD_LETTERS.labels(self.consumer.projection.name, source).inc()

    def _catch_up(self) -> None:
        """The stores are the truth: read whatever the broker did not bring (dropped, or before
        our queue existed), and refresh the lag and dead-letter gauges."""
        name = self.consumer.projection.name
        for source in self.consumer.projection.sources:
            applied = self.consumer.catch_up(source)
            if applied:
                log.info("%s: caught up %d events from %s", name, applied, source)
            lag = self.consumer.source.last_position(source) - self.consumer.position(source)
            metrics.CONSUMER_LAG.labels(name, source).set(max(0, lag))
        metrics.DEAD_LETTERS_OPEN.labels(name).set(len(self.consumer.open_dead_letters()))
