"""Where a consumer reads history from: the source services' RPC `read_all` / `read_stream`."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from typing import Any

log = logging.getLogger(__name__)


class EventSource(ABC):
    @abstractmethod
    def read_all(self, source: str, after_position: int, limit: int) -> list[dict[str, Any]]:
        """Envelopes after a position, in order; the first's prev_position is `after_position`."""

    @abstractmethod
    def read_stream(
        self, source: str, stream: str, from_version: int, limit: int
    ) -> list[dict[str, Any]]: ...

    @abstractmethod
    def stream_heads(self, source: str) -> list[dict[str, Any]]:
        """[{stream, version, hash}] of every stream in the source."""

    @abstractmethod
    def last_position(self, source: str) -> int: ...


class RpcEventSource(EventSource):
    """Over nameko RPC (works outside a nameko container, without eventlet)."""

    def __init__(self, amqp_uri: str, timeout: float = 60):
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self._cluster: Any = None  # a nameko ClusterRpcProxy, started on first use
        self._proxy: Any = None
        self._lock = threading.Lock()

    def _service(self, source: str):
        from services.common.rpc_client import cluster_rpc

        if self._proxy is None:
            self._cluster = cluster_rpc(self.amqp_uri, timeout=self.timeout)
            self._proxy = self._cluster.start()
        return getattr(self._proxy, source)

    def _call(self, source: str, method: str, *args):
        with self._lock:
            try:
                return getattr(self._service(source), method)(*args)
            except Exception:
                self.close()  # a broken proxy is rebuilt on the next call
                raise

    def read_all(self, source, after_position, limit):
        return self._call(source, "read_all", after_position, limit)

    def read_stream(self, source, stream, from_version, limit):
        return self._call(source, "read_stream", stream, from_version, limit)

    def stream_heads(self, source):
        return self._call(source, "stream_heads")

    def last_position(self, source):
        return self._call(source, "last_position")

    def close(self) -> None:
        if self._cluster is not None:
            try:
                self._cluster.stop()
            except Exception:
                log.debug("stopping a broken RPC proxy", exc_info=True)
        self._cluster = self._proxy = None


class StoreEventSource(EventSource):
    """Reads stores in-process: for tools and benchmarks that sit beside the stores."""

    def __init__(self, stores: dict):
        self.stores = stores

    def read_all(self, source, after_position, limit):
        from services.common.rpc_reads import envelopes

        return envelopes(
            source,
            self.stores[source].read_all(after_position, limit, sealed_only=True),
            after_position,
        )

    def read_stream(self, source, stream, from_version, limit):
        from services.common.rpc_reads import envelopes

        return envelopes(
            source,
            self.stores[source].read_stream(stream, from_version, limit, sealed_only=True),
            None,
        )

    def stream_heads(self, source):
        return [
            {"stream": h.stream, "version": h.version, "hash": h.hash}
            for h in self.stores[source].heads()
        ]

    def last_position(self, source):
        return self.stores[source].last_position()
