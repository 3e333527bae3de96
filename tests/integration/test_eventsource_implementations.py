"""The EventSource contract against the in-process source over the PostgreSQL store (what the fault
tests, benchmarks and tools beside the stores read through). The RPC implementations need a nameko
container: they run the same contract in tests/e2e/test_eventsource_implementations.py."""

from __future__ import annotations

import pytest

from services.common.consumer.sources import StoreEventSource
from tests.eventsource_contract import SOURCE, EventSourceContract


class TestStoreEventSourceOverPostgres(EventSourceContract):
    @pytest.fixture
    def store(self, pg_store):
        return pg_store

    @pytest.fixture
    def source(self, store):
        return StoreEventSource({SOURCE: store})
