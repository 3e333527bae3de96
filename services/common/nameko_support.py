"""Where nameko meets the runtime inside a service: dependency providers (store, read model, index
key, metrics), the read RPCs every write-side service serves, and the readiness RPC. Two other
modules touch nameko: rpc_commands.py (a refusal that crosses RPC as itself) and
consumer/sources.py (a standalone RPC client for consumers outside nameko). Domain, application and
store code import none of it."""

from __future__ import annotations

import logging
import os
import time
import uuid
from typing import Any

from kombu import Queue
from nameko import rpc as nameko_rpc
from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.extensions import DependencyProvider
from nameko.messaging import QueueConsumer
from nameko.rpc import RPC_QUEUE_TEMPLATE, RPC_REPLY_QUEUE_TEMPLATE, get_rpc_exchange

from services.common.broker import QUORUM, redacted
from services.common.config import Settings
from services.common.consumer.sources import EventSource
from services.common.eventstore import CommandIdReused
from services.common.heap import release_heap, settle_heap
from services.common.metrics import metrics_port, serve_metrics
from services.common.nameko_outages import (
    CallsSurviveOutages,
    RepliesLostWithTheirConnection,
    SurvivesLostConnections,
    as_outage,
    send_answer,
)
from services.common.rpc_reads import StoreReads


class _AnswerPublisher(Publisher):
    """An answer goes to its caller's reply queue, which is neither durable nor outlives the
    caller: a broker's confirm of it (nameko's default, one more round trip per call, in both the
    service and the broker) buys nothing. The caller waits with a timeout, or its worker dies with
    its queue, whether the broker took the answer or not; a command is retried under its command id
    and stores nothing twice. Requests keep their confirm (nameko_outages.publish_request): an
    unroutable one (no such service) is known only through it, and a call the access model refuses
    must fail at once."""

    use_confirms = False


class _Responder(nameko_rpc.Responder):
    publisher_cls = _AnswerPublisher


log = logging.getLogger(__name__)


class _QueueConsumer(SurvivesLostConnections, QueueConsumer):
    """nameko's queue consumer, whose warning on a lost broker names every node without its
    password (nameko's own masks the first URI of a failover list only)."""

    def on_connection_error(self, exc, interval):
        log.warning(
            "Error connecting to broker at %s (%s). Retrying in %s seconds.",
            redacted(self.amqp_uri),
            exc,
            interval,
        )


