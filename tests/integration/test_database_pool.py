"""The connection pool's two ways in (a transaction, and a single read in one round trip), and what
it does when its server restarts, crashes or is replaced by its promoted standby."""

from __future__ import annotations

import psycopg2
import pytest

from services.common.db import Database, role_url
from tests.support.postgres_nodes import PostgresNode, multi_host_url


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


# -- a server that goes away: a throw-away PostgreSQL of the test's own -------------------------


@pytest.fixture(scope="module")
def server():
    with PostgresNode.initialised() as node:
        node.create_database("kentra")
        yield node


@pytest.fixture
def pool(server):
    db = Database(server.url("kentra"), "public", max_connections=2)
    yield db
    db.close()


def backend_pid(db: Database) -> int:
    with db.statement() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def test_after_a_restart_the_first_statement_gets_a_new_connection_not_an_error(server, pool):
    before = backend_pid(pool)
    server.restart()  # "terminating connection due to administrator command" to the idle one
    assert backend_pid(pool) != before
    with pool.transaction() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)


def test_after_a_crash_the_dead_connections_are_replaced_when_next_used(server, pool):
    with pool.connection(), pool.connection():  # two idle connections in the pool
        pass
    server.crash()
    server.start()
    for _ in range(3):
        with pool.statement() as cur:
            cur.execute("SELECT 1")
    assert len(pool._idle) == 1, "the crashed server's connections were dropped, one made anew"


def test_a_connection_in_use_when_the_server_goes_fails_and_is_not_pooled_again(server, pool):
    with pytest.raises(psycopg2.OperationalError), pool.statement() as cur:
        server.restart()
        cur.execute("SELECT 1")
    assert pool._idle == []
    with pool.statement() as cur:
        cur.execute("SELECT 1")


def test_a_multi_host_url_follows_the_primary_to_its_promoted_standby():
    with PostgresNode.initialised() as primary:
        primary.create_database("kentra")
        with primary.standby() as standby:
            url = role_url(multi_host_url([primary, standby], "kentra"), "postgres")
            db = Database(url, "public", 1)
            try:
                assert server_port(db) == primary.port
                primary.crash()
                with pytest.raises(psycopg2.OperationalError, match="read-only"):
                    server_port(db)  # the standby is still a standby: no session takes it
                standby.promote()
                assert server_port(db) == standby.port
            finally:
                db.close()


def server_port(db: Database) -> int:
    with db.statement() as cur:
        cur.execute("SELECT inet_server_port()")
        return cur.fetchone()[0]
