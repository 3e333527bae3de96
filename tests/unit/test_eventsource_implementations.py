"""The EventSource contract against the in-process source over the in-memory store (what unit
tests and tools beside the stores use). The PostgreSQL and RPC implementations run the same
contract in tests/integration and tests/e2e."""

from __future__ import annotations

import pytest

from services.common.consumer.sources import StoreEventSource
from services.common.eventstore.memory import InMemoryEventStore
from tests.eventsource_contract import SOURCE, EventSourceContract


class TestStoreEventSourceOverTheInMemoryStore(EventSourceContract):
    @pytest.fixture
    def store(self):
        return InMemoryEventStore()

    @pytest.fixture
    def source(self, store):
        return StoreEventSource({SOURCE: store})