class _RpcConsumer(nameko_rpc.RpcConsumer):
    queue_consumer = _QueueConsumer()
    queue: Queue | None  # nameko's, set in setup

    def setup(self):
        # nameko 2.14's RpcConsumer.setup, with a quorum queue (nameko declares a classic one, which
        # lives on one node: while that node is down no instance of the service could consume)
        if self.queue is None:
            service = self.container.service_name
            self.queue = Queue(
                RPC_QUEUE_TEMPLATE.format(service),
                exchange=get_rpc_exchange(self.container.config),
                routing_key=f"{service}.*",
                durable=True,
                queue_arguments=QUORUM,
            )
            self.queue_consumer.register_provider(self)
            self._registered = True

    def handle_result(self, message, result, exc_info):
        # nameko 2.14's RpcConsumer.handle_result, with our Responder (it names its own inline)
        config = self.container.config
        responder = _Responder(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        # a dependency that is away goes back as Unavailable; an answer the broker cannot take is
        # logged as lost, never a fatal error of the container (nameko_outages.py)
        result, exc_info = send_answer(responder, result, as_outage(exc_info))
        self.queue_consumer.ack_message(message)
        return result, exc_info


class Rpc(nameko_rpc.Rpc):
    """nameko's @rpc entrypoint, answering without a publish confirm (_AnswerPublisher says why).
    Every @rpc of a service must be this one: two kinds would be two consumers of its queue."""

    rpc_consumer = _RpcConsumer()


rpc = Rpc.decorator


class TransientReplies:
    """A reply queue that is not durable (nameko 2.14 declares a durable classic one, expiring
    after 5 idle minutes). It is one process's own, named afresh each start; durable, it would
    live on the node its process first connected to, and while that node is down the process,
    reconnected to another, could not declare it again (NOT_FOUND "home node ... is down"): every
    call it makes would wait for that node. Not durable, the broker deletes it with its node, and
    the process declares it again on the node it reconnects to. Answers in it when it goes are
    lost: their callers time out, and a command is retried under its command id."""

    container: Any
    queue_consumer: Any

    def setup(self):
        # nameko 2.14's ReplyListener.setup, with durable=False
        reply_id = uuid.uuid4()
        self.routing_key = str(reply_id)
        self.queue = Queue(
            RPC_REPLY_QUEUE_TEMPLATE.format(self.container.service_name, reply_id),
            exchange=get_rpc_exchange(self.container.config),
            routing_key=self.routing_key,
            durable=False,
            queue_arguments={"x-expires": nameko_rpc.RPC_REPLY_QUEUE_TTL},
        )
        self.queue_consumer.register_provider(self)


class _ReplyListener(RepliesLostWithTheirConnection, TransientReplies, nameko_rpc.ReplyListener):
    queue_consumer = _QueueConsumer()


class RpcProxy(CallsSurviveOutages, nameko_rpc.RpcProxy):
    """nameko's RpcProxy, its answers on a reply queue that is not durable (TransientReplies), a
    broker or a service that is away an `Unavailable` within 60 s at most, never a wait for ever
    (CallsSurviveOutages). Every service, and the gateway, calls others through this one."""

    rpc_reply_listener = _ReplyListener()


def make_psycopg2_green() -> None:
    """Under eventlet a blocking libpq call freezes every worker and misses AMQP heartbeats."""
    import psycogreen.eventlet

    psycogreen.eventlet.patch_psycopg()


class EventStoreProvider(DependencyProvider):
    """Opens the service's store on start, through its composition root's `open_store` (as the
    service's role, once the migrate step has run), and hands workers that one pooled,
    thread-safe store."""

    def __init__(self, open_store, max_connections: int = 10):
        self.open_store, self.max_connections = open_store, max_connections
        self.store = self.db = None

    def setup(self):
        make_psycopg2_green()
        settings = Settings.from_env(_with_config(self.container.config))
        self.store, self.db = self.open_store(settings, self.max_connections)

    def stop(self):
        if self.db is not None:
            self.db.close()

    def get_dependency(self, worker_ctx):
        return self.store


class ServiceSettings(DependencyProvider):
    """The process's Settings (its secrets included), read once when the service starts."""

    def setup(self):
        self.settings = Settings.from_env(_with_config(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.settings


class MetricsServer(DependencyProvider):
    """/metrics on the service's own port (services/common/ports.py)."""

    def setup(self):
        config = self.container.config
        port = (
            config["METRICS_PORT"]
            if "METRICS_PORT" in config
            else metrics_port(self.container.service_name)
        )
        serve_metrics(int(port))

    def start(self):
        # nameko starts extensions once the service's class and all it imports are set up
        settle_heap()

    def stop(self):
        # a process that runs containers one after another (the tests) must let the collector
        # have what a stopped one leaves: frozen, its pools' connections would never be closed
        release_heap()

    def kill(self):
        release_heap()


class ScrapedCollector(DependencyProvider):
    """A collector of this service's own on its /metrics: `make(container)` builds it once the
    container's other dependencies exist (`store_database(container)` hands it the store's pool).
    Unregistered when the container stops: a process that runs containers one after another (the
    tests) would otherwise keep one reading a closed pool."""

    def __init__(self, make):
        self.make = make
        self.collector = None

    def setup(self):
        from prometheus_client import REGISTRY

        self.collector = self.make(self.container)
        REGISTRY.register(self.collector)

    def stop(self):
        from prometheus_client import REGISTRY

        if self.collector is not None:
            REGISTRY.unregister(self.collector)
            self.collector = None

    kill = stop


def store_database(container):
    """() -> the pool of the container's EventStoreProvider (None until it has started)."""
    store = next(d for d in container.dependencies if isinstance(d, EventStoreProvider))
    return lambda: store.db


def outbox_watch(service: str) -> ScrapedCollector:
    """What a write service tells of its relay's outbox, read from its store (relay/outbox_watch)."""
    from services.common.relay.outbox_watch import OutboxWatch

    return ScrapedCollector(lambda container: OutboxWatch(service, store_database(container)))


class AnswersWhenReady:
    """Mixin for every RPC service: nameko consumes its RPC queue only once every dependency is set
    up (schemas checked, pools open), so an answer to `ready` means the service can do its work."""

    @rpc
    def ready(self):
        return True


def wait_until_answering(
    amqp_uri: str, services: list[str], seconds: float = 180, say=print
) -> None:
    """Block until each service answers `ready` (a one-shot step started beside the services it
    calls waits here instead of crashing on UnknownService and being restarted)."""
    from nameko.exceptions import RpcTimeout, UnknownService

    from services.common.rpc_client import cluster_rpc

    deadline = time.monotonic() + seconds
    with cluster_rpc(amqp_uri, timeout=5) as cluster:
        for service in services:
            while True:
                try:
                    getattr(cluster, service).ready()
                    break
                except (UnknownService, RpcTimeout) as exc:
                    if time.monotonic() > deadline:
                        raise TimeoutError(
                            f"{service} did not answer within {seconds:.0f} s"
                        ) from exc
                    say(f"waiting for {service} to answer")
                    time.sleep(1)


class ServesItsHistory(AnswersWhenReady):
    """Mixin for write-side services: consumers catch up and repair gaps through these RPCs."""

    name: str  # the nameko service's name
    store: Any = (
        None  # an EventStoreProvider on the service class: a worker sees the store it provides
    )

    @rpc
    def read_all(self, after_position=0, limit=1000):
        return StoreReads(self.name, self.store).read_all(after_position, limit)

    @rpc
    def read_stream(self, stream, from_version=1, limit=1000):
        return StoreReads(self.name, self.store).read_stream(stream, from_version, limit)

    @rpc
    def stream_heads(self):
        return StoreReads(self.name, self.store).stream_heads()

    @rpc
    def last_position(self):
        return self.store.last_position()

    @rpc
    def recorded_version(self, command_id: str, stream: str) -> int | None:
        """The version a command left its stream at, if it was recorded there (None: never): a
        late replay of an offline command whose first answer was lost is answered as applied."""
        try:
            earlier = self.store.earlier_result(command_id, stream)
        except CommandIdReused:  # another stream's command: not this one
            return None
        return None if earlier is None else earlier.version


def settings_from(config: dict) -> Settings:
    """A nameko service's settings: the environment, with its config's values standing in."""
    return Settings.from_env(_with_config(config))


def _with_config(config: dict) -> dict:
    """Environment first; nameko's AMQP_URI stands in when KENTRA_AMQP_URI is unset (tests)."""
    env = dict(os.environ)
    if "KENTRA_AMQP_URI" not in env and config.get("AMQP_URI"):
        env["KENTRA_AMQP_URI"] = config["AMQP_URI"]
    for key in (
        "KENTRA_DATABASE_URL",
        "KENTRA_KEK",
        "KENTRA_INDEX_KEY",
        "KENTRA_TOKEN_SECRET",
        "KENTRA_AUDIT_KEY",
        "KENTRA_REPORTING_KEY",
        "KENTRA_SCHEMA_PREFIX",
        "KENTRA_SECRETS_DIR",
        "KENTRA_BROKER_PREFIX",
    ):
        if config.get(key):
            env[key] = config[key]
    return env


class ReadModelProvider(DependencyProvider):
    """A read model's database, opened on start through the composition root's function (as
    its role, once the migrate step has brought the consumer's tables and the projection's own
    up to date)."""

    def __init__(self, open_model, max_connections: int = 4):
        self.open_model, self.max_connections, self.db = open_model, max_connections, None

    def setup(self):
        make_psycopg2_green()
        self.db = self.open_model(
            Settings.from_env(_with_config(self.container.config)), self.max_connections
        )

    def stop(self):
        if self.db is not None:
            self.db.close()

    def get_dependency(self, worker_ctx):
        return self.db


class ServiceProxies(EventSource):
    """An EventSource over a worker's RpcProxy dependencies (inside a nameko service)."""

    def __init__(self, proxies: dict):
        self.proxies = proxies

    def read_all(self, source, after_position, limit):
        return self.proxies[source].read_all(after_position, limit)

    def read_stream(self, source, stream, from_version, limit):
        return self.proxies[source].read_stream(stream, from_version, limit)

    def stream_heads(self, source):
        return self.proxies[source].stream_heads()

    def last_position(self, source):
        return self.proxies[source].last_position()
