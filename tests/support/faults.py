"""Real faults for tests: platform processes to SIGKILL, a throw-away RabbitMQ node to stop and
start, PostgreSQL backends to terminate and rows to hold locked. The machine's shared broker is
never touched."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg2
from prometheus_client.parser import text_string_to_metric_families

from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


def _die_with_parent() -> None:
    """In the child: SIGKILL me when the test process dies, even if it is killed before its
    clean-up runs (a hard timeout), so no relay, consumer or proxy outlives its test."""
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def in_background(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


# -- processes ----------------------------------------------------------------------------------
class ServiceProcess:
    """A platform process (a relay, a consumer) as a real OS process, to SIGKILL and start again.
    Every run appends its output to one log file, whose tail goes into failure messages."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name, self.args, self.env = name, args, env
        self.metrics_port = int(env.get("KENTRA_METRICS_PORT", 0))  # its /metrics, 0: none
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        assert not self.alive(), f"{self.name} is already running"
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        self.starts += 1

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last words, wherever it was."""
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(10)

    def stop(self, timeout: float = 10) -> None:
        if not self.alive():
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 25) -> str:
        if not self.log_path.exists():
            return f"[{self.name}: no output]"
        text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join([f"[{self.name}, pid {self.pid}, started {self.starts}x]", *text])


def platform_env(settings, metrics_port: int = 0) -> dict[str, str]:
    """The environment every platform process reads its Settings from."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KENTRA_DATABASE_URL": settings.database_url,
        "KENTRA_AMQP_URI": settings.amqp_uri,
        "KENTRA_SCHEMA_PREFIX": settings.schema_prefix,
        "KENTRA_METRICS_PORT": str(metrics_port),
        "KENTRA_LOG_LEVEL": "WARNING",
    }


def relay_process(
    settings, service: str, log_dir: Path, batch_size: int = 50, metrics_port: int = 0
) -> ServiceProcess:
    """`python -m services.common.relay <service>`, exactly as deploy/Procfile runs it."""
    return ServiceProcess(
        f"{service}-relay",
        [sys.executable, "-m", "services.common.relay", service, "--batch-size", str(batch_size)],
        platform_env(settings, metrics_port),
        log_dir,
    )


def service_process(
    settings, service: str, service_class: str, log_dir: Path, metrics_port: int = 0
) -> ServiceProcess:
    """`nameko run --config deploy/nameko.yaml <module:Class>`, exactly as deploy/Procfile runs a
    service (nameko from the virtualenv, beside this Python)."""
    nameko = Path(sys.executable).parent / "nameko"
    return ServiceProcess(
        service,
        [str(nameko), "run", "--config", str(ROOT / "deploy" / "nameko.yaml"), service_class],
        platform_env(settings, metrics_port),
        log_dir,
    )


def metric(port: int, sample: str, **labels: str) -> float:
    """One sample from a process's /metrics (0 when the process has not recorded it yet)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return 0.0


# -- PostgreSQL ---------------------------------------------------------------------------------
def terminate_backends(admin_url: str, roles: list[str]) -> int:
    """`pg_terminate_backend` on every connection logged in as one of `roles`; how many."""
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = ANY(%s)",
                (roles,),
            )
            return cur.fetchone()[0]
    finally:
        conn.close()


def backends(admin_url: str, role: str, where: str = "true", params: tuple = ()) -> int:
    """How many of the role's connections match `where` (a condition on pg_stat_activity)."""
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND ({where})",
                (role, *params),
            )
            return cur.fetchone()[0]
    finally:
        conn.close()


def waiting_on_row_lock(admin_url: str, role: str, statement: str) -> bool:
    """Is one of the role's connections running `statement...` and waiting for a row lock?"""
    return (
        backends(
            admin_url,
            role,
            "wait_event_type = 'Lock' AND wait_event <> 'advisory' AND query LIKE %s",
            (statement + "%",),
        )
        > 0
    )


