"""Publishing a batch of envelopes to RabbitMQ inside one AMQP transaction.

tx.commit-ok comes back once the broker has taken responsibility for every message in the batch,
so one round trip covers hundreds of events (a confirm per message would cap us near 760/s).
"""

from __future__ import annotations

import logging
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
        self._producer: kombu.Producer | None = None

    def _connect(self) -> kombu.Producer:
        if self._producer is None:
            # a silent connection (the broker's host gone, a firewall dropping the flow) never answers
            # tx.commit: time out, and the relay reconnects and publishes the page again
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
            # still read, at the batch's tx.commit, and a blocked broker holds that commit
            # until io_timeout. Client-side only: the broker was told the capability at start.
            capabilities = self._conn.connection.client_properties.get("capabilities")
            if capabilities:
                capabilities["connection.blocked"] = False
            channel.tx_select()
            self._producer = kombu.Producer(channel, exchange=self.exchange)
        return self._producer

    def publish(
        self, messages: list[Message], before_commit: Callable[[], None] | None = None
    ) -> None:
        """The batch in one AMQP transaction. `before_commit` runs right before tx.commit: if it
        raises, the transaction is discarded with the channel, and the broker delivers none of it."""
        channel = self._connect().channel
        exchange = self.exchange.name
        try:
            for m in messages:
                # straight to the AMQP channel: kombu's Producer wrapper costs more than the publish
                channel.basic_publish(
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
            if before_commit is not None:
                before_commit()
            channel.tx_commit()
        except Exception:
            self.close()  # a half-sent transaction is discarded by the broker with the channel
            raise

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.release()
            except Exception:  # closing a dead connection may fail any way it likes
                log.debug("closing a broken AMQP connection", exc_info=True)
        self._conn = self._producer = None
