"""The PostgreSQL store: the shared contract, plus what only a database can promise."""

from __future__ import annotations

import uuid

import psycopg2
import pytest

from services.common.db import role_url
from services.common.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    Metadata,
    NewEvent,
    WrongExpectedVersion,
)
from services.common.eventstore.chain import ChainCheck, stored_rows
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import service_role
from services.common.personal_data import SubjectErased
from tests.eventstore_contract import EventStoreContract

META = Metadata("sw-1", "KK-KALAMATA")


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    def store(self, pg_store):
        return pg_store


def connect_as_service(settings, store):
    conn = psycopg2.connect(role_url(settings.database_url, service_role(store.db.schema)))
    conn.autocommit = True
    return conn


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {s}.events SET type = 'x'",
        "DELETE FROM {s}.events",
        "TRUNCATE {s}.events",
        "UPDATE {s}.commands SET stream = 'x'",
        "DELETE FROM {s}.commands",
    ],
)
def test_the_service_role_cannot_change_or_remove_history(pg_store, settings, statement):
    pg_store.append(
        f"case-{uuid.uuid4()}", NO_STREAM, [NewEvent("X", {})], Metadata("a", "b", command_id="c-1")
    )
    conn = connect_as_service(settings, pg_store)
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute(statement.format(s=pg_store.db.schema))
    conn.close()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE {s}.events SET type = 'x'", "DELETE FROM {s}.events", "TRUNCATE {s}.events"],
)
def test_even_the_owner_is_refused_by_the_append_only_trigger(pg_store, admin_url, statement):
    pg_store.append(f"case-{uuid.uuid4()}", NO_STREAM, [NewEvent("X", {})], META)
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur, pytest.raises(psycopg2.Error, match="append-only"):
        cur.execute(statement.format(s=pg_store.db.schema))
    conn.close()


def test_personal_fields_are_not_stored_in_clear(pg_store, admin_url):
    subject = uuid.uuid4()
    pg_store.append(
        f"beneficiary-{subject}",
        NO_STREAM,
        [
            NewEvent(
                "BeneficiaryRegistered",
                {"site": "KK-X"},
                personal={"name": "Ευαγγελία", "amka": "01013099997"},
                subject_id=subject,
            )
        ],
        META,
    )
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT data::text, encode(personal, 'escape'), metadata::text FROM {pg_store.db.schema}.events"
        )
        stored = repr(cur.fetchall())
    conn.close()
    assert "Ευαγγελία" not in stored and "01013099997" not in stored