@contextlib.contextmanager
def row_locked(admin_url: str, schema: str, table: str, where: str, params: tuple):
    """Hold `SELECT ... FOR UPDATE` on rows until the block ends: whoever writes them waits there,
    in the middle of their transaction, where a test can SIGKILL them."""
    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f'SELECT count(*) FROM (SELECT 1 FROM "{schema}".{table} WHERE {where} FOR UPDATE) locked',
                params,
            )
            assert cur.fetchone()[0] > 0, (
                f"nothing to lock in {schema}.{table} where {where} {params}"
            )
            yield
    finally:
        conn.rollback()
        conn.close()


# -- RabbitMQ -----------------------------------------------------------------------------------
def rabbit_node_env(name: str, port: int, dist_port: int, folder: Path, **extra: str) -> dict:
    """The environment a RabbitMQ node of a test's own starts with: its name, its ports, and its
    data, logs, config, plugins and pid file in `folder` (node.pid)."""
    return {
        **os.environ,
        "RABBITMQ_NODENAME": name,
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(dist_port),
        "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
        "RABBITMQ_LOG_BASE": str(folder / "log"),
        "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
        "RABBITMQ_PID_FILE": str(folder / "node.pid"),
        "ERL_CRASH_DUMP": str(folder / "erl_crash.dump"),
        **extra,
    }


class OwnNode:
    """A server of the test's own, known by the pid file it writes (`pid_file`, `port`, `name`):
    it is judged alive, and SIGKILLed, by that pid alone, so another node (the machine's shared
    broker above all) is never touched."""

    pid_file: Path
    port: int
    name: str

    def pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int(self.pid_file.read_text().strip())
        return None

    def running(self) -> bool:
        pid = self.pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def crash(self) -> None:
        """SIGKILL the node: no clean shutdown, no goodbye to clients or peers, as when its
        machine loses power."""
        pid = self.pid()
        assert pid is not None and self.running(), f"{self.name} is not running"
        os.kill(pid, signal.SIGKILL)
        eventually(
            lambda: not self.running() and not port_open(self.port),
            30,
            0.1,
            what=f"{self.name} to die of SIGKILL",
        )


