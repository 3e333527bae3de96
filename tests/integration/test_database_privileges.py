"""What a service role can do to the database, tried as an attacker holding that role would: no
administrative power, no deleting a subject's key (erasure goes through the vault's function,
one subject per call, recorded, and only for a service that erases), and no process that starts
on a schema the migrate step has not brought up to date."""

from __future__ import annotations

import dataclasses
import uuid

import psycopg2
import pytest

from services.common.db import NotMigrated, drop_platform, role_url
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import (
    key_vault,
    migrate_store,
    service_database,
    service_role,
)

META = Metadata("sw-1", "KK-KALAMATA")


@pytest.fixture
def stores(admin_url, settings, unique_schema):
    """Two stores on one vault: one of a service that erases, one of a service that does not."""
    made, dbs = {}, []
    for name, erases in (("erasing", True), ("other", False)):
        schema = unique_schema(name)
        migrate_store(admin_url, settings, schema, erases=erases)
        dbs.append(service_database(settings, schema))
        made[name] = PostgresEventStore(dbs[-1], key_vault(settings))
    yield made
    for db in dbs:
        db.close()


def sealed_for(store: PostgresEventStore) -> uuid.UUID:
    """A person with personal data in `store`: their key is in the vault."""
    subject = uuid.uuid4()
    store.append(
        f"beneficiary-{subject}",
        NO_STREAM,
        [NewEvent("R", {}, personal={"name": "Ελένη"}, subject_id=subject)],
        META,
    )
    return subject


def as_role(settings, store: PostgresEventStore):
    """A connection of the store's own role, as a compromised process of that service holds."""
    conn = psycopg2.connect(role_url(settings.database_url, service_role(store.db.schema)))
    conn.autocommit = True
    return conn


def keys_of(admin_url, subject) -> int:
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM vault.subject_keys WHERE subject_id = %s", (subject,))
        (count,) = cur.fetchone()
    conn.close()
    return count


@pytest.mark.parametrize("who", ["erasing", "other"])
@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM vault.subject_keys WHERE subject_id = %(s)s",
        "DELETE FROM vault.subject_keys",
        "TRUNCATE vault.subject_keys",
        "UPDATE vault.subject_keys SET wrapped_key = '\\x00' WHERE subject_id = %(s)s",
        "INSERT INTO vault.forgotten_subjects (subject_id) VALUES (gen_random_uuid())",
        "DELETE FROM vault.forgotten_subjects",
    ],
)
def test_no_service_role_can_delete_or_spoil_a_subject_key(
    stores, settings, admin_url, who, statement
):
    subject = sealed_for(stores[who])
    conn = as_role(settings, stores[who])
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute(statement, {"s": str(subject)})
    conn.close()
    assert keys_of(admin_url, subject) == 1


def test_a_service_that_does_not_erase_cannot_call_the_erasure_function(
    stores, settings, admin_url
):
    subject = sealed_for(stores["other"])
    conn = as_role(settings, stores["other"])
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute("SELECT vault.forget_subject(%s)", (str(subject),))
    conn.close()
    assert keys_of(admin_url, subject) == 1


def test_erasure_deletes_one_key_per_call_and_records_who_erased(stores, settings, admin_url):
    erased, kept = sealed_for(stores["erasing"]), sealed_for(stores["erasing"])
    stores["erasing"].append(
        f"beneficiary-{erased}",
        1,
        [NewEvent("PersonalDataErased", {})],
        META,
        forget_subject=erased,
    )
    assert (keys_of(admin_url, erased), keys_of(admin_url, kept)) == (0, 1)
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT forgotten_by FROM vault.forgotten_subjects WHERE subject_id = %s", (erased,)
        )
        assert cur.fetchall() == [(service_role(stores["erasing"].db.schema),)]
    conn.close()


def test_no_role_can_give_a_forgotten_person_a_new_key(stores, settings):
    subject = uuid.uuid4()
    stores["erasing"].append(
        f"beneficiary-{subject}",
        NO_STREAM,
        [NewEvent("PersonalDataErased", {})],
        META,
        forget_subject=subject,
    )
    conn = as_role(settings, stores["other"])
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege, match="erased"):
        cur.execute(
            "INSERT INTO vault.subject_keys (subject_id, wrapped_key) VALUES (%s, '\\x00')",
            (str(subject),),
        )
    conn.close()


def test_the_erasure_functions_owner_cannot_log_in(settings, stores):
    owner = service_role(settings.schema("vault"))
    with pytest.raises(psycopg2.OperationalError, match="not permitted to log in"):
        psycopg2.connect(role_url(settings.database_url, owner))


