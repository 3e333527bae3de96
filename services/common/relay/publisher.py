"""Publishing a page of envelopes to RabbitMQ, confirmed by the broker message by message.

The channel is in confirm mode: the page goes out without a wait between messages, then the
publisher reads the broker's basic.ack/basic.nack (several at once with `multiple`) until every
message of the page is acked. So one wait covers the page, as tx.commit did, and a message the
broker did not take is reported: RabbitMQ 3.10 answered tx.commit-ok for messages a quorum queue
never took while it elected a new leader (tests/faults/test_broker_cluster.py), where it nacks
them or never acks. A nack, no ack within `io_timeout` or a broken connection raises, the
connection is closed, and the relay publishes the page again from its saved position (consumers
drop the repeats by position). Unlike a transaction, a page is never withdrawn: what must be
checked before it goes out (the relay's lease) is checked before the first message is sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import amqp
import kombu
import orjson

from contracts.envelope import exchange_name
from services.common.broker import find_exchange

log = logging.getLogger(__name__)


IO_TIMEOUT = 30.0  # seconds a broker may take to answer before its connection is given up


class NotConfirmed(ConnectionError):
    """The broker nacked a message of the page, or did not ack all of it within io_timeout."""


class Message(NamedTuple):
    routing_key: str
    message_id: str
    body: bytes  # the envelope as UTF-8 JSON; source and position travel inside it


def encode(envelope: dict) -> Message:
    return Message(
        envelope["type"], envelope["event_id"], orjson.dumps(envelope)
    )  # UTF-8, Greek intact


class BatchPublisher:
    def __init__(self, amqp_uri: str, source: str, io_timeout: float = IO_TIMEOUT):
        self.amqp_uri, self.source, self.io_timeout = amqp_uri, source, io_timeout
        self.exchange = kombu.Exchange(
            exchange_name(source), type="topic", durable=True, auto_delete=False
        )
        # the broker checks it is the connection's own user: consumers trust the source by it
        self.user_id = unquote(urlsplit(amqp_uri).username or "guest")
        self._conn: kombu.Connection | None = None
        self._channel: amqp.Channel | None = None
        # confirm mode numbers the channel's publishes 1, 2, ...: the last one sent, the ones
        # sent and not yet acked, and whether the broker nacked any
        self._sent = 0
        self._unconfirmed: set[int] = set()
        self._nacked = False

    def _connect(self) -> amqp.Channel:
        if self._channel is None:
            # a silent connection (the broker's host gone, a firewall dropping the flow) never
            # acks: time out, and the relay reconnects and publishes the page again
            self._conn = kombu.Connection(
                self.amqp_uri,
                connect_timeout=5,
                transport_options={
                    "read_timeout": self.io_timeout,
                    "write_timeout": self.io_timeout,
                },
            )
            find_exchange(self._conn, self.exchange.name)
            channel = self._conn.channel()
            # py-amqp polls the socket before every publish for a connection.blocked notice (a
            # recv that times out, each message: a quarter of the relay's time); the notice is
            # still read, while the page's confirms are awaited, and a blocked broker holds them
            # until io_timeout. Client-side only: the broker was told the capability at start.
            capabilities = self._conn.connection.client_properties.get("capabilities")
            if capabilities:
                capabilities["connection.blocked"] = False
            channel.confirm_select()
            channel.events["basic_ack"].add(self._acked)
            channel.events["basic_nack"].add(self._nacked_tag)
            self._sent, self._unconfirmed, self._nacked = 0, set(), False
            self._channel = channel
        return self._channel

    def _acked(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {t for t in self._unconfirmed if t > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _nacked_tag(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked = True
        self._acked(delivery_tag, multiple)

    def publish(
        self, messages: list[Message], before_send: Callable[[], None] | None = None
    ) -> None:
        """The page, returned from once the broker acked every message of it. `before_send` runs
        right before the first message is sent: if it raises, nothing of the page is sent."""
        channel = self._connect()
        exchange = self.exchange.name
        try:
            if before_send is not None:
                before_send()
            for m in messages:
                # straight to the AMQP channel (kombu's Producer wrapper costs more than the
                # publish), and its non-waiting publish: `basic_publish` of a channel in confirm
                # mode may wait for each message's confirm
                channel._basic_publish(
                    amqp.Message(
                        m.body,
                        content_type="application/json",
                        content_encoding="utf-8",
                        delivery_mode=2,
                        message_id=m.message_id,
                        user_id=self.user_id,
                    ),
                    exchange=exchange,
                    routing_key=m.routing_key,
                )
                self._sent += 1
                self._unconfirmed.add(self._sent)
            self._wait_for_confirms()
        except Exception:
            self.close()  # the relay sends the page again, on a new connection
            raise

    def _wait_for_confirms(self) -> None:
        assert self._conn is not None
        connection = self._conn.connection
        deadline = time.monotonic() + self.io_timeout
        while self._unconfirmed and not self._nacked:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                connection.drain_events(timeout=left)
            except TimeoutError:
                break
        if self._nacked:
            raise NotConfirmed(f"relay {self.source}: the broker nacked a message of the page")
        if self._unconfirmed:
            raise NotConfirmed(
                f"relay {self.source}: {len(self._unconfirmed)} messages of the page not acked"
                f" within {self.io_timeout}s"
            )

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.release()
            except Exception:  # closing a dead connection may fail any way it likes
                log.debug("closing a broken AMQP connection", exc_info=True)
        self._conn = self._channel = None
        self._unconfirmed, self._nacked = set(), False
