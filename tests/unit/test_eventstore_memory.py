import pytest

from services.common.eventstore.memory import InMemoryEventStore
from tests.eventstore_contract import EventStoreContract


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def store(self):
        return InMemoryEventStore()
