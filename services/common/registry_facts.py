"""Facts of the registry that change rarely (the network, the directory), kept by a service that
would otherwise ask the registry for them by RPC on every command, and dropped as soon as the
registry says they changed.

Why what is kept cannot stay stale for long:
- the registries relay publishes every event on `registries.events`; a queue of our own (exclusive
  and auto-deleted: it lives and dies with our connection) is bound to the event types that make
  these facts, and any one of them drops everything kept;
- only a message the broker vouches the registries relay published (its validated `user_id`)
  counts. Nothing is read from a message's body, so a forged one can neither drop nor fill
  anything: it is logged and ignored;
- (re)connecting drops everything (what changed while away is unknown), and while not connected
  nothing is kept or served: every question goes to the registry;
- an answer is served for `max_age` seconds at most, for what the bus cannot tell (a relay that
  is down publishes nothing);
- an answer asked before a drop and received after it is not kept (the generation moved).
Between the registry storing a change and its relay publishing it (a relay's poll, well under a
second), a command may still be checked against the facts as they were.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Collection, Hashable
from typing import Any

import kombu
from nameko.extensions import DependencyProvider

from contracts.envelope import exchange_name, watch_queue_prefix
from contracts.registries import SOURCE as REGISTRIES
from services.common.backoff import Backoff
from services.common.broker import find_exchange
from services.common.nameko_support import settings_from

log = logging.getLogger(__name__)


class RegistryFacts:
    """The answers kept, and the watch over the registry's events that drops them."""

    def __init__(
        self,
        amqp_uri: str,
        publisher: str,
        changes: Collection[str],
        max_age: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.amqp_uri, self.publisher, self.changes = amqp_uri, publisher, frozenset(changes)
        self.max_age, self.clock = max_age, clock
        self._kept: dict[Hashable, tuple[float, Any]] = {}
        self._generation = 0
        self.connected = False
        self._lock = threading.Lock()  # a drop never lands between a check and a keep

    def answer(self, question: Hashable, ask: Callable[[], Any]) -> Any:
        """The answer kept for `question` while it may be trusted; else `ask()`, kept if nothing
        changed while it was asked. None (no such site, agency) is never kept: it is rare, and
        what is missing may be registered next."""
        kept = self._kept.get(question)
        if self.connected and kept and self.clock() - kept[0] < self.max_age:
            return kept[1]
        generation, asked_at = self._generation, self.clock()
        found = ask()
        with self._lock:
            if self.connected and generation == self._generation and found is not None:
                self._kept[question] = (asked_at, found)
        return found

    def forget(self, connected: bool) -> None:
        with self._lock:
            self._generation += 1
            self._kept = {}
            self.connected = connected

    def watch(self, stop: threading.Event) -> None:
        """Follow the registry's changes until `stop`; reconnect with backoff when the broker goes."""
        backoff = Backoff()
        while not stop.is_set():
            try:
                self._listen(stop, backoff)
            except Exception as exc:  # the broker away, or a refusal: ask the registry meanwhile
                log.warning("registry facts: %r; reconnecting in %.1fs", exc, backoff.peek())
            finally:
                self.forget(connected=False)
            stop.wait(backoff.next())

    def _listen(self, stop: threading.Event, backoff: Backoff) -> None:
        with kombu.Connection(self.amqp_uri, heartbeat=20, connect_timeout=5) as conn:
            conn.connect()
            events = exchange_name(REGISTRIES)
            find_exchange(conn, events)
            # passive: the broker setup makes the exchange; we may only bind to it
            exchange = kombu.Exchange(events, type="topic", durable=True, passive=True)
            queue = kombu.Queue(
                watch_queue_prefix(conn.userid) + uuid.uuid4().hex,
                bindings=[kombu.binding(exchange, routing_key=t) for t in sorted(self.changes)],
                exclusive=True,
                auto_delete=True,
                durable=False,
            )
            with kombu.Consumer(conn.channel(), [queue], on_message=self._heard, no_ack=True):
                self.forget(connected=True)  # bound: from here on no change goes unheard
                backoff.reset()
                while not stop.is_set():
                    try:
                        conn.drain_events(timeout=1)
                    except TimeoutError:
                        conn.heartbeat_check()

    def _heard(self, message: kombu.Message) -> None:
        publisher = message.properties.get("user_id")
        change = message.delivery_info.get("routing_key")
        if publisher != self.publisher or change not in self.changes:
            log.warning(
                "registry facts: ignored %r on %s: the broker vouches for %r, not the relay %r",
                change,
                exchange_name(REGISTRIES),
                publisher,
                self.publisher,
            )
            return
        self.forget(connected=True)


class KeptAnswers:
    """One worker's registry proxy, whose answers to `methods` come through the facts kept."""

    def __init__(self, facts: RegistryFacts, registry: Any, methods: frozenset[str]):
        self._facts, self._registry, self._methods = facts, registry, methods

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method not in self._methods:
            raise AttributeError(f"{method}: not one of the registry's facts kept here")
        call = getattr(self._registry, method)
        return lambda *args: self._facts.answer((method, *args), lambda: call(*args))


class RegistryFactsKept(DependencyProvider):
    """nameko's side: `self.network.of(self.registries).staff_of_network(site)`. The watch runs
    in a thread of the container's for as long as the service does.

    `methods`: the registry's RPC methods whose answers are kept; `changes`: the event types that
    change any of them (contracts/network.py, contracts/directory.py `CHANGES`). The config's
    `REGISTRY_FACTS_MAX_AGE` (seconds) overrides `max_age`; 0 keeps nothing (bench/rpc.py's
    baseline)."""

    def __init__(self, methods: Collection[str], changes: Collection[str], max_age: float = 30.0):
        self.methods, self.changes, self.max_age = frozenset(methods), frozenset(changes), max_age
        self.facts: RegistryFacts | None = None
        self._stop = threading.Event()
        self._watching: Any = None  # the container's thread

    def setup(self):
        settings = settings_from(self.container.config)
        self.facts = RegistryFacts(
            self.container.config["AMQP_URI"],
            settings.publisher(REGISTRIES),
            self.changes,
            float(self.container.config.get("REGISTRY_FACTS_MAX_AGE", self.max_age)),
        )

    def start(self):
        self._stop.clear()
        self._watching = self.container.spawn_managed_thread(
            lambda: self._facts().watch(self._stop), identifier="registry_facts"
        )

    def stop(self):
        """Nothing to finish: the queue goes with the connection, and nothing kept outlives us."""
        self._stop.set()
        if self._watching is not None:
            self._watching.kill()

    kill = stop

    def get_dependency(self, worker_ctx):
        return self

    def of(self, registry: Any) -> KeptAnswers:
        return KeptAnswers(self._facts(), registry, self.methods)

    def _facts(self) -> RegistryFacts:
        if self.facts is None:
            raise RuntimeError("the registry's facts are kept once the service is set up")
        return self.facts
