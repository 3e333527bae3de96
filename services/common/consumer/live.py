"""The live path: RabbitMQ deliveries, applied in batches, acked only after they commit.

Our own kombu loop rather than a nameko @event_handler: nameko acks a message even when the handler
raised, and a transaction per message caps a read model near the fsync rate. Here a batch is one
transaction; a failure before commit leaves every message of the batch unacked, so the broker
redelivers it, and `handle` skips what was already applied.

Each message is checked on its own before it joins a batch: the broker must vouch that the
source's relay published it (validated `user_id`), and it must be an envelope of that source. A
message that fails either is dead-lettered at once with its digest and the reason, and is acked
with its batch: it can neither stall the queue nor hold back other sources.
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

from .consumer import Consumer
from .projection import SourceEvent

log = logging.getLogger(__name__)

# how long the loop blocks with nothing gathered: bounds the wait for a heartbeat check or a stop
IDLE_WAIT = 0.25


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
        self.ready = threading.Event()  # set once queues exist and the first catch-up is done

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
        backoff = Backoff()
        while not stop.is_set():
            try:
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
                stop.wait(backoff.next())

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
        next_heartbeat = 0.0
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
