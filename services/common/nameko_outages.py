"""Where nameko meets a broker that goes away: no process dies of it, and a caller learns at once
what became of its call.

nameko 2.14 kills its container (so the process: `nameko run` exits) when any thread it runs
raises, and three of its paths raise when the broker goes: a service publishing its answer
(`kombu.exceptions.OperationalError: ECONNREFUSED`, in the worker), and a consumer acking a message
or requeueing it on a connection that is gone (`ConnectionResetError`: nameko catches py-amqp's
`ConnectionError`, not the socket's). That was issue 18's 19 seconds of `ContainerBeingKilled`.
Here a lost answer or ack is logged and left to the broker, which delivers an unacked message
again once a connection is back (a command is then answered under its command id; a read is read
again); the queue consumers reconnect as they did, with nameko's growing pause.

A caller (an RpcProxy with `CallsSurviveOutages`) publishes its request only on a connection it
has just seen alive, so that a failure says whether the request left: not connected means it
never did (`Unavailable(stored=False)`), a failure while publishing means it may have. It waits
for the answer no longer than `RPC_TIMEOUT` seconds (nameko waits for ever), and not at all once
its reply consumer has lost its connection: answers owed on the old connection are presumed lost
(a reply queue that is not durable goes with its node). Each becomes `Unavailable`, and the
caller's command is marked as possibly stored where it may be (services/common/outages.py).

`Readiness` answers the gateway's /health: the database and the broker reachable now."""

from __future__ import annotations

import logging
import os
import select
import uuid
from typing import Any

import amqp.exceptions
import eventlet
import kombu.exceptions
from kombu import Connection
from kombu.pools import producers
from nameko.amqp.publish import UndeliverableMessage
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    LOGIN_METHOD_CONFIG_KEY,
    PERSISTENT,
)
from nameko.exceptions import UnknownService, deserialize
from nameko.extensions import DependencyProvider
from nameko.rpc import MethodProxy, ServiceProxy, get_rpc_exchange

from services.common.outages import (
    BROKER,
    DATABASE,
    Unavailable,
    may_have_stored,
    unavailable,
    write_sent,
)
from services.common.rpc_commands import CommandRejected

log = logging.getLogger(__name__)

# what a broker that is gone raises at a socket: refused, reset, closed by the broker, or kombu's
# OperationalError after its own retries. Only caught around a publish, an ack or a connect, where
# an OSError can be nothing but the network.
BROKER_ERRORS = (kombu.exceptions.OperationalError, amqp.exceptions.ConnectionError, OSError)
# the longest a caller waits for an answer (KENTRA_RPC_TIMEOUT, seconds): a service that took the
# request and died, or an answer the broker lost. Every call the platform makes answers in well
# under a second on this machine class; a consistency check over a national store is the slowest.
RPC_TIMEOUT = float(os.environ.get("KENTRA_RPC_TIMEOUT", "60"))


class SurvivesLostConnections:
    """A mixin for nameko's QueueConsumer: an ack or a requeue on a connection that is gone is
    logged, not raised (the broker has taken the message back already, and delivers it again);
    `connected` says whether it consumes now; providers with a `connection_lost()` hear when it
    starts to connect again, as soon as the old connection failed."""

    connected = False
    _providers: set

    def ack_message(self, message):
        try:
            super().ack_message(message)  # type: ignore[misc]
        except BROKER_ERRORS as exc:
            log.warning("an ack was lost with its connection (%s): delivered again", _said(exc))

    def requeue_message(self, message):
        try:
            super().requeue_message(message)  # type: ignore[misc]
        except BROKER_ERRORS as exc:
            log.warning(
                "a requeue was lost with its connection (%s): the broker requeues", _said(exc)
            )

    def create_connection(self):
        # kombu's ConsumerMixin calls it before connecting, the first time and after each loss
        self.connected = False
        for provider in list(self._providers):
            if hasattr(provider, "connection_lost"):
                provider.connection_lost()
        return super().create_connection()  # type: ignore[misc]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.connected = True
        super().on_consume_ready(connection, channel, consumers, **kwargs)  # type: ignore[misc]


