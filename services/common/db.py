"""PostgreSQL plumbing shared by every service: connections, transactions, migrations."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import select
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    search_path is one service's schema. Broken connections are dropped, not reused, and an idle
    one the server has ended since (a restart, a crash, a failover) is found and replaced before
    anything is sent on it (`_ended`).

    The pool retries nothing: it cannot tell a read from a write (`statement()` also runs
    `append_events`), and a statement whose connection broke on its way may have committed. Who
    knows what it sent decides: a read is always safe to repeat; the store's append with a command
    id is too (a repeat finds the command and answers it as a duplicate, storing nothing); a write
    without one is not. A request that meets a broken connection is answered 503, and its client
    sends it again."""

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
            conn = self._idle_connection() or self.connect()
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

    def _idle_connection(self) -> psycopg2.extensions.connection | None:
        """The most recently used idle connection the server has not ended; None if none is left."""
        while True:
            with self._lock:
                if not self._idle:
                    return None
                conn = self._idle.pop()
            if not _ended(conn):
                return conn
            log.info("schema %s: a pooled connection the server ended is replaced", self.schema)
            with contextlib.suppress(psycopg2.Error):
                conn.close()

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


def _ended(conn: psycopg2.extensions.connection) -> bool:
    """Has the server ended this idle session? What it sent since the session was last used is
    read without waiting (`poll`): a shutdown's "terminating connection due to administrator
    command" (libpq takes it for a notice) and then the end of the socket, or a crashed or killed
    server's end of socket. A server that vanished without a word (its host lost) sends nothing:
    TCP keepalives (`keepalives_idle` in the URL) find that one."""
    if conn.closed:
        return True
    try:
        for _ in range(3):  # a notice, then the end of the socket
            if not select.select([conn], [], [], 0)[0]:
                return False
            conn.poll()
    except psycopg2.Error:
        return True
    return bool(conn.closed)


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


# the lock session's TCP keepalives (idle, interval, count) and its limit on unacknowledged data
# (ms), at both ends: when the holder's host vanishes (no FIN, no RST) the server ends its session,
# and a standby takes over, in about 11 s rather than the kernel's two hours; a holder cut off from
# the server learns it as soon, even in the middle of a statement
KEEPALIVE, USER_TIMEOUT_MS = (5, 2, 3), 11_000


