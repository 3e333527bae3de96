"""PostgreSQL plumbing shared by every service: connections, transactions, migrations."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import orjson
import psycopg2
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras
from psycopg2 import sql

log = logging.getLogger(__name__)

psycopg2.extras.register_uuid()
# jsonb decoding is on every read path (relay, catch-up, rebuild): orjson does it several times faster
psycopg2.extras.register_default_jsonb(loads=orjson.loads, globally=True)

# Errors worth a retry: the database went away, or two transactions collided.
TRANSIENT_ERRORS = (
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
)


def role_url(database_url: str, role: str, password: str | None = None) -> str:
    """The same database, logged in as `role` (with its password, or trusted in development)."""
    parts = urlsplit(database_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    login = quote(role, safe="") + (":" + quote(password, safe="") if password else "")
    return urlunsplit(parts._replace(netloc=f"{login}@{host}"))


class Database:
    """A small thread-safe (and green-thread-safe once patched) pool of connections whose
    search_path is one service's schema. Broken connections are dropped, not reused."""

    def __init__(self, url: str, schema: str, max_connections: int = 8):
        self.url, self.schema, self.max_connections = url, schema, max_connections
        self._idle: list[psycopg2.extensions.connection] = []
        self._slots = threading.BoundedSemaphore(max_connections)
        self._lock = threading.Lock()

    def connect(self) -> psycopg2.extensions.connection:
        conn = psycopg2.connect(self.url, options=f"-c search_path={self.schema},public")
        conn.set_client_encoding("UTF8")
        return conn

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg2.extensions.connection]:
        self._slots.acquire()
        conn = None
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                conn = self.connect()
            yield conn
        except BaseException:
            if conn is not None and not conn.closed:
                try:
                    conn.rollback()
                except psycopg2.Error:
                    conn.close()
            raise
        finally:
            if (
                conn is not None
                and not conn.closed
                and conn.status == psycopg2.extensions.STATUS_READY
            ):
                with self._lock:
                    self._idle.append(conn)
            elif conn is not None and not conn.closed:
                conn.close()
            self._slots.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg2.extensions.cursor]:
        with self.connection() as conn:
            with conn:  # commit on success, rollback on error
                with conn.cursor() as cur:
                    yield cur

    @contextlib.contextmanager
    def statement(self) -> Iterator[psycopg2.extensions.cursor]:
        """A cursor whose every statement is its own transaction (autocommit): one round trip
        for a read that stands alone (a session look-up, a stream read) or a statement that does
        all its work itself (a server-side function), where BEGIN and COMMIT would add two.
        Never for statements that must see one snapshot or commit together: `transaction`."""
        with self.connection() as conn:
            conn.autocommit = True  # client-side only: psycopg2 just stops sending BEGIN
            try:
                with conn.cursor() as cur:
                    yield cur
            finally:
                if not conn.closed:
                    conn.autocommit = False

    def close(self) -> None:
        with self._lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()


@dataclass(frozen=True)
class Migration:
    name: str
    path: Path


def migrations_in(folder: Path, prefix: str = "") -> list[Migration]:
    return [Migration(p.stem, p) for p in sorted(folder.glob(f"{prefix}[0-9]*.sql"))]


def migrate(
    admin_url: str,
    schema: str,
    role: str,
    migrations: Sequence[Migration],
    *,
    login: bool = True,
    password: str | None = None,
) -> list[str]:
    """Create the schema and its role, then apply the migrations not yet applied, all in one
    transaction, as the administrator: the one-shot migrate step (services/common/migrate.py), and
    tests and benchmarks for their own schemas. Safe to run from several processes at once
    (advisory lock). The role may log in (a service's) or not (one that only owns a function)."""
    applied_now = []
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            # one lock for every schema: migrations of several services share roles and the vault
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            _ensure_role(cur, role, login, password)
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for grant in (
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                # a process checks on start that the migrate step brought its schema up to date
                "GRANT SELECT ON schema_migrations TO {role}",
            ):
                cur.execute(
                    sql.SQL(grant).format(schema=sql.Identifier(schema), role=sql.Identifier(role))
                )
            cur.execute("SELECT name FROM schema_migrations")
            done = {r[0] for r in cur.fetchall()}
            for m in migrations:
                if m.name in done:
                    continue
                text = m.path.read_text(encoding="utf-8")
                cur.execute(
                    sql.SQL(text).format(schema=sql.Identifier(schema), role=sql.Identifier(role))
                )
                cur.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (m.name,))
                applied_now.append(m.name)
    finally:
        conn.close()
    if applied_now:
        log.info("schema %s: applied %s", schema, ", ".join(applied_now))
    return applied_now


