"""Building a service's event store: migrations, role and grants (the one-shot migrate step, as
the administrator), and the wired store's connections (every other process, as the service role)."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg2
from psycopg2 import sql

from services.common.config import Settings
from services.common.db import (
    MIGRATION_LOCK,
    Database,
    Migration,
    migrate,
    migrations_in,
    require_migrations,
    role_url,
)
from services.common.personal_data import KeyVault, PersonalDataCipher

SQL = Path(__file__).parent / "sql"
VAULT_SCHEMA = "vault"
STORE_MIGRATIONS = migrations_in(SQL)
VAULT_MIGRATIONS = migrations_in(SQL, "vault_")


def vault_schema(settings: Settings) -> str:
    """The key vault of this platform: one per installation, and one per test or benchmark
    platform (its schema prefix), so that platforms in one database never share subjects' keys."""
    return settings.schema(VAULT_SCHEMA)


def service_role(schema: str) -> str:
    return f"kentra_{schema}"


def migrate_store(
    admin_url: str,
    settings: Settings,
    schema: str,
    extra: list[Migration] | None = None,
    *,
    erases: bool = False,
) -> None:
    """The store's own tables, then the service's (`extra`), then the shared key vault and what
    the service may do in it. `erases`: the service erases people (may delete a subject's key,
    through the vault's `forget_subject`, one at a time)."""
    role = service_role(schema)
    password = settings.role_password(schema)
    migrate(admin_url, schema, role, STORE_MIGRATIONS + (extra or []), password=password)
    vault = vault_schema(settings)
    # the vault's own role owns the erasure function; it cannot log in
    migrate(admin_url, vault, service_role(vault), VAULT_MIGRATIONS, login=False)
    grant_vault(admin_url, vault, role, erases)


def migrate_vault_reader(admin_url: str, settings: Settings, schema: str) -> None:
    """A read model that opens personal fields (a consumer's `opens_personal`): its role reads
    subjects' keys and may never add one or delete one."""
    vault = vault_schema(settings)
    migrate(admin_url, vault, service_role(vault), VAULT_MIGRATIONS, login=False)
    grant_vault(admin_url, vault, service_role(schema), erases=False, adds_keys=False)


def grant_vault(
    admin_url: str,
    vault: str,
    role: str,
    erases: bool,
    attempts: int = 5,
    *,
    adds_keys: bool = True,
) -> None:
    """A service reads and adds subjects' keys (a reader only reads them); none deletes one, or
    marks anyone forgotten, but through `forget_subject`, and only a service that erases may call
    it. The revokes bring an installation made before this rule down to it."""
    statements = [
        "GRANT USAGE ON SCHEMA {vault} TO {role}",
        "GRANT SELECT ON {vault}.schema_migrations TO {role}",
        "GRANT SELECT, INSERT ON {vault}.subject_keys TO {role}"
        if adds_keys
        else "GRANT SELECT ON {vault}.subject_keys TO {role}",
        "REVOKE UPDATE, DELETE, TRUNCATE ON {vault}.subject_keys FROM {role}",
        "GRANT SELECT ON {vault}.forgotten_subjects TO {role}",
        "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {vault}.forgotten_subjects FROM {role}",
        ("GRANT EXECUTE ON FUNCTION {vault}.forget_subject(uuid) TO {role}")
        if erases
        else ("REVOKE EXECUTE ON FUNCTION {vault}.forget_subject(uuid) FROM {role}"),
    ]
    if not adds_keys:
        statements.append("REVOKE INSERT ON {vault}.subject_keys FROM {role}")
    for attempt in range(attempts):
        conn = psycopg2.connect(admin_url)
        try:
            with conn, conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                for statement in statements:
                    cur.execute(
                        sql.SQL(statement).format(
                            vault=sql.Identifier(vault), role=sql.Identifier(role)
                        )
                    )
            return
        except psycopg2.errors.InternalError_ as exc:
            # "tuple concurrently updated": another process changed the vault's grants (a role being
            # dropped) at the same instant; the grant is idempotent, so try again
            if "concurrently" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
        finally:
            conn.close()


def service_database(settings: Settings, schema: str, max_connections: int = 8) -> Database:
    """The service's own connections log in as its role: no UPDATE or DELETE on its history."""
    url = role_url(settings.database_url, service_role(schema), settings.role_password(schema))
    return Database(url, schema, max_connections)


def require_store(settings: Settings, db: Database, extra: list[Migration] | None = None) -> None:
    """The store's schema and the vault are as this release expects (the migrate step ran)."""
    require_migrations(db, STORE_MIGRATIONS + (extra or []))
    require_migrations(db, VAULT_MIGRATIONS, vault_schema(settings))


def key_vault(settings: Settings) -> KeyVault:
    return KeyVault(PersonalDataCipher(settings.key_encryption_key), vault_schema(settings))
