"""Building a service's event store: migrations, role, and the wired store."""

from __future__ import annotations

import time
from pathlib import Path

from services.common.config import Settings
from services.common.db import MIGRATION_LOCK, Database, migrate, migrations_in, role_url
from services.common.personal_data import KeyVault, PersonalDataCipher

SQL = Path(__file__).parent / "sql"
VAULT_SCHEMA = "vault"


def vault_schema(settings: Settings) -> str:
    """The key vault of this platform: one per installation, and one per test or benchmark
    platform (its schema prefix), so that platforms in one database never share subjects' keys."""
    return settings.schema(VAULT_SCHEMA)


def service_role(schema: str) -> str:
    return f"kentra_{schema}"


def migrate_store(settings: Settings, schema: str, extra: list | None = None) -> None:
    """The store's own tables, then the service's (`extra`), then the shared key vault."""
    role = service_role(schema)
    migrate(settings.database_url, schema, role, migrations_in(SQL) + (extra or []))
    migrate(settings.database_url, vault_schema(settings), role, migrations_in(SQL, "vault_"))
    grant_vault(settings, role)


def grant_vault(settings: Settings, role: str, attempts: int = 5) -> None:
    import psycopg2

    for attempt in range(attempts):
        conn = psycopg2.connect(settings.database_url)
        try:
            with conn, conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                vault = vault_schema(settings)
                cur.execute(f'GRANT USAGE ON SCHEMA "{vault}" TO "{role}"')
                cur.execute(f'GRANT SELECT, INSERT, DELETE ON "{vault}".subject_keys TO "{role}"')
                cur.execute(f'GRANT SELECT, INSERT ON "{vault}".forgotten_subjects TO "{role}"')
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
    return Database(role_url(settings.database_url, service_role(schema)), schema, max_connections)


def key_vault(settings: Settings) -> KeyVault:
    return KeyVault(PersonalDataCipher(settings.key_encryption_key), vault_schema(settings))
