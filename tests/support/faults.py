"""Real faults for tests: processes to SIGKILL, a throw-away RabbitMQ node to stop and start.
The machine's shared broker is never touched."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


class RelayProcess:
    """`python -m services.common.relay <service>` as a real OS process."""

    def __init__(self, settings, service: str, batch_size: int = 50):
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "KENTRA_DATABASE_URL": settings.database_url,
                    "KENTRA_AMQP_URI": settings.amqp_uri, "KENTRA_SCHEMA_PREFIX": settings.schema_prefix,
                    "KENTRA_METRICS_PORT": "0", "KENTRA_LOG_LEVEL": "ERROR"}
        self.args = [sys.executable, "-m", "services.common.relay", service, "--batch-size", str(batch_size)]
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.args, env=self.env)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class ThrowAwayBroker:
    """A RabbitMQ node of its own (own name, ports and data), stopped and started by the test.
    Its data survive a stop, as a real broker's do across a restart."""

    def __init__(self):
        self.name = f"kentra-fault-{uuid.uuid4().hex[:6]}@localhost"
        self.port, self.dist_port = free_port(), free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="kentra-rmq-"))
        for sub in ("mnesia", "log"):
            (self.dir / sub).mkdir()
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "rabbitmq.conf").write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n")
        for path in (self.dir, *self.dir.iterdir()):
            path.chmod(0o777)  # the node runs as the rabbitmq user
        self.env = {**os.environ, "RABBITMQ_NODENAME": self.name, "RABBITMQ_NODE_PORT": str(self.port),
                    "RABBITMQ_DIST_PORT": str(self.dist_port), "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
                    "RABBITMQ_LOG_BASE": str(self.dir / "log"), "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq.conf"),
                    "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins")}
        self.amqp_uri = f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60) -> None:
        subprocess.run(["rabbitmq-server", "-detached"], env=self.env, check=True, capture_output=True)
        if not wait_until(lambda: port_open(self.port), timeout, 0.3):
            raise RuntimeError(f"throw-away broker {self.name} did not start; see {self.dir / 'log'}")

    def stop(self) -> None:
        subprocess.run(["rabbitmqctl", "-q", "-n", self.name, "stop"], env=self.env, capture_output=True, timeout=60)
        wait_until(lambda: not port_open(self.port), 30)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def in_background(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread
