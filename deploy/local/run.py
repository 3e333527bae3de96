"""The local runner: starts every process of deploy/Procfile, prefixes its output, restarts a
process that dies (the platform must survive a crashed relay), and stops them all on Ctrl-C.
Standard library only, so it runs before anything is installed."""
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

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Process:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    restarts: int = 0
    done: bool = False
    started_at: float = field(default=0.0)


ONE_SHOT = "-once"  # a Procfile name ending so runs to completion; it is restarted only if it fails


def read_procfile(path: Path) -> list[Process]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, command = line.split(":", 1)
            found.append(Process(name.strip(), command.strip()))
    return found


def watchers() -> list[Process]:
    """Prometheus too, when this machine has it (Debian's package): compose runs its own."""
    if not shutil.which("prometheus"):
        return []
    data = ROOT / "var" / "prometheus"
    return [Process("prometheus", f"prometheus --config.file={ROOT / 'deploy' / 'prometheus' / 'prometheus.yml'}"
                                  f" --storage.tsdb.path={data} --web.listen-address=127.0.0.1:9090")]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def start(proc: Process, env: dict[str, str], width: int) -> None:
    proc.popen = subprocess.Popen(["bash", "-c", f"exec {proc.command}"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    proc.started_at = time.monotonic()
    threading.Thread(target=_copy_output, args=(proc, width), daemon=True).start()


def _copy_output(proc: Process, width: int) -> None:
    for raw in proc.popen.stdout:
        sys.stdout.write(f"{proc.name:<{width}} | {raw.decode('utf-8', 'replace')}")
        sys.stdout.flush()


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


def supervise(procs: list[Process], restart: bool, stopping: threading.Event) -> None:
    env, width = environment(), max(len(p.name) for p in procs)
    for p in procs:
        start(p, env, width)
    while not stopping.wait(0.5):
        for p in procs:
            code = p.popen.poll()
            if code is None or p.done:
                continue
            if code == 0 and p.name.endswith(ONE_SHOT):
                p.done = True  # a one-shot job (the demo seed) finished its work
                print(f"runner: {p.name} done", flush=True)
                continue
            if not restart:
                print(f"runner: {p.name} exited ({code}); stopping everything", flush=True)
                stopping.set()
                break
            if time.monotonic() - p.started_at > 60:
                p.restarts = 0  # it ran a good while: a fresh failure starts the backoff again
            delay = min(30, 2 ** p.restarts)
            print(f"runner: {p.name} exited ({code}); restarting in {delay}s", flush=True)
            p.restarts += 1
            if not stopping.wait(delay):
                start(p, env, width)
    stop_all(procs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--procfile", type=Path, default=ROOT / "deploy" / "Procfile")
    parser.add_argument("--only", help="comma-separated process names")
    parser.add_argument("--no-restart", action="store_true", help="stop everything when one process exits")
    args = parser.parse_args(argv)
    procs = read_procfile(args.procfile) + watchers()
    if args.only:
        wanted = set(args.only.split(","))
        procs = [p for p in procs if p.name in wanted]
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    supervise(procs, not args.no_restart, stopping)
    return 0


if __name__ == "__main__":
    sys.exit(main())