def send_answer(responder, result, exc_info) -> tuple[Any, Any]:
    """nameko's Responder.send_response, an answer the broker cannot take logged as lost: its
    caller hears of it (its reply consumer's connection went too) and answers 503; a command sent
    again is answered under its command id, and the request, unacked, is delivered again."""
    try:
        return responder.send_response(result, exc_info)
    except BROKER_ERRORS as exc:
        log.warning("an answer was lost: the broker is unreachable (%s)", _said(exc))
        return result, exc_info


def as_outage(exc_info):
    """A worker's failure as its caller should get it: a dependency that is away as
    `Unavailable` (a 503 at the gateway), anything else as it was."""
    if exc_info is None:
        return None
    outage = unavailable(exc_info[1])
    if outage is None or outage is exc_info[1]:
        return exc_info
    return (type(outage), outage, exc_info[2])


class RepliesLostWithTheirConnection:
    """A mixin for nameko's ReplyListener: when its consumer's connection is lost, every answer
    still owed is presumed lost with it, and its caller stops waiting (`connection_lost`)."""

    _reply_events: dict

    def connection_lost(self):
        owed, self._reply_events = self._reply_events, {}
        for event in owed.values():
            if not event.ready():
                event.send_exception(_ReplyLost())


class _ReplyLost(Exception):
    pass


def is_command(args: tuple) -> bool:
    """A command crosses RPC as (its fields with its command id, its context): every command
    entrypoint takes it so (services/common/rpc_commands.py `receive`)."""
    return bool(args) and isinstance(args[0], dict) and "command_id" in args[0]


class OutageAwareMethodProxy(MethodProxy):
    """nameko's MethodProxy, its request published by `publish_request` and its answer awaited no
    longer than RPC_TIMEOUT, every way of not getting one an `Unavailable`."""

    def _call(self, *args, **kwargs):
        config = self.container.config
        listener = self.reply_listener
        correlation_id = str(uuid.uuid4())
        reply_event = listener.get_reply_event(correlation_id)
        command = is_command(args)
        try:
            publish_request(
                config,
                {"args": args, "kwargs": kwargs},
                serializer=self.serializer,
                exchange=get_rpc_exchange(config),
                routing_key=f"{self.service_name}.{self.method_name}",
                reply_to=listener.routing_key,
                correlation_id=correlation_id,
                headers=self.get_message_headers(self.worker_ctx),
            )
        except UndeliverableMessage:  # no queue: the service has never been started
            listener._reply_events.pop(correlation_id, None)
            raise Unavailable(self.service_name, _stored()) from UnknownService(self.service_name)
        except _MaybeSent as exc:
            listener._reply_events.pop(correlation_id, None)
            if command:
                write_sent()
            raise Unavailable(BROKER, _stored()) from exc.__cause__
        except Unavailable:
            listener._reply_events.pop(correlation_id, None)
            raise
        return _Reply(reply_event, listener, correlation_id, self.service_name, command)


class _Reply:
    """nameko's RpcReply, awaited no longer than RPC_TIMEOUT; a command is marked as possibly
    stored unless its answer says it was not (a refusal, or the service's own `stored=False`)."""

    def __init__(self, event, listener, correlation_id: str, service: str, command: bool):
        self.event, self.listener, self.correlation_id = event, listener, correlation_id
        self.service, self.command = service, command
        self.body: dict | None = None

    def result(self):
        if self.body is None:
            self.body = self._wait()
        error = self.body.get("error")
        if not error:
            self._mark()
            return self.body["result"]
        exc = deserialize(error)
        if isinstance(exc, Unavailable):
            if exc.stored is not False:
                self._mark()
            raise Unavailable(exc.dependency, _stored())
        if not isinstance(exc, CommandRejected):  # a refusal stored nothing
            self._mark()
        raise exc

    def _wait(self) -> dict:
        timeout = eventlet.Timeout(RPC_TIMEOUT)
        try:
            return self.event.wait()
        except _ReplyLost:
            self._mark()
            raise Unavailable(BROKER, _stored()) from None
        except eventlet.Timeout as exc:
            if exc is not timeout:
                raise
            self.listener._reply_events.pop(self.correlation_id, None)
            self._mark()
            raise Unavailable(self.service, _stored()) from None
        finally:
            timeout.cancel()

    def _mark(self) -> None:
        if self.command:
            write_sent()


