"""Throw-away PostgreSQL servers for tests: a node of the test's own (its data directory under a
temporary directory, its own TCP port on loopback, trust authentication, nobody else's clients),
started, stopped, restarted, crashed (SIGKILL) and promoted by the test, and a streaming standby
made from it with `pg_basebackup -R`. The machine's shared server is never touched.

    with PostgresNode.initialised() as primary:        # initdb, started; removed at the end
        primary.create_database("kentra")
        with primary.standby() as standby:               # pg_basebackup -R, streaming, started
            primary.crash(); standby.promote()
            multi_host_url([primary, standby], "kentra") # what services connect through

PostgreSQL refuses to run as root: run as root (this machine's tests, CI), each server runs as the
distribution's `postgres` account, which then owns its directory. The binaries are those of the
newest major version installed under /usr/lib/postgresql (KENTRA_TEST_PG_BIN overrides).

Settings given to `initialised(settings=...)` (or `standby(settings=...)`) are passed on the
command line of that node alone, never written into its data directory, so a standby copied from a
primary does not inherit them. `synchronous(standby)` makes every commit on the primary wait until
that standby has the commit on disk (as CloudNativePG's synchronous replication does): a failover
then loses nothing a client was told was committed. It is set once the standby streams (a commit
before would wait for it forever) and only on the primary, so the promoted standby waits for
nobody."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg2

from deploy.backup.postgres import as_server_account, hand_to_server_account, server_binaries
from tests.support.ports import free_port
from tests.support.waiting import eventually

# fsync off: a test crashes the server process, never the machine, so the kernel keeps what was
# written; it spares this slow machine's disk. Nothing else departs from a default installation.
FAST = {"fsync": "off", "full_page_writes": "off"}


def binaries() -> Path:
    """The bin directory of the newest PostgreSQL installed (Debian: /usr/lib/postgresql/<major>)."""
    if os.environ.get("KENTRA_TEST_PG_BIN"):
        return Path(os.environ["KENTRA_TEST_PG_BIN"])
    return server_binaries()


class PostgresNode:
    """One server: `data` (its PGDATA), `port` (TCP, 127.0.0.1 only), a Unix socket in a
    directory of its own, its log beside the data. `url(database, user)` is a libpq URL to it."""

    def __init__(self, root: Path, name: str, settings: dict[str, str] | None = None):
        self.root, self.name = root, name
        self.data = root / name
        self.socket_dir = root / f"{name}-socket"
        self.log = root / f"{name}.log"
        self.port = free_port()
        self.bin = binaries()
        self.settings = {
            "port": str(self.port),
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.socket_dir),
            **FAST,
            **(settings or {}),
        }

    # -- making one ---------------------------------------------------------------------------------
    @classmethod
    def initialised(
        cls, name: str = "primary", settings: dict[str, str] | None = None, start: bool = True
    ) -> PostgresNode:
        """A new cluster (initdb: trust on loopback and the socket, replication included), started
        unless told not to. The node owns a new temporary directory, removed with it."""
        root = Path(tempfile.mkdtemp(prefix="kentra-pg-"))
        root.chmod(0o755)
        node = cls(root, name, settings)
        node.socket_dir.mkdir()
        hand_to_server_account(root)
        node._run(
            "initdb",
            f"--pgdata={node.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if start:
            node.start()
        return node

    def standby(
        self, name: str = "standby", settings: dict[str, str] | None = None
    ) -> PostgresNode:
        """A streaming standby of this (running) node, in the same temporary directory: a base
        backup with `-R` (standby.signal and primary_conninfo written for it), started, and
        connected to the primary (`pg_stat_replication` shows it streaming) before it returns.
        Its `application_name` is its name, for `synchronous_standby_names`."""
        node = PostgresNode(self.root, name, settings)
        node.socket_dir.mkdir()
        hand_to_server_account(node.socket_dir)
        node._run(
            "pg_basebackup",
            f"--pgdata={node.data}",
            f"--dbname=host=127.0.0.1 port={self.port} user=postgres application_name={name}",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--write-recovery-conf",
            "--no-sync",
        )
        node.start()
        eventually(
            lambda: self.streaming_to(name),
            60,
            0.2,
            what=f"standby {name} to stream from {self.name}",
            explain=node.log_tail,
        )
        return node

    # -- running it ---------------------------------------------------------------------------------
    def start(self, timeout: float = 60) -> None:
        if self.pid() is not None and not self.running():
            # left by a crash: its postmaster is dead (perhaps a zombie nobody has reaped yet, which
            # PostgreSQL would take for a live server): gone, as after the machine's reboot
            (self.data / "postmaster.pid").unlink()
            for lock in self.socket_dir.glob(".s.PGSQL.*.lock"):
                lock.unlink()
        options = " ".join(f"-c {k}={_quoted(v)}" for k, v in self.settings.items())
        self._run(
            "pg_ctl",
            "start",
            "--silent",
            f"--pgdata={self.data}",
            f"--log={self.log}",
            f"--options={options}",
            "--wait",
            f"--timeout={int(timeout)}",
        )

    def stop(self, mode: str = "fast") -> None:
        """A clean shutdown (`fast`: open sessions are ended, as an operator's restart does)."""
        if self.running():
            self._run("pg_ctl", "stop", f"--pgdata={self.data}", f"--mode={mode}", "--wait")

    def restart(self, mode: str = "fast", down_seconds: float = 0.0) -> None:
        """Stop (every session ended: 'terminating connection due to administrator command'),
        stay down `down_seconds`, start again on the same data."""
        self.stop(mode)
        time.sleep(down_seconds)
        self.start()

    def crash(self) -> None:
        """SIGKILL the postmaster and every backend at once, as when its machine loses power: no
        shutdown, no goodbye to its clients or its standby."""
        pid = self.pid()
        if pid is None:
            return
        victims = [pid, *_children(pid)]
        for victim in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        # every backend too, so that each of their sockets is closed when this returns
        eventually(
            lambda: not any(map(_alive, victims)), 30, 0.05, what=f"{self.name} to die of SIGKILL"
        )

    def promote(self, timeout: float = 60) -> None:
        """`pg_ctl promote`: a standby ends recovery and takes writes."""
        self._run("pg_ctl", "promote", f"--pgdata={self.data}", "--wait", f"--timeout={timeout}")
        eventually(lambda: not self.in_recovery(), timeout, 0.2, what=f"{self.name} to promote")

    def pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int((self.data / "postmaster.pid").read_text().split()[0])
        return None

    def running(self) -> bool:
        pid = self.pid()
        return pid is not None and _alive(pid)

    # -- talking to it ------------------------------------------------------------------------------
    def url(self, database: str = "postgres", user: str | None = "postgres") -> str:
        login = f"{quote(user, safe='')}@" if user else ""
        return f"postgresql://{login}127.0.0.1:{self.port}/{quote(database, safe='')}"

    def execute(self, statement: str, params: tuple = (), database: str = "postgres") -> list:
        """One statement as the superuser, in autocommit; its rows, if any."""
        conn = psycopg2.connect(self.url(database), connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(statement, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def create_database(self, name: str) -> str:
        """A UTF-8 database; the superuser's URL to it."""
        if not self.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)):
            self.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        return self.url(name)

    def in_recovery(self) -> bool:
        return bool(self.execute("SELECT pg_is_in_recovery()")[0][0])

    def streaming_to(self, standby: str) -> bool:
        return bool(
            self.execute(
                "SELECT 1 FROM pg_stat_replication WHERE application_name = %s"
                " AND state = 'streaming'",
                (standby,),
            )
        )

    def synchronous(self, standby: PostgresNode) -> None:
        """Commits wait for `standby` to flush them (remote_flush, the default with a name set)."""
        self.execute("ALTER SYSTEM SET synchronous_standby_names = %s", (f'"{standby.name}"',))
        self.execute("SELECT pg_reload_conf()")
        eventually(
            lambda: self.execute(
                "SELECT 1 FROM pg_stat_replication WHERE application_name = %s"
                " AND sync_state = 'sync'",
                (standby.name,),
            ),
            30,
            0.2,
            what=f"{standby.name} to be {self.name}'s synchronous standby",
        )

    def replay_lsn(self) -> str:
        return self.execute("SELECT pg_last_wal_replay_lsn()::text")[0][0]

    def log_tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return f"[{self.name}: no log]"
        text = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join([f"[postgres {self.name} on port {self.port}]", *text])

    # -- clean-up -----------------------------------------------------------------------------------
    def remove(self) -> None:
        """Stop it (immediate: nothing to keep) and delete its directory, whatever state it is in;
        a node that shares the directory (a standby) is left to its own `remove`."""
        with contextlib.suppress(Exception):
            if self.running():
                self._run("pg_ctl", "stop", f"--pgdata={self.data}", "--mode=immediate", "--wait")
        if self.running():
            self.crash()
        shutil.rmtree(self.data, ignore_errors=True)
        shutil.rmtree(self.socket_dir, ignore_errors=True)
        self.log.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.root.rmdir()  # the last node out removes the directory

    def __enter__(self) -> PostgresNode:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            as_server_account([str(self.bin / tool), *args]),
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{tool} failed ({done.returncode}): {done.stderr.strip()}\n{self.log_tail()}"
            )


def multi_host_url(nodes: list[PostgresNode], database: str) -> str:
    """The URL a process is given when it must follow the primary: every node, and libpq keeps
    only a session that can write (`target_session_attrs=read-write`), trying them in order."""
    hosts = ",".join(f"127.0.0.1:{n.port}" for n in nodes)
    return f"postgresql://{hosts}/{quote(database, safe='')}?target_session_attrs=read-write"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (killed, not yet reaped by its parent) is dead for our purposes
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return False


def _children(pid: int) -> list[int]:
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(stat).read_text().split(") ", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(Path(stat).parent.name))
    return found


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