class ActiveLock:
    """One active instance among standbys (two relays of a store, two consumers of a read model):
    a session-level advisory lock, held on a connection of its own for as long as the instance is
    active. PostgreSQL lets go of it when that session ends, however it ends (the process killed,
    the connection terminated, the server restarted), and a standby polling for it takes over.

    An instance learns that it lost the lock only when a statement on the session fails, and then
    the session is closed and the lock counted lost: what the instance may still do between two
    statements is its own rule (the relay's lease, the consumer's checkpoint lock). The session's
    `application_name` names the instance (`kentra <name> pid <pid> on <host>`), so
    `holder` (or pg_locks joined with pg_stat_activity) says which one is active."""

    def __init__(
        self,
        db: Database,
        name: str,
        *,
        poll_seconds: float = 0.5,
        session_settings: Mapping[str, str | int] = {},
        on_change: Callable[[bool], None] | None = None,
    ):
        self.db, self.name, self.poll_seconds = db, name, poll_seconds
        self.key = advisory_key(f"active:{db.schema}:{name}")
        self.session_settings, self.on_change = dict(session_settings), on_change
        self.held = False
        self._conn: psycopg2.extensions.connection | None = None

    def session(self) -> psycopg2.extensions.connection:
        """The lock's connection (autocommit), opened if need be: nothing is held by opening it.
        The session of a lock held is never replaced: once it has ended, the lock is lost."""
        if self._conn is not None and self._conn.closed:
            self._conn = None
            if self.held:
                self._become(False, "lost the lock (its session ended): standby", True)
                raise psycopg2.InterfaceError("the lock's session has ended")
        if self._conn is None:
            idle, interval, count = KEEPALIVE
            settings = {
                "search_path": f"{self.db.schema},public",
                "tcp_keepalives_idle": idle,
                "tcp_keepalives_interval": interval,
                "tcp_keepalives_count": count,
                "tcp_user_timeout": USER_TIMEOUT_MS,
                **self.session_settings,
            }
            self._conn = psycopg2.connect(
                self.db.url,
                options=" ".join(f"-c {k}={v}" for k, v in settings.items()),
                application_name=f"kentra {self.name} pid {os.getpid()} on {socket.gethostname()}",
                connect_timeout=5,
                keepalives=1,
                keepalives_idle=idle,
                keepalives_interval=interval,
                keepalives_count=count,
                tcp_user_timeout=USER_TIMEOUT_MS,
            )
            self._conn.set_client_encoding("UTF8")
            self._conn.autocommit = True
        return self._conn

    def execute(self, statement: str, params: Sequence = ()) -> list[tuple]:
        """One statement on the lock's session; its rows. A failure closes the session: whatever
        went wrong, the lock can no longer be counted held."""
        try:
            with self.session().cursor() as cur:
                cur.execute(statement, params)
                return cur.fetchall() if cur.description else []
        except psycopg2.Error as exc:
            self._lost(exc)
            raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[psycopg2.extensions.cursor]:
        """A transaction on the lock's session, committed when the block ends: it commits only if
        the session (so the lock) lives through to its COMMIT. A failure closes the session."""
        conn = self.session()
        conn.autocommit = False
        try:
            with conn, conn.cursor() as cur:
                yield cur
        except psycopg2.Error as exc:
            self._lost(exc)
            raise
        finally:
            if not conn.closed:
                conn.autocommit = True

    def confirm(self) -> None:
        """A round trip on the session: it returns only if the session (so the lock) was alive
        at some moment after the call began."""
        self.execute("SELECT 1")

    def still_held(self) -> bool:
        """After a failure elsewhere (the broker, a statement of the pool): a round trip on the
        session, if the lock is held. A session that ended is counted lost (`_lost` says so in
        the log), and the caller's loop stands by again; a broker away alone keeps the lock, as a
        standby would fare no better."""
        if self.held:
            try:
                self.confirm()
            except Exception:  # the database away: the lock is counted lost and logged as such
                log.debug("%s: lock session gone", self.name, exc_info=True)
        return self.held

    def hold(self, stop: threading.Event) -> bool:
        """Block until this instance holds the lock (True), or until `stop` (False), asking every
        `poll_seconds` (a try, not a blocking wait: a stop, SIGTERM, is heard between two)."""
        waited = False
        while not self.held:
            (got,) = self.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))[0]
            if got:
                self._become(True, "took over: active" if waited else "active", waited)
                break
            if not waited:
                log.info("%s: standby (another instance holds the lock)", self.name)
                waited = True
            if stop.wait(self.poll_seconds):
                return False
        return True

    def release(self) -> None:
        """Close the session: PostgreSQL lets go of the lock with it."""
        self._let_go("stopped: lock released", False)

    def holder(self, cur) -> tuple[int, str] | None:
        """The active instance's backend pid and application_name (None: no instance is active),
        asked on any connection to the database."""
        cur.execute(
            "SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.classid = %s AND l.objid = %s"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            ((self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF),
        )
        row = cur.fetchone()
        return (row[0], row[1]) if row else None

    def _lost(self, exc: Exception) -> None:
        self._let_go(f"lost the lock ({type(exc).__name__}: {str(exc).strip()}): standby", True)

    def _let_go(self, why: str, news: bool) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg2.Error):
                self._conn.close()
            self._conn = None
        if self.held:
            self._become(False, why, news)

    def _become(self, active: bool, why: str, news: bool) -> None:
        """Every change of role goes through here (`news`: a takeover or a loss, worth a warning)."""
        self.held = active
        (log.warning if news else log.info)("%s: %s", self.name, why)
        if self.on_change is not None:
            self.on_change(active)


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
