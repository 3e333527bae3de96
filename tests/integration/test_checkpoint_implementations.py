"""The checkpoint contract against the consumer's PostgreSQL tables (Checkpoints: the only
implementation, which the consumer builds itself; no in-memory fake exists), in a read model schema
of its own, migrated as a read-side service's is and used through the service role's pool."""

from __future__ import annotations

import pytest

from services.common.consumer import Projection
from services.common.consumer.checkpoints import Checkpoints
from tests.checkpoint_contract import CheckpointContract


class NoTables(Projection):
    """Only the consumer's own tables: the checkpoints are what is under test."""

    name = "checkpoint_contract"


class TestCheckpointsOnPostgres(CheckpointContract):
    @pytest.fixture
    def db(self, read_model):
        return read_model(NoTables())

    @pytest.fixture
    def checkpoints(self):
        return Checkpoints

    @pytest.fixture
    def transaction(self, db):
        return db.transaction

    @pytest.fixture
    def stored_letters(self):
        def stored(cur) -> list[str]:
            cur.execute("SELECT event::text FROM dead_letters ORDER BY id")
            return [row[0] for row in cur.fetchall()]

        return stored
