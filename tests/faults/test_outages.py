"""Outages handled, not crashed through (issue 18): the platform as real processes (nameko services
and the gateway under `nameko run`, a relay and a consumer), case workers at the API, and a
dependency taken away under them: the broker's application stopped and started, the database
restarted, the primary database SIGKILLed and its standby promoted.

What must hold each time: no process exits; while the dependency is away the API answers 503 with
Retry-After naming it, never 500, and /health (readiness) says which one is missing; every command
answered as stored is stored; one answered `stored: false` is not; each left unknown is settled by
sending it again with its command id; and the first request once the dependency is back
succeeds. The broker and the databases are the test's own (ThrowAwayBroker, PostgresNode): the
machine's shared ones are never stopped."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest
import requests

from contracts.base import upcast
from services.common.consumer.consistency import check
from services.common.consumer.setup import migrate_read_model
from services.common.consumer.sources import StoreEventSource
from services.common.db import Database
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault
from tests.e2e.gateway_platform import PASSWORD
from tests.faults.api_load import ApiLoad, Sent
from tests.faults.platform import ConsumerProcess
from tests.faults.process_platform import ProcessPlatform, RestartableBroker
from tests.support.database import without_login
from tests.support.postgres_nodes import PostgresNode, multi_host_url
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
OUTAGE_SECONDS = 4


class HealthWatch:
    """GET /health every 0.2 s in a thread of its own: (when, status, body) of each answer."""

    def __init__(self, platform: ProcessPlatform):
        self.platform, self.seen = platform, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            try:
                answer = self.platform.health()
                self.seen.append((time.monotonic(), answer.status_code, answer.json()))
            except requests.RequestException as exc:
                self.seen.append((time.monotonic(), None, {"exception": repr(exc)}))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


@pytest.fixture
def broker():
    """Requested before `platforms`, so that the processes stop before the node goes."""
    with RestartableBroker() as node:
        yield node


@pytest.fixture
def server():
    """A throw-away PostgreSQL with the platform's database (requested before `platforms`)."""
    with PostgresNode.initialised() as node:
        node.create_database("kentra")
        yield node


@pytest.fixture
def primary_and_standby():
    """A primary and its streaming standby, commits synchronous (before `platforms`)."""
    with PostgresNode.initialised() as primary:
        primary.create_database("kentra")
        with primary.standby() as standby:
            primary.synchronous(standby)  # a commit acknowledged is on the standby's disk too
            yield primary, standby


@pytest.fixture
def platforms(tmp_path):
    made: list[ProcessPlatform] = []

    def make(*args, **kwargs) -> ProcessPlatform:
        made.append(ProcessPlatform(*args, log_dir=tmp_path, **kwargs))
        return made[-1]

    yield make
    for platform in made:
        platform.close()


def test_a_broker_stopped_and_started_under_load_kills_no_process_and_costs_no_command(
    admin_url, broker, platforms
):
    platform = platforms(lambda: admin_url, without_login(admin_url), broker.amqp_uri)
    gateway = platform.start()
    load, health = ApiLoad(gateway), HealthWatch(platform)
    load.start()
    try:
        eventually(lambda: len(load.sent) > 10, 30, what="the load to get going")
        broker.stop_app()
        time.sleep(OUTAGE_SECONDS)
        broker.start_app()
        started = time.monotonic()
        eventually(
            lambda: platform.health().status_code == 200,
            90,
            0.2,
            what="readiness once the broker is back",
            explain=platform.diagnostics,
        )
        ready = time.monotonic()
        first = gateway.client("kalamata.worker").post("/beneficiaries", person())
        time.sleep(1)
    finally:
        load.stop()
        health.stop()

    assert first.status_code == 201, f"the first request once ready: {first.text}"
    judge(platform, load, health, "broker", {"broker", "registries", "intake", "referrals"})
    print(f"{summary(load)}; ready {ready - started:.1f} s after start_app")


def test_a_database_restarted_under_load_kills_no_process_and_the_next_request_succeeds(
    rabbit_config, server, platforms
):
    admin_url = server.url("kentra")
    platform = platforms(lambda: admin_url, without_login(admin_url), rabbit_config["AMQP_URI"])
    gateway = platform.start()
    load, health = ApiLoad(gateway), HealthWatch(platform)
    load.start()
    try:
        eventually(lambda: len(load.sent) > 10, 30, what="the load to get going")
        server.restart(down_seconds=OUTAGE_SECONDS)  # every session ended, then refused
        # at once, no waiting for readiness: the pools replace what the restart ended
        login = requests.post(
            f"{gateway.base}/api/v1/auth/token",
            json={"username": "kalamata.head", "password": PASSWORD},
            timeout=30,
        )
        first = gateway.client("kalamata.worker").post("/beneficiaries", person())
        time.sleep(1)
    finally:
        load.stop()
        health.stop()

    assert login.status_code == 200, f"a login right after the restart: {login.text}"
    assert first.status_code == 201, f"the first command after the restart: {first.text}"
    judge(platform, load, health, "database", {"database"})
    print(summary(load))


