"""The connection pool's two ways in: a transaction, and a single read in one round trip."""

from __future__ import annotations

import pytest

from services.common.db import Database


@pytest.fixture
def one_connection(pg_store):
    db = Database(pg_store.db.url, pg_store.db.schema, max_connections=1)
    yield db
    db.close()


def test_a_statement_hands_its_connection_back_transactional(one_connection):
    db = one_connection
    with db.transaction() as cur:
        cur.execute("CREATE TEMP TABLE probe (x int)")
    with db.statement() as cur:
        cur.execute("SELECT count(*) FROM probe")
        assert cur.fetchone() == (0,)
    with db.connection() as conn:  # the same connection, as the next user gets it
        assert conn.autocommit is False
        with conn.cursor() as cur:
            cur.execute("INSERT INTO probe VALUES (1)")
        conn.rollback()
    with db.statement() as cur:
        cur.execute("SELECT count(*) FROM probe")
        assert cur.fetchone() == (0,)


def test_a_failed_statement_leaves_the_pool_usable(one_connection):
    db = one_connection
    with pytest.raises(Exception, match="no_such_table"), db.statement() as cur:
        cur.execute("SELECT * FROM no_such_table")
    with db.statement() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