def test_erasure_deletes_the_key_and_remembers_the_person_was_forgotten(pg_store, admin_url):
    subject = uuid.uuid4()
    s = f"beneficiary-{subject}"
    pg_store.append(
        s, NO_STREAM, [NewEvent("R", {}, personal={"n": "Άννα"}, subject_id=subject)], META
    )
    conn = psycopg2.connect(admin_url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM vault.subject_keys WHERE subject_id = %s", (subject,))
        assert cur.fetchone()[0] == 1
    pg_store.append(s, 1, [NewEvent("PersonalDataErased", {})], META, forget_subject=subject)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM vault.subject_keys WHERE subject_id = %s", (subject,))
        assert cur.fetchone()[0] == 0
        cur.execute(
            "SELECT forgotten_by FROM vault.forgotten_subjects WHERE subject_id = %s", (subject,)
        )
        assert cur.fetchall() == [(service_role(pg_store.db.schema),)]  # who erased
    conn.close()


def test_an_event_stored_as_version_one_reads_back_as_the_current_version(
    admin_url, settings, unique_schema
):
    from contracts.base import upcast
    from services.common.eventstore.postgres import PostgresEventStore
    from services.common.eventstore.setup import key_vault, migrate_store, service_database

    schema = unique_schema("up")
    migrate_store(admin_url, settings, schema)
    db = service_database(settings, schema)
    old_release = PostgresEventStore(db, key_vault(settings))
    s = f"case-{uuid.uuid4()}"
    old_release.append(
        s,
        NO_STREAM,
        [
            NewEvent(
                "ContactRecorded", {"by_mobile_unit": True, "site": "MU-KALAMATA"}, schema_version=1
            )
        ],
        META,
    )

    (event,) = PostgresEventStore(db, key_vault(settings), upcast=upcast).read_stream(s)
    assert event.schema_version == 2 and event.data == {
        "site": "MU-KALAMATA",
        "channel": "mobile_unit_visit",
    }
    db.close()


def chain_breaks(admin_url, schema) -> list[str]:
    """Every stream's chain recomputed from the rows as stored: the streams it breaks in."""
    conn = psycopg2.connect(admin_url, options=f"-c search_path={schema}")
    with conn:
        check, broken = ChainCheck(), []
        for row in stored_rows(conn):
            if row[1] not in broken and check.feed(row) is not None:
                broken.append(row[1])
    conn.close()
    return broken


def test_the_hash_chain_recomputes_from_what_is_stored_and_exposes_tampering(pg_store, admin_url):
    subject = uuid.uuid4()
    s = f"beneficiary-{subject}"
    pg_store.append(
        s,
        NO_STREAM,
        [
            NewEvent("R", {"a": 1}, personal={"n": "Άννα"}, subject_id=subject),
            NewEvent("C", {"b": "β"}),
        ],
        META,
    )
    schema = pg_store.db.schema
    assert chain_breaks(admin_url, schema) == []

    conn = psycopg2.connect(admin_url)
    with conn, conn.cursor() as cur:
        cur.execute(f"ALTER TABLE {schema}.events DISABLE TRIGGER events_append_only")
        cur.execute(
            f"UPDATE {schema}.events SET data = '{{\"a\": 2}}' WHERE stream = %s AND version = 1",
            (s,),
        )
        cur.execute(f"ALTER TABLE {schema}.events ENABLE TRIGGER events_append_only")
    conn.close()
    assert chain_breaks(admin_url, schema) == [s]


def another_process(pg_store) -> PostgresEventStore:
    """A second writer on the same store: its appends are heads the first never saw."""
    return PostgresEventStore(pg_store.db, pg_store.vault)


@pytest.mark.parametrize("expected", [1, ANY_VERSION])
def test_an_append_on_a_head_another_process_wrote_chains_on_that_head(
    pg_store, admin_url, expected
):
    s = f"case-{uuid.uuid4()}"
    another_process(pg_store).append(s, NO_STREAM, [NewEvent("A", {})], META)
    result = pg_store.append(s, expected, [NewEvent("B", {})], META)
    assert result.version == 2 and [e.version for e in pg_store.read_stream(s)] == [1, 2]
    assert chain_breaks(admin_url, pg_store.db.schema) == []


def test_a_writer_whose_known_head_is_old_gets_a_conflict_and_stores_nothing(pg_store):
    s = f"case-{uuid.uuid4()}"
    pg_store.append(s, NO_STREAM, [NewEvent("A", {})], META)  # this process knows version 1
    another_process(pg_store).append(s, 1, [NewEvent("B", {})], META)
    with pytest.raises(WrongExpectedVersion) as raised:
        pg_store.append(s, 1, [NewEvent("C", {})], META)
    assert raised.value.actual == 2 and len(pg_store.read_stream(s)) == 2


def test_the_same_command_from_two_processes_is_stored_once(pg_store):
    s = f"case-{uuid.uuid4()}"
    first = pg_store.append(s, NO_STREAM, [NewEvent("A", {})], Metadata("a", "b", command_id="c"))
    again = another_process(pg_store).append(
        s, NO_STREAM, [NewEvent("A", {})], Metadata("a", "b", command_id="c")
    )
    assert again.duplicate and again.events == first.events
    assert pg_store.last_position() == 1


class ErasedWhileSealing(PostgresEventStore):
    """The subject is erased after its key was read and before the append's call."""

    def _keys_of(self, events):
        keys = super()._keys_of(events)
        with self.db.transaction() as cur:
            for subject in keys:
                self.vault.forget(cur, subject)
        return keys


def test_personal_fields_sealed_under_a_key_erased_meanwhile_are_refused(pg_store):
    subject = uuid.uuid4()
    s = f"beneficiary-{subject}"
    pg_store.append(
        s, NO_STREAM, [NewEvent("R", {}, personal={"n": "Άννα"}, subject_id=subject)], META
    )
    erasing = ErasedWhileSealing(pg_store.db, pg_store.vault)
    with pytest.raises(SubjectErased):
        erasing.append(s, 1, [NewEvent("C", {}, personal={"n": "Άννα"}, subject_id=subject)], META)
    assert len(pg_store.read_stream(s)) == 1


def test_a_connection_goes_back_to_the_pool_transactional_after_a_one_call_append(pg_store):
    s = f"case-{uuid.uuid4()}"
    pg_store.append(s, NO_STREAM, [NewEvent("A", {})], META)
    with pytest.raises(WrongExpectedVersion):
        pg_store.append(s, NO_STREAM, [NewEvent("A", {})], META)
    # calls one after another reuse one idle connection: a later transaction on it must be one
    with pg_store.db.connection() as conn:
        assert not conn.autocommit


def test_an_expected_version_beyond_any_streams_is_a_conflict_not_an_error(pg_store):
    """A client's version is an integer the database cannot hold (a fuzzer's 2**40): stale, as
    any version the stream is not at, rather than a database error answered 500."""
    s = f"case-{uuid.uuid4()}"
    pg_store.append(s, NO_STREAM, [NewEvent("A", {})], META)
    with pytest.raises(WrongExpectedVersion):
        pg_store.append(s, 2**40, [NewEvent("A", {})], META)
    assert len(pg_store.read_stream(s)) == 1
