"""The EventSource contract over RPC, against the registries service in a real nameko container
(its read RPCs come from ServesItsHistory): once through the standalone proxy that consumers use
outside nameko (RpcEventSource), once through a worker's RpcProxy dependencies as the reporting
service uses them (ServiceProxies). Events are appended through the registries' own store, opened
by their composition root as the relay opens it."""

from __future__ import annotations

import pytest
from nameko.rpc import RpcProxy
from nameko.testing.services import dummy, entrypoint_hook

from services.common.consumer.sources import EventSource, RpcEventSource
from services.common.nameko_support import ServiceProxies
from services.registries import bootstrap
from services.registries.entrypoints.service import RegistriesService
from tests.eventsource_contract import SOURCE, EventSourceContract


@pytest.fixture
def registries_store(running, platform_settings):
    """The registries service running (it migrates on start), and its store to append through."""
    running(RegistriesService)
    store, db = bootstrap.open_store(platform_settings, 2)
    yield store
    db.close()


class TestRpcEventSource(EventSourceContract):
    @pytest.fixture
    def store(self, registries_store):
        return registries_store

    @pytest.fixture
    def source(self, store, platform_settings):
        source = RpcEventSource(platform_settings.amqp_uri, timeout=30)
        yield source
        source.close()


class HistoryReader:
    """A read-side service wired as ReportingService is: its RpcProxy dependencies, wrapped in
    ServiceProxies, are its EventSource. The dummy entrypoint runs a real worker, with no queue."""

    name = "history_reader"
    registries = RpcProxy(SOURCE)

    @dummy
    def ask(self, method, *args):
        return getattr(ServiceProxies({SOURCE: self.registries}), method)(*args)


class InsideAWorker(EventSource):
    """Each call runs in a new worker of the HistoryReader container, as a consistency report."""

    def __init__(self, container):
        self.container = container

    def _ask(self, method, *args):
        with entrypoint_hook(self.container, "ask") as ask:
            return ask(method, *args)

    def read_all(self, source, after_position, limit):
        return self._ask("read_all", source, after_position, limit)

    def read_stream(self, source, stream, from_version, limit):
        return self._ask("read_stream", source, stream, from_version, limit)

    def stream_heads(self, source):
        return self._ask("stream_heads", source)

    def last_position(self, source):
        return self._ask("last_position", source)


class TestServiceProxies(EventSourceContract):
    @pytest.fixture
    def store(self, registries_store):
        return registries_store

    @pytest.fixture
    def source(self, store, container_factory, platform_config):
        container = container_factory(HistoryReader, platform_config)
        container.start()
        return InsideAWorker(container)
