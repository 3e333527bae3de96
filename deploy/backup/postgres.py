"""PostgreSQL's own tools, driven for backups and drills: a base backup with pg_basebackup (the WAL
it needs streamed into it), and a scratch instance that a backup is restored into. The scratch
instance listens on a Unix socket in a private directory only, with a pg_hba.conf of its own that
trusts that socket: a restored copy of every person's data is never on the network, and the
backup's own pg_hba.conf (which names the production's clients) is not used."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg2

BASE_PREFIX = "base-"
# PostgreSQL refuses to run as root: run as root (a CI machine, an operator's shell), the scratch
# server runs as the distribution's `postgres` account, which then owns its files
SERVER_ACCOUNT = "postgres"


def as_server_account(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_ACCOUNT, "--", *command] if os.geteuid() == 0 else command


def hand_to_server_account(*paths: Path) -> None:
    if os.geteuid() != 0:
        return
    account = pwd.getpwnam(SERVER_ACCOUNT)
    for top in paths:
        for folder, _dirs, files in os.walk(top):
            os.chown(folder, account.pw_uid, account.pw_gid)
            for name in files:
                os.chown(os.path.join(folder, name), account.pw_uid, account.pw_gid)


def server_binaries(admin_url: str | None = None) -> Path:
    """The bin directory of the PostgreSQL major version the server runs (Debian installs each
    under /usr/lib/postgresql/<major>/bin), or the newest installed when no server is given."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    if admin_url is None:
        return Path(found[-1])
    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_setting('server_version_num')::int / 10000")
            major = str(cur.fetchone()[0])
    finally:
        conn.close()
    for path in found:
        if Path(path).parent.name == major:
            return Path(path)
    raise RuntimeError(f"the server runs PostgreSQL {major}; its binaries are not installed here")


def base_backup(admin_url: str, to: Path, label: str = "kentra") -> Path:
    """A consistent copy of the whole cluster (every schema, the vault included), compressed, with
    the WAL it needs to start: base-<UTC time>/ holding base.tar.gz and pg_wal.tar.gz. Taken while
    the platform runs; the login needs the REPLICATION attribute (the administrator has it)."""
    to.mkdir(parents=True, exist_ok=True)
    target = to / f"{BASE_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    subprocess.run(
        [
            str(server_binaries(admin_url) / "pg_basebackup"),
            f"--dbname={admin_url}",
            f"--pgdata={target}",
            "--format=tar",
            "--gzip",
            "--wal-method=stream",
            "--checkpoint=fast",
            f"--label={label}",
            "--no-password",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return target


def newest_base_backup(folder: Path) -> Path:
    found = sorted(p for p in folder.glob(f"{BASE_PREFIX}*") if (p / "base.tar.gz").exists())
    if not found:
        raise FileNotFoundError(f"no base backup in {folder} (python -m deploy.backup base)")
    return found[-1]


def taken_at(backup: Path) -> datetime:
    return datetime.strptime(backup.name.removeprefix(BASE_PREFIX), "%Y%m%dT%H%M%S%fZ").replace(
        tzinfo=UTC
    )


class ScratchInstance:
    """A PostgreSQL server on a data directory of its own, reachable only through a socket in a
    private directory. `start()` waits until it accepts connections; `url(database, role)` is a
    libpq URL to it."""

    def __init__(self, data: Path, binaries: Path, extra: dict[str, str] | None = None):
        self.data, self.binaries = data, binaries
        self.socket_dir = Path(tempfile.mkdtemp(prefix="kentra-pg-"))
        self.socket_dir.chmod(0o700)
        self.port = _free_port()  # names the socket file; nothing listens on TCP
        self.settings = {
            "port": str(self.port),
            "listen_addresses": "",
            "unix_socket_directories": str(self.socket_dir),
            "hba_file": str(self.socket_dir / "pg_hba.conf"),
            "archive_mode": "off",  # a drill's copy archives nothing over the real archive
            **(extra or {}),
        }
        # the socket's own users only; replication too, so a drill's copy can itself be backed up
        (self.socket_dir / "pg_hba.conf").write_text(
            "local all all trust\nlocal replication all trust\n"
        )
        hand_to_server_account(self.socket_dir, self.data)

    def start(self, timeout: float = 600) -> None:
        options = " ".join(f"-c {k}={_quoted(v)}" for k, v in self.settings.items())
        done = subprocess.run(
            as_server_account(
                [
                    str(self.binaries / "pg_ctl"),
                    "start",
                    "--silent",
                    f"--pgdata={self.data}",
                    f"--log={self.data / 'scratch.log'}",
                    f"--options={options}",
                    "--wait",
                    f"--timeout={int(timeout)}",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{self.log_tail()}")

    def wait_until_writable(self, database: str, role: str, timeout: float = 600) -> None:
        """Recovery replays the WAL, then the server is promoted: until then it is read-only."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn = psycopg2.connect(self.url(database, role))
                try:
                    with conn.cursor() as cur:
                        cur.execute("SELECT pg_is_in_recovery()")
                        if not cur.fetchone()[0]:
                            return
                finally:
                    conn.close()
            except psycopg2.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the restored server did not finish recovery: {self.log_tail()}"
                )
            time.sleep(0.5)

    def url(self, database: str, role: str | None = None) -> str:
        login = f"{quote(role, safe='')}@" if role else ""
        return f"postgresql://{login}/{quote(database, safe='')}?host={self.socket_dir}&port={self.port}"

    def log_tail(self, lines: int = 20) -> str:
        log = self.data / "scratch.log"
        return (
            "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""
        )

    def stop(self) -> None:
        subprocess.run(
            as_server_account(
                [
                    str(self.binaries / "pg_ctl"),
                    "stop",
                    f"--pgdata={self.data}",
                    "--mode=fast",
                    "--wait",
                ]
            ),
            capture_output=True,
            timeout=120,
        )

    def crash(self) -> None:
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)

    def remove(self) -> None:
        shutil.rmtree(self.socket_dir, ignore_errors=True)


def restore(backup: Path, into: Path, wal_archive: Path | None = None, until: str | None = None):
    """Unpack a base backup into `into` and set it to recover: from the backup's own WAL alone, or
    on through the WAL archive (to its end, or to the time `until`), and then to be promoted."""
    into.mkdir(parents=True, mode=0o700)
    with tarfile.open(backup / "base.tar.gz") as tar:
        tar.extractall(into, filter="data")
    with tarfile.open(backup / "pg_wal.tar.gz") as tar:
        tar.extractall(into / "pg_wal", filter="data")
    if wal_archive is None:
        # no recovery.signal: the server replays the WAL the backup streamed (pg_wal) as after a
        # crash and opens consistent as of the backup's end
        return
    recovery = {
        "restore_command": f"cp {_quoted(str(wal_archive))}/%f %p",
        "recovery_target_action": "promote",
    }
    if until:
        recovery["recovery_target_time"] = until
    (into / "recovery.signal").touch()
    with (into / "postgresql.auto.conf").open("a") as conf:
        conf.write("\n# written by deploy.backup's restore\n")
        for key, value in recovery.items():
            conf.write(f"{key} = {_quoted(value)}\n")


def database_of(admin_url: str) -> str:
    return urlsplit(admin_url).path.lstrip("/") or "postgres"


def superuser_of(admin_url: str) -> str:
    return urlsplit(admin_url).username or os.environ.get("PGUSER") or "postgres"


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