def test_the_primary_killed_and_its_standby_promoted_the_services_write_on_and_lose_nothing(
    rabbit_config, primary_and_standby, platforms, tmp_path
):
    primary, standby = primary_and_standby
    admin = {"url": primary.url("kentra")}
    url = multi_host_url([primary, standby], "kentra")
    platform = platforms(lambda: admin["url"], url, rabbit_config["AMQP_URI"])
    migrate_read_model(
        admin["url"], platform.settings, platform.settings.schema("roster"), Roster()
    )
    gateway = platform.start()
    consumer = platform.add(ConsumerProcess(platform.settings, tmp_path))
    consumer.start()
    consumer.wait_ready()
    relay = platform.relay("registries")
    load, health = ApiLoad(gateway), HealthWatch(platform)
    load.start()
    try:
        eventually(lambda: len(load.sent) > 10, 30, what="the load to get going")
        primary.crash()  # mid-stream: no shutdown, no goodbye to anyone
        time.sleep(OUTAGE_SECONDS)
        standby.promote()
        admin["url"] = standby.url("kentra")
        first = gateway.client("kalamata.worker").post("/beneficiaries", person())
        time.sleep(2)
    finally:
        load.stop()
        health.stop()

    assert first.status_code == 201, f"the first command after promotion: {first.text}"
    judge(platform, load, health, "database", {"database"})
    roster_caught_up(platform, admin["url"], relay, consumer)
    print(summary(load))


# -- what every outage must leave true ------------------------------------------------------------


def judge(platform, load: ApiLoad, health: HealthWatch, away: str, dependencies: set[str]):
    """`away`: what readiness must name missing; `dependencies`: what a 503 may name (the broker
    away, a call may also time out naming the service that did not answer)."""
    assert platform.exited() == {}, f"a process exited\n{platform.diagnostics()}"
    answered = {s.status for s in load.sent}
    assert answered <= {200, 201, 503}, f"answers other than 2xx and 503: {answered}"
    outage = [s for s in load.sent if s.status == 503]
    assert outage, "no request met the outage"
    for sent in outage:
        said_503_as_told(sent, dependencies)
    # readiness said which dependency was missing, and said nothing else than 200 or 503
    assert {status for _, status, _ in health.seen} <= {200, 503}
    missing = {m for _, status, body in health.seen if status == 503 for m in body["missing"]}
    assert missing == {away}, f"readiness named {missing} missing"
    for service in ("registries", "intake"):
        acknowledged = load.acknowledged(service)
        assert platform.stored_commands(service, list(acknowledged)) == acknowledged, (
            f"{service}: a command answered as stored is not in the store"
        )
        not_stored = load.said_not_stored(service)
        assert platform.stored_commands(service, list(not_stored)) == set(), (
            f"{service}: a command answered stored: false was stored"
        )
    settled = load.settle()
    assert [s.status for s in settled if not s.acknowledged] == [], "a retry was not answered"
    for service in ("registries", "intake"):
        retried = {s.command_id for s in settled if s.service == service}
        assert platform.stored_commands(service, list(retried)) == retried


def said_503_as_told(sent: Sent, dependencies: set[str]) -> None:
    answer = sent.answer
    assert sent.retry_after == "5", answer
    assert answer["details"]["dependency"] in dependencies, answer
    assert answer["details"]["retry_after"] == 5, answer
    if answer["code"] == "unavailable":
        assert answer["stored"] is False, answer
    else:
        assert answer["code"] == "outcome_unknown" and answer["stored"] is None, answer


def roster_caught_up(platform, admin_url: str, relay, consumer) -> None:
    """The read model applied every event of the store, once, and the consistency check (heads
    and chained hashes per stream) finds no difference."""
    settings = platform.settings
    truth = PostgresEventStore(
        Database(admin_url, settings.schema("registries")), key_vault(settings), upcast=upcast
    )
    model = Database(admin_url, settings.schema("roster"))
    try:
        last = truth.last_position()

        def applied() -> int:
            with model.transaction() as cur:
                cur.execute("SELECT coalesce(max(position), 0) FROM consumer_positions")
                return cur.fetchone()[0]

        eventually(
            lambda: applied() >= last,
            90,
            0.5,
            what="the roster to catch up",
            explain=lambda: f"store at {last}, roster at {applied()}\n{platform.diagnostics()}",
        )
        heads = {h.stream.split("-", 1)[1]: h.version for h in truth.heads()}
        counted = {b: row[3] for b, row in roster_rows(model).items()}
        assert counted == heads, "an event was lost or applied twice"
        assert (
            check(model, "roster", ("registries",), StoreEventSource({"registries": truth})) == []
        )
        assert relay.alive() and consumer.alive()
    finally:
        truth.db.close()
        model.close()


def summary(load: ApiLoad) -> str:
    codes = Counter(s.answer.get("code", s.status) for s in load.sent)
    return f"{len(load.sent)} commands answered {dict(codes)}; {len(load.unsettled)} settled"


def person() -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "given_name": "Ειρήνη",
        "family_name": "Σταθοπούλου",
        "birth_date": "1961-06-01",
        "municipality_code": "9256",
        "site": "MU-KALAMATA",
    }
