"""The local runner: runs the one-shot steps listed before the first service (the migration),
then starts every long-running process of deploy/Procfile with its output in
var/log/<name>.log, restarts one that dies (the platform must survive a crashed relay), then runs
the other one-shot steps in their Procfile order, each after the one before it finished, and
prints the ready block (deploy/local/ready.py) last. Ctrl-C stops everything.
Only the migrate step gets the administrative database login.
Standard library only: it must not depend on what it starts."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "var" / "log"
ONE_SHOT = (
    "-once"  # a Procfile name ending so runs to completion, after the services it calls answer
)
READY = "python -m deploy.local.ready"
MIGRATE = "migrate-once"
# the administrative database login: the migrate step's alone, never a service's
ADMINISTRATIVE = ("KENTRA_ADMIN_DATABASE_URL", "KENTRA_ADMIN_DATABASE_URL_FILE")


@dataclass
class Process:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    @property
    def one_shot(self) -> bool:
        return self.name.endswith(ONE_SHOT)

    @property
    def log(self) -> Path:
        return LOGS / f"{self.name}.log"


def read_procfile(path: Path) -> list[Process]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, command = line.split(":", 1)
            found.append(Process(name.strip(), command.strip()))
    return found


POSTGRES_EXPORTER = "postgres-exporter"
DEFAULT_DATABASE_URL = "postgresql://127.0.0.1:5432/kentra"  # services/common/config.py's


def watchers() -> list[Process]:
    """Prometheus and postgres_exporter too, when this machine has them (Debian's packages):
    compose runs its own. RabbitMQ's exporter is the broker's own plugin."""
    found = []
    if shutil.which("prometheus"):
        data = ROOT / "var" / "prometheus"
        found.append(
            Process(
                "prometheus",
                f"prometheus --config.file={ROOT / 'deploy' / 'prometheus' / 'prometheus.yml'}"
                f" --storage.tsdb.path={data} --web.listen-address=127.0.0.1:9090",
            )
        )
    exporter = shutil.which("prometheus-postgres-exporter") or shutil.which("postgres_exporter")
    if exporter:
        found.append(Process(POSTGRES_EXPORTER, f"{exporter} --web.listen-address=127.0.0.1:9187"))
    return found


def exporter_login(env: dict[str, str]) -> dict[str, str]:
    """postgres_exporter's connection: the platform's database, as the statistics-only role the
    migrate step made (services/common/migrate.py), its password passed on as given."""
    url = urlsplit(env.get("KENTRA_DATABASE_URL") or DEFAULT_DATABASE_URL)
    query = "&".join(q for q in (url.query, "sslmode=disable") if q)
    login = {
        "DATA_SOURCE_URI": f"{url.netloc}{url.path}?{query}",
        "DATA_SOURCE_USER": f"kentra_{env.get('KENTRA_SCHEMA_PREFIX', '')}monitor",
    }
    if env.get("KENTRA_DB_PASSWORD_MONITOR_FILE"):
        login["DATA_SOURCE_PASS_FILE"] = env["KENTRA_DB_PASSWORD_MONITOR_FILE"]
    elif env.get("KENTRA_DB_PASSWORD_MONITOR"):
        login["DATA_SOURCE_PASS"] = env["KENTRA_DB_PASSWORD_MONITOR"]
    return login


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def process_environment(proc: Process, env: dict[str, str]) -> dict[str, str]:
    """What one process is started with: the migrate step keeps the administrative login (when
    set; in development it defaults to `postgres` on loopback), every other process loses it."""
    if proc.name == MIGRATE:
        return env
    own = {k: v for k, v in env.items() if k not in ADMINISTRATIVE}
    if proc.name == POSTGRES_EXPORTER:
        return {**own, **exporter_login(env)}
    return {**own, **broker_uri(proc.name, env)}


def split(procs: list[Process]) -> tuple[list[Process], list[Process], list[Process]]:
    """(steps before the services, the services, steps after them), in Procfile order."""
    services = [p for p in procs if not p.one_shot]
    first = procs.index(services[0]) if services else len(procs)
    before = [p for p in procs[:first] if p.one_shot]
    after = [p for p in procs[first:] if p.one_shot]
    return before, services, after


def say(text: str) -> None:
    print(f"runner: {text}", flush=True)


def fresh_logs(procs: list[Process]) -> None:
    """One file per process for this run; the previous run's stays beside it as <name>.log.1."""
    LOGS.mkdir(parents=True, exist_ok=True)
    for p in procs:
        if p.log.exists():
            p.log.replace(p.log.with_suffix(".log.1"))


def broker_uri(process: str, env: dict[str, str]) -> dict[str, str]:
    """The process's own broker login, written by the broker setup (nobody else's)."""
    secrets = Path(env.get("KENTRA_SECRETS_DIR") or ROOT / "var" / "secrets")
    path = secrets / "broker" / "process" / process
    return {"KENTRA_AMQP_URI": path.read_text(encoding="utf-8").strip()} if path.exists() else {}


def start(proc: Process, env: dict[str, str]) -> None:
    with proc.log.open("ab") as log:  # the child keeps its own descriptor
        proc.popen = subprocess.Popen(
            ["bash", "-c", f"exec {proc.command}"],
            cwd=ROOT,
            env=process_environment(proc, env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proc.started_at = time.monotonic()


def last_line(path: Path) -> str:
    lines = [
        line
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]
    return lines[-1].strip() if lines else ""


def stop_all(procs: list[Process], grace: float = 10.0) -> None:
    for p in procs:
        if p.popen and p.popen.poll() is None:
            os.killpg(p.popen.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in procs:
        if p.popen:
            try:
                p.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.popen.pid, signal.SIGKILL)


def backoff(proc: Process) -> float:
    if time.monotonic() - proc.started_at > 60:
        proc.restarts = 0  # it ran a good while: a fresh failure starts the backoff again
    proc.restarts += 1
    return min(30, 2 ** (proc.restarts - 1))


def keep_running(
    procs: list[Process], env: dict[str, str], restart: bool, stopping: threading.Event
) -> None:
    """Restart a long-running process that exits, with a growing delay; say so in one line."""
    due: dict[str, float] = {}
    while not stopping.wait(0.5):
        for p in procs:
            if p.name in due:
                if time.monotonic() >= due[p.name]:
                    del due[p.name]
                    start(p, env)
                continue
            code = p.popen.poll()
            if code is None:
                continue
            if not restart:
                say(
                    f"{p.name} exited ({code}); stopping everything (see {p.log.relative_to(ROOT)})"
                )
                stopping.set()
                return
            delay = backoff(p)
            say(
                f"{p.name} exited ({code}); restarting in {delay:.0f} s (see {p.log.relative_to(ROOT)})"
            )
            due[p.name] = time.monotonic() + delay


def run_steps(steps: list[Process], env: dict[str, str], stopping: threading.Event) -> bool:
    """The one-shot steps in order; a failed one is tried again after a delay, never skipped."""
    for step in steps:
        while not stopping.is_set():
            start(step, env)
            while step.popen.poll() is None and not stopping.wait(0.2):
                pass
            if stopping.is_set():
                return False
            if step.popen.returncode == 0:
                say(f"{step.name} done: {last_line(step.log)}")
                break
            delay = backoff(step)
            say(
                f"{step.name} failed ({step.popen.returncode}): {last_line(step.log)}; again in {delay:.0f} s"
            )
            stopping.wait(delay)
    return not stopping.is_set()


def ready_block(env: dict[str, str]) -> None:
    answer = subprocess.run(
        ["bash", "-c", f"exec {READY}"],
        cwd=ROOT,
        env={**env, **broker_uri("operator", env)},
        capture_output=True,
        text=True,
    )
    (LOGS / "ready.log").write_text(answer.stderr, encoding="utf-8")
    print(answer.stdout, end="", flush=True)
    if answer.returncode != 0:
        say(
            f"the platform is up but not everything answered (see {LOGS.relative_to(ROOT)}/ready.log)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--procfile", type=Path, default=ROOT / "deploy" / "Procfile")
    parser.add_argument("--only", help="comma-separated process names")
    parser.add_argument(
        "--no-restart", action="store_true", help="stop everything when one process exits"
    )
    args = parser.parse_args(argv)
    procs = read_procfile(args.procfile) + watchers()
    if args.only:
        wanted = set(args.only.split(","))
        procs = [p for p in procs if p.name in wanted]
    before, services, steps = split(procs)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    env = environment()
    fresh_logs(procs)
    if not run_steps(before, env, stopping):  # the services need their schemas
        stop_all(before)
        return 0
    for p in services:
        start(p, env)
    say(
        f"started {len(services)} processes, their logs in {LOGS.relative_to(ROOT)}/; Ctrl-C stops them"
    )
    supervisor = threading.Thread(
        target=keep_running, args=(services, env, not args.no_restart, stopping)
    )
    supervisor.start()
    if run_steps(steps, env, stopping) and not args.only:
        ready_block(env)
    supervisor.join()
    stop_all(procs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