# a role's attributes: how ALTER ROLE names each, and its column in pg_roles
ROLE_ATTRIBUTES = {
    "SUPERUSER": "rolsuper",
    "CREATEDB": "rolcreatedb",
    "CREATEROLE": "rolcreaterole",
    "REPLICATION": "rolreplication",
    "BYPASSRLS": "rolbypassrls",
    "LOGIN": "rolcanlogin",
}


def _ensure_role(cur, role: str, login: bool, password: str | None) -> None:
    """A role with no power beyond its grants, whatever it was before (an older installation's
    role is brought down to this too). A password is sent as a SCRAM verifier, never in clear."""
    columns = ", ".join(ROLE_ATTRIBUTES.values())
    cur.execute(f"SELECT {columns} FROM pg_roles WHERE rolname = %s", (role,))
    found = cur.fetchone()
    if found is None:
        cur.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(role)))
        found = (False, False, False, False, False, False)
    # only what differs: changing some attributes takes a superuser, which a managed database's
    # administrator may not be
    wanted = (False, False, False, False, False, login)
    changes = [
        name if want else f"NO{name}"
        for name, want, has in zip(ROLE_ATTRIBUTES, wanted, found, strict=True)
        if want != has
    ]
    if changes:
        cur.execute(sql.SQL("ALTER ROLE {} " + " ".join(changes)).format(sql.Identifier(role)))
    # nor any power inherited from another role (an administrator's, pg_read_server_files ...)
    cur.execute(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        " JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = %s",
        (role,),
    )
    for (granted,) in cur.fetchall():
        cur.execute(
            sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(granted), sql.Identifier(role))
        )
    if password is not None:
        verifier = psycopg2.extensions.encrypt_password(
            password, role, cur.connection, "scram-sha-256"
        )
        cur.execute(sql.SQL("ALTER ROLE {} PASSWORD %s").format(sql.Identifier(role)), (verifier,))


def ensure_monitoring_role(admin_url: str, role: str, password: str | None) -> None:
    """The login postgres_exporter uses: PostgreSQL's own `pg_monitor` (statistics and settings,
    read only) and nothing else: no schema of ours, so it can read no row of anyone's data."""
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            _ensure_role(cur, role, True, password)
            cur.execute(sql.SQL("GRANT pg_monitor TO {}").format(sql.Identifier(role)))
    finally:
        conn.close()


class NotMigrated(RuntimeError):
    """A process was started on a schema the migrate step has not brought up to date."""


def require_migrations(
    db: Database, migrations: Sequence[Migration], schema: str | None = None
) -> None:
    """Fail at start, clearly, when the one-shot migrate step has not run (or not since this
    release): long-running processes cannot migrate, they hold no administrative login."""
    schema = schema or db.schema
    wanted = [m.name for m in migrations]
    try:
        with db.transaction() as cur:
            cur.execute(
                sql.SQL("SELECT name FROM {}.schema_migrations").format(sql.Identifier(schema))
            )
            done = {r[0] for r in cur.fetchall()}
    except (psycopg2.errors.UndefinedTable, psycopg2.errors.InsufficientPrivilege):
        done = set()
    missing = [name for name in wanted if name not in done]
    if missing:
        raise NotMigrated(
            f"schema {schema} lacks {', '.join(missing)}: run the migrate step first"
            " (python -m services.common.migrate, with KENTRA_ADMIN_DATABASE_URL)"
        )


def advisory_key(name: str) -> int:
    """A stable 64-bit key for pg_advisory_xact_lock from a name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


MIGRATION_LOCK = advisory_key("kentra:migrations")


def ensure_database(admin_url: str, name: str) -> str:
    """Create database `name` (UTF-8) on the server of `admin_url` if missing; return its URL."""
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)
                )
            )
    conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_platform(admin_url: str, schema_prefix: str) -> None:
    """Remove every schema with this prefix and its service role: a test's or a benchmark's
    platform, or a second demo. Never called with an empty prefix."""
    if not schema_prefix:
        raise ValueError("refusing to drop every schema: give a prefix")
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        # dropping a role revokes its grants on the shared vault: not while a migration grants them
        cur.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        cur.execute(
            # not LIKE: its `_` matches any character, and `n100_` dropped `n1000000_vault`
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)",
            (schema_prefix,),
        )
        for (schema,) in cur.fetchall():
            role = sql.Identifier(f"kentra_{schema}")
            cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"kentra_{schema}",))
            if cur.fetchone():
                cur.execute(sql.SQL("DROP OWNED BY {}").format(role))
                cur.execute(sql.SQL("DROP ROLE {}").format(role))
        # the statistics login owns no schema (ensure_monitoring_role)
        monitor = sql.Identifier(f"kentra_{schema_prefix}monitor")
        cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(monitor))
        cur.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    conn.close()