class ThrowAwayBroker(OwnNode):
    """A RabbitMQ node of its own (own name, ports, data, config, no plugins), stopped and started
    by the test. Its data survive a stop, as a real broker's do across a restart. The system's
    rabbitmq.conf pins the shared node's listener, so this node gets a config file of its own.

        with ThrowAwayBroker() as broker:  # started; stopped and deleted at the end, whatever happens
            ... broker.stop() ... broker.start() ...
    """

    def __init__(self):
        self.name = f"kentra-fault-{uuid.uuid4().hex[:8]}@localhost"
        self.port, self.dist_port = free_port(), free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kentra-rmq-"))
        for sub in ("mnesia", "log"):
            (self.dir / sub).mkdir()
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "rabbitmq.conf").write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n")
        for path in (self.dir, *self.dir.iterdir()):
            path.chmod(0o777)  # the node runs as the rabbitmq user
        self.pid_file = self.dir / "node.pid"
        self.env = rabbit_node_env(self.name, self.port, self.dist_port, self.dir)
        self.amqp_uri = f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def __enter__(self) -> ThrowAwayBroker:
        try:
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    def _ctl(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["rabbitmqctl", "-q", "-n", self.name, *args],
            env=self.env,
            capture_output=True,
            timeout=timeout,
        )

    def start(self, timeout: int = 90) -> None:
        subprocess.run(
            ["rabbitmq-server", "-detached"],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        # `rabbitmqctl wait` gives up at once while the node is not yet known to epmd: ask again
        eventually(
            lambda: self._ctl("wait", str(self.pid_file), "--timeout", "10").returncode == 0,
            timeout,
            0.5,
            what=f"throw-away broker {self.name} to start; see {self.dir / 'log'}",
        )
        eventually(
            lambda: port_open(self.port), 10, what=f"throw-away broker {self.name} to listen"
        )

    def stop(self) -> None:
        """A clean shutdown, as an operator's restart or a package upgrade does it."""
        self._ctl("stop", timeout=60)
        eventually(
            lambda: not port_open(self.port) and not self.running(),
            30,
            0.2,
            what=f"throw-away broker {self.name} to stop",
        )

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self._ctl("stop", timeout=60)
        if self.running():  # our own node, by its pid: never the shared broker
            os.kill(self.pid(), signal.SIGKILL)
            with contextlib.suppress(AssertionError):  # clean-up: best effort
                eventually(lambda: not self.running(), 10)
        shutil.rmtree(self.dir, ignore_errors=True)


def queued_positions(amqp_uri: str, queue) -> list[int]:
    """The store position of every message waiting on a probe queue (one nobody consumes), in the
    order published: the relay's every publication, repeats included."""
    import kombu

    from tests.support.backbone import drain

    with kombu.Connection(amqp_uri) as conn:
        _, waiting, _ = queue(conn.channel()).queue_declare(passive=True)
    return [envelope["position"] for _, envelope in drain(amqp_uri, queue, waiting, timeout=5)]


class SilentPartition:
    """A TCP proxy in front of the broker that cuts the network silently. `cut()` turns every open
    connection into a black hole (bytes swallowed, nothing answered, nothing closed), as when the
    broker's host dies or a firewall drops a flow: no reset ever tells the client. Connections
    opened during the cut hang the same way. After `heal()` new connections go through again,
    while the old ones stay dead, as flows forgotten by a NAT or a rebooted host do. (A refused or
    reset connection is the easier fault: ThrowAwayBroker covers that one.)

    The proxy is a process of its own (`python -m tests.support.faults <target port>`, SIGUSR1
    cuts, SIGUSR2 heals), so no green thread of the test stands in its traffic.

        with SilentPartition(5672) as partition:  # partition.port leads to the broker
    """

    def __init__(self, target_port: int):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.faults", str(target_port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        self.port = int(self.proc.stdout.readline())

    def __enter__(self) -> SilentPartition:
        return self

    def __exit__(self, *exc) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def uri(self, amqp_uri: str) -> str:
        """`amqp_uri` (same login and vhost), through the proxy."""
        parts = urllib.parse.urlsplit(amqp_uri)
        return urllib.parse.urlunsplit(
            parts._replace(netloc=f"{parts.netloc.rsplit(':', 1)[0]}:{self.port}")
        )

    def cut(self) -> None:
        self._signal(signal.SIGUSR1)

    def heal(self) -> None:
        self._signal(signal.SIGUSR2)

    def _signal(self, sig: int) -> None:
        assert self.proc.poll() is None, "the partition proxy died"
        self.proc.send_signal(sig)
        time.sleep(0.2)  # the proxy's main thread handles it at once; let it land before going on


def _serve_partition(target_port: int) -> None:
    """The proxy behind SilentPartition: plain OS threads, two per connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    flow = {"number": 0, "cut": False}  # connections opened under an earlier flow number are dead

    def turn(cut: bool) -> None:
        flow["number"] += 1
        flow["cut"] = cut

    def live(number: int) -> bool:
        return number == flow["number"] and not flow["cut"]

    def pipe(source: socket.socket, sink: socket.socket, number: int) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if live(number):
                    sink.sendall(data)
            if live(number):
                sink.shutdown(
                    socket.SHUT_WR
                )  # a clean close goes through; a dead flow stays silent

    def accept() -> None:
        while True:
            client, _ = listener.accept()
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for source, sink in ((client, upstream), (upstream, client)):
                in_background(pipe, source, sink, flow["number"])

    signal.signal(signal.SIGUSR1, lambda *_: turn(cut=True))
    signal.signal(signal.SIGUSR2, lambda *_: turn(cut=False))
    in_background(accept)
    print(listener.getsockname()[1], flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    _serve_partition(int(sys.argv[1]))