class OutageAwareServiceProxy(ServiceProxy):
    def __getattr__(self, name):
        return OutageAwareMethodProxy(
            self.worker_ctx, self.service_name, name, self.reply_listener, **self.options
        )


class CallsSurviveOutages:
    """A mixin for nameko's RpcProxy: its workers call through OutageAwareMethodProxy."""

    def get_dependency(self, worker_ctx):
        return OutageAwareServiceProxy(
            worker_ctx,
            self.target_service,  # type: ignore[attr-defined]
            self.rpc_reply_listener,  # type: ignore[attr-defined]
            **self.options,  # type: ignore[attr-defined]
        )


class _MaybeSent(Exception):
    """The request was being published when the connection broke: it may have left."""


def _stored() -> bool | None:
    return None if may_have_stored() else False


def publish_request(config: dict, body: dict, **publish: Any) -> None:
    """Publish one RPC request (persistent, mandatory, confirmed, as nameko does) on a connection
    seen alive just before, and without kombu's retries: a retry after a connection broke could
    send the request a second time, and would hide whether the first one left. Raises
    `Unavailable(stored=False)` when no connection could be made (nothing was sent) and
    `_MaybeSent` when the publish itself failed."""
    with producers[_connection(config)].acquire(block=True) as producer:
        try:
            channel = _alive(producer.connection).default_channel
        except BROKER_ERRORS as exc:
            raise Unavailable(BROKER, _stored()) from exc
        producer.revive(channel)
        try:
            producer.publish(
                body,
                retry=False,
                mandatory=True,
                delivery_mode=PERSISTENT,
                **publish,
            )
        except amqp.exceptions.ChannelError as exc:
            if "NO_ROUTE" in str(exc):
                raise UndeliverableMessage() from exc
            raise
        except BROKER_ERRORS as exc:
            producer.connection.collect()
            raise _MaybeSent() from exc


def _connection(config: dict) -> Connection:
    """The pool's key: one pool per broker and login, apart from nameko's own (its retries)."""
    uri = config[AMQP_URI_CONFIG_KEY]
    nodes = max(1, uri.count(";") + 1)
    return Connection(
        uri,
        # one try of each node, at once: a caller waiting on a broker that is down answers 503 now
        transport_options={
            "confirm_publish": True,
            "max_retries": nodes,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        ssl=config.get(AMQP_SSL_CONFIG_KEY),
        login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
    )


def _alive(conn: Connection) -> Connection:
    """The pooled connection, dropped first if the broker has ended it since its last use: a
    broker that stopped sends connection.close and closes the socket, so an idle producer's socket
    that has anything to read is one the broker has ended (read without waiting)."""
    if conn.connected:  # (then `connection` is the open one: nothing is made here)
        sock = getattr(conn.connection.transport, "sock", None)
        if sock is None or select.select([sock], [], [], 0)[0]:
            conn.collect()
    return conn


def broker_reachable(config: dict) -> bool:
    """Could a request be published now (a connection alive or made at once)?"""
    try:
        with producers[_connection(config)].acquire(block=True) as producer:
            return _alive(producer.connection).default_channel is not None
    except BROKER_ERRORS:
        return False


def _said(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class Readiness(DependencyProvider):
    """What the gateway's readiness (/health) asks: is each dependency reachable now? The
    database through the service's own pool (one round trip; a connection the server ended is
    replaced first), the broker through the connection its calls are published on (made if need
    be) and through its reply consumers, which must be connected for an answer to come back."""

    def get_dependency(self, worker_ctx):
        return self

    def missing(self) -> list[str]:
        found = []
        if not self._database():
            found.append(DATABASE)
        if not self._broker():
            found.append(BROKER)
        return found

    def _database(self) -> bool:
        import psycopg2

        from services.common.db import Database

        dbs = [getattr(d, "db", None) for d in self.container.dependencies]
        try:
            for db in (db for db in dbs if isinstance(db, Database)):
                with db.statement() as cur:
                    cur.execute("SELECT 1")
        except psycopg2.Error:
            return False
        return True

    def _broker(self) -> bool:
        consumers = [e for e in self.container.extensions if isinstance(e, SurvivesLostConnections)]
        if not all(c.connected for c in consumers):
            return False
        return broker_reachable(self.container.config)
