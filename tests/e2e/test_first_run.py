"""`scripts/up` as a newcomer runs it: the one-shot steps wait for the services instead of crashing,
the terminal ends with one ready block whose every URL answers 200, and a second run adds nothing.
The platform runs as real processes, on a vhost and schemas of this test's own."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from deploy.demo.accounts import DEMO, DEMO_PASSWORD
from deploy.rabbitmq.definitions import PROCESS_USERS, users
from deploy.rabbitmq.setup import Management
from services.common.db import drop_platform
from tests.support.database import without_login
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Up:
    """`scripts/up` in its own process group, its terminal output collected line by line."""

    def __init__(self, env: dict[str, str]):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            ["bash", "scripts/up"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_ready_block(self, seconds: float = 420) -> str:
        eventually(
            lambda: (
                any(line.startswith("  Stop ") for line in self.lines)
                or self.process.poll() is not None
            ),
            seconds,
            0.5,
            what="the ready block",
            explain=lambda: "\n".join(self.lines),
        )
        assert self.process.poll() is None, "\n".join(self.lines)
        time.sleep(3)  # anything printed after the block would show now
        return "\n".join(self.lines[self.lines.index("Kentra is ready.") :])

    def stop(self) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            raise


@pytest.fixture(scope="module")
def up_env(admin_url):
    tag = uuid.uuid4().hex[:8]
    prefix = f"u{tag}_"
    env = {
        **os.environ,
        "KENTRA_ADMIN_DATABASE_URL": admin_url,  # the migrate step's alone (the runner sees to it)
        "KENTRA_DATABASE_URL": without_login(admin_url),
        "KENTRA_SCHEMA_PREFIX": prefix,
        "KENTRA_BROKER_VHOST": f"ku-{tag}",
        "KENTRA_BROKER_PREFIX": f"ku{tag}-",
        "KENTRA_DEMO_PEOPLE": "20",
    }
    env.pop("KENTRA_AMQP_URI", None)
    yield env
    drop_platform(admin_url, prefix)
    management = Management()
    management("DELETE", f"/vhosts/{env['KENTRA_BROKER_VHOST']}")
    for user in users(env["KENTRA_BROKER_PREFIX"]):
        management("DELETE", f"/users/{user}")


@pytest.fixture(scope="module")
def first_run(up_env):
    """`scripts/up` once for the module's tests, in file order; the last one stops it."""
    up = Up(up_env)
    up.block = up.wait_for_ready_block()
    yield up
    if up.process.poll() is None:
        up.stop()


def connected_users(vhost: str) -> dict[str, int]:
    """Who is connected to the platform's vhost, as the broker lists it."""
    found: dict[str, int] = {}
    for connection in Management()("GET", f"/vhosts/{vhost}/connections"):
        found[connection["user"]] = found.get(connection["user"], 0) + 1
    return found