def test_a_service_role_holds_no_administrative_power_even_if_it_once_did(
    admin_url, settings, unique_schema
):
    schema = unique_schema("was_super")
    role = service_role(schema)
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:  # an older installation, or a hand-made role
        cur.execute(f'CREATE ROLE "{role}" LOGIN SUPERUSER CREATEDB CREATEROLE BYPASSRLS')
        cur.execute(f'GRANT pg_read_server_files, pg_signal_backend TO "{role}"')
    migrate_store(admin_url, settings, schema)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin,"
            " (SELECT count(*) FROM pg_auth_members WHERE member = r.oid)"
            " FROM pg_roles r WHERE rolname = %s",
            (role,),
        )
        assert cur.fetchone() == (False, False, False, False, False, True, 0)
    conn.close()
    service = psycopg2.connect(role_url(settings.database_url, role))
    service.autocommit = True
    with service.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute(f'CREATE TABLE "{schema}".smuggled (x int)')  # nor owns its own schema
    service.close()


def test_the_migrate_step_sets_a_roles_password_as_a_scram_verifier(
    admin_url, settings, unique_schema
):
    schema = unique_schema("pw")
    with_password = dataclasses.replace(settings, database_passwords={schema: "correct horse"})
    migrate_store(admin_url, with_password, schema)
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (service_role(schema),))
        (stored,) = cur.fetchone()
    conn.close()
    assert stored.startswith("SCRAM-SHA-256$") and "correct horse" not in stored


def test_a_process_refuses_to_start_on_a_schema_the_migrate_step_did_not_bring_up_to_date(
    admin_url, settings
):
    """A new release started before its migrate step ran: it says so, and does nothing."""
    from services.portal_gateway import bootstrap

    own = dataclasses.replace(settings, schema_prefix=f"nm{uuid.uuid4().hex[:8]}_")
    try:
        migrate_store(admin_url, own, own.schema(bootstrap.SERVICE))  # the release before
        with pytest.raises(NotMigrated, match="portal_gateway_001_accounts.*migrate step"):
            bootstrap.open_store(own, max_connections=1)
    finally:
        drop_platform(admin_url, own.schema_prefix)


def test_dropping_a_platform_leaves_one_whose_prefix_only_looks_alike(admin_url, settings):
    """A prefix is text, not a pattern: with LIKE, dropping the bench's `n100_` dropped
    `n1000000_vault` and a million people's data set with it (2026-12-04)."""
    from services.portal_gateway import bootstrap

    tag = uuid.uuid4().hex[:6]
    dropped, kept = (
        dataclasses.replace(settings, schema_prefix=p) for p in (f"d{tag}_", f"d{tag}0_")
    )
    neighbour = f"d{tag}x"  # `_` as a wildcard would match this one too
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        for own in (dropped, kept):
            migrate_store(admin_url, own, own.schema(bootstrap.SERVICE))
        with conn.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {neighbour}a")  # noqa: S608 (made above)
        drop_platform(admin_url, dropped.schema_prefix)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s ORDER BY 1", (f"d{tag}%",)
            )
            left = [s for (s,) in cur.fetchall()]
        assert not [s for s in left if s.startswith(dropped.schema_prefix)]
        assert {
            kept.schema(bootstrap.SERVICE),
            f"{kept.schema_prefix}vault",
            f"{neighbour}a",
        } <= set(left)
    finally:
        drop_platform(admin_url, kept.schema_prefix)
        with conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {neighbour}a")  # noqa: S608
        conn.close()


def test_postgres_exporters_login_reads_statistics_and_no_row_of_the_platform(admin_url, settings):
    """The migrate step's monitoring role, tried as whoever stole the exporter's password."""
    from services.common.migrate import migrate_platform, monitoring_role

    own = dataclasses.replace(settings, schema_prefix=f"mo{uuid.uuid4().hex[:8]}_")
    try:
        migrate_platform(admin_url, own)
        migrate_platform(admin_url, own)  # again: nothing changes, nothing fails
        conn = psycopg2.connect(role_url(own.database_url, monitoring_role(own)))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE query IS NOT NULL")
            assert cur.fetchone()[0] >= 1  # pg_monitor: it sees the statistics
            for schema, table in (
                ("registries", "events"),
                ("vault", "subject_keys"),
                ("portal_gateway", "accounts"),
            ):
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cur.execute(f'SELECT 1 FROM "{own.schema(schema)}".{table} LIMIT 1')
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("CREATE ROLE smuggled")
        conn.close()
    finally:
        drop_platform(admin_url, own.schema_prefix)
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (monitoring_role(own),))
        assert cur.fetchone() is None, "dropping the platform drops its monitoring login"
    conn.close()
