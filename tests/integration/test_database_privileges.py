"""What a service role can do to the database, tried as an attacker holding that role would: no
administrative power, and no process that starts on a schema the migrate step has not brought
up to date."""

from __future__ import annotations

import dataclasses
import uuid

import psycopg2
import pytest

from services.common.db import NotMigrated, drop_platform, role_url
from services.common.eventstore.setup import migrate_store, service_role


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