def answers_200(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status == 200


def test_scripts_up_ends_with_a_ready_block_whose_every_url_answers(first_run, up_env):
    block, output = first_run.block, "\n".join(first_run.lines)
    printed = [line for line in first_run.lines if line.strip()]
    assert printed[-1].startswith("  Stop "), "the ready block is the last thing printed"
    assert "Traceback" not in output and "NOT ANSWERING" not in block
    for step in ("migrate-once", "seed-once", "accounts-once", "demo-once"):
        assert "Traceback" not in (ROOT / "var" / "log" / f"{step}.log").read_text(), step
    urls = re.findall(r"https?://\S+", block)
    assert len(urls) >= 15 and all(answers_200(url) for url in urls), urls
    assert all(f"    {username} " in block for username, *_ in DEMO)
    assert "Consistency check  clean" in block
    # every running process is connected as its own user, none as guest
    broker_prefix = up_env["KENTRA_BROKER_PREFIX"]
    connected = connected_users(up_env["KENTRA_BROKER_VHOST"])
    running = {
        broker_prefix + user
        for process, user in PROCESS_USERS.items()
        if not process.endswith("-once")
    }
    assert set(connected) == running, connected


def test_stopping_an_exporter_or_a_consumer_fires_its_alert_in_the_runners_prometheus(
    first_run, up_env
):
    """The local runner's own Prometheus, with the rules as shipped: postgres_exporter and the
    timeline's consumer are paused (SIGSTOP: alive for the runner, silent for everyone else), and
    registrations keep coming. Each target's `up == 0` alert fires, and the timeline's queue, as
    the broker reports it, fires the lag alert that the paused consumer itself cannot export."""
    prometheus = "http://127.0.0.1:9090"
    eventually(
        lambda: all(t["health"] == "up" for t in targets(prometheus)),
        90,
        1,
        what="every target up before anything is paused",
        explain=lambda: [(t["labels"]["job"], t["lastError"]) for t in targets(prometheus)],
    )
    paused = [
        pid_of("prometheus-postgres-exporter --web.listen-address=127.0.0.1:9187"),
        pid_of("services.portal_gateway.entrypoints.timeline_consumer"),
    ]
    token = api("POST", "/auth/token", {"username": "kalamata.social1", "password": DEMO_PASSWORD})
    stop, registered = threading.Event(), []

    def register():  # new events for the timeline's queues while its consumer is paused
        while not stop.wait(2):
            answer = api(
                "POST",
                "/beneficiaries",
                {
                    "command_id": str(uuid.uuid4()),
                    "given_name": "Ελένη",
                    "family_name": f"Συναγερμού-{len(registered)}",
                    "municipality_code": "9256",
                    "site": "KK-KALAMATA",
                },
                token["token"],
            )
            registered.append(answer)

    writer = threading.Thread(target=register, daemon=True)
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)
    started = time.monotonic()
    writer.start()
    try:
        # KentraTargetDown: for 1m, scraped and evaluated every 15 s
        down = eventually(
            lambda: {"postgres", "timeline-consumer"} <= firing(prometheus, "KentraTargetDown"),
            150,
            2,
            what="KentraTargetDown for the paused exporter and consumer",
            explain=lambda: alerts(prometheus),
        )
        # KentraQueueNotDraining: ready messages for a minute, then for 1m
        queues = eventually(
            lambda: {
                q for q in firing(prometheus, "KentraQueueNotDraining", "queue") if "timeline" in q
            },
            240,
            2,
            what="KentraQueueNotDraining for a timeline queue",
            explain=lambda: alerts(prometheus),
        )
    finally:
        stop.set()
        for pid in paused:
            os.kill(pid, signal.SIGCONT)
        writer.join(10)
    assert registered, "registrations went on while the consumer was paused"
    print(f"alerts fired {time.monotonic() - started:.0f} s after the pause: {down} {queues}")


def test_a_second_run_adds_nothing(first_run, up_env):
    assert first_run.stop() == 0
    second = Up(up_env)
    try:
        second.wait_for_ready_block()
        assert any(
            line.endswith("its mobile unit, 20 people, 0 new events") for line in second.lines
        ), second.lines
        assert (
            "seed: 0 new events in the network"
            in (ROOT / "var" / "log" / "seed-once.log").read_text()
        )
    finally:
        assert second.stop() == 0


def targets(prometheus: str) -> list[dict]:
    with urllib.request.urlopen(f"{prometheus}/api/v1/targets", timeout=10) as answer:
        return json.loads(answer.read())["data"]["activeTargets"]


def alerts(prometheus: str) -> list[dict]:
    with urllib.request.urlopen(f"{prometheus}/api/v1/alerts", timeout=10) as answer:
        return json.loads(answer.read())["data"]["alerts"]


def firing(prometheus: str, name: str, label: str = "job") -> set[str]:
    return {
        a["labels"].get(label, "")
        for a in alerts(prometheus)
        if a["labels"]["alertname"] == name and a["state"] == "firing"
    }


def pid_of(command: str) -> int:
    """The process of the runner's that runs `command` (its only one)."""
    found = subprocess.run(["pgrep", "-f", command], capture_output=True, text=True).stdout.split()
    assert len(found) == 1, (command, found)
    return int(found[0])


def api(method: str, path: str, body: dict, token: str | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:8000/api/v1{path}",
        method=method,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())
