"""Erasure that leaves nothing, played as a DPO's auditor would check it: one person whose every
personal and free-text field holds a marker found nowhere else, their path through the platform
(registration, contact, consent, assessment, plan, a referral rejected with a reason, a refused
municipal event, a break-the-glass grant, a search), then the DPO's erasure. Afterwards a dump of
every schema of the platform, every message the broker holds, the broker's own data directory and
the captured logs hold none of the marker.

The platform runs on a RabbitMQ node of this test's own (started from the machine's RabbitMQ in a
temporary directory), so its data directory holds this test's messages only; a control message in
clear, written the same way, proves the scan of that directory finds what is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import uuid
from pathlib import Path

import kombu
import pytest
from stdnum import luhn
from stdnum.gr import vat

from contracts.envelope import exchange_name
from tests.e2e.gateway_platform import DYPA_KALAMATA, municipal_event
from tests.e2e.test_gateway_api import TODAY, contact
from tests.support.ports import free_port
from tests.support.waiting import eventually

# the node itself, not Debian's wrapper (which runs the system node as the rabbitmq user)
SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server").resolve()
SOURCES = ("registries", "intake", "referrals")
MARK = f"Ζαφειρ{uuid.uuid4().hex[:10].upper()}"  # in every personal and free-text field


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory):
    """A RabbitMQ node of this module's own: (AMQP URI, data directory)."""
    if not SERVER.exists():
        pytest.fail("RabbitMQ is not installed (scripts/bootstrap installs it)")
    base = tmp_path_factory.mktemp("rabbitmq")
    port, dist = free_port(), free_port()
    node = f"kentra-erasure-{uuid.uuid4().hex[:8]}@localhost"
    (base / "enabled_plugins").write_text("[].\n")
    env = {
        **os.environ,
        "HOME": str(base),
        "RABBITMQ_NODENAME": node,
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(dist),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
        "RABBITMQ_PID_FILE": str(base / "pid"),
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq"),  # none: the defaults
    }
    server = subprocess.Popen(
        [str(SERVER)],
        env=env,
        cwd=base,
        stdout=open(base / "server.out", "wb"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    uri = f"amqp://guest:guest@127.0.0.1:{port}//"
    try:
        eventually(lambda: _answers(uri), 60, what=f"the test's own RabbitMQ node on {port}")
        yield uri, base / "mnesia"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _answers(uri: str) -> bool:
    try:
        with kombu.Connection(uri, connect_timeout=2) as conn:
            conn.connect()
            return True
    except Exception:  # not listening yet, or still booting: ask again
        return False


@pytest.fixture
def rabbit_config(own_broker):
    """The platform's broker for this module: its own node (overrides nameko's fixture)."""
    return {"AMQP_URI": own_broker[0], "username": "guest", "vhost": "/"}


def amka_of(birth: str) -> str:
    """An AMKA no one else has: the birth date, four random digits and the Luhn check digit."""
    stem = f"{birth[8:10]}{birth[5:7]}{birth[2:4]}{random.randrange(10_000):04d}"
    return stem + luhn.calc_check_digit(stem)


def afm_new() -> str:
    stem = f"{random.randrange(10**7, 10**8)}"
    return stem + vat.calc_check_digit(stem)


def capture_everything(uri: str) -> kombu.Queue:
    """A durable queue bound to every source's events: what a lagging consumer's queue holds."""
    queue = kombu.Queue(f"erasure-capture-{uuid.uuid4().hex[:6]}", durable=True)
    with kombu.Connection(uri) as conn:
        channel = conn.channel()
        for source in SOURCES:
            exchange = kombu.Exchange(exchange_name(source), type="topic", durable=True)
            exchange.declare(channel=channel)
            kombu.Queue(queue.name, exchange, routing_key="#", durable=True)(channel).declare()
    return queue


def held_messages(uri: str, queue: kombu.Queue) -> list[bytes]:
    bodies = []
    with kombu.Connection(uri) as conn:
        with conn.SimpleQueue(queue) as q:
            while True:
                try:
                    m = q.get(timeout=2)
                except q.Empty:
                    return bodies
                bodies.append(m.body if isinstance(m.body, bytes) else m.body.encode())


def files_holding(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n!r}" for n in needles if n in data]
    return found


def dump(admin_url: str, prefix: str) -> str:
    return subprocess.run(
        ["pg_dump", "--data-only", f"--schema={prefix}*", admin_url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_after_erasure_no_store_message_broker_file_or_log_holds_the_persons_values(
    gateway, relays, own_broker, platform_config, admin_url, capfd, caplog
):
    uri, data_dir = own_broker
    queue = capture_everything(uri)
    relays(*SOURCES)
    birth = "1980-03-03"
    amka, afm, phone = amka_of(birth), afm_new(), f"69{random.randrange(10**8):08d}"
    values = [MARK, amka, afm, phone]

    worker, officer, dpo = (gateway.client(u) for u in ("kalamata.worker", "dypa.officer", "dpo"))
    person = gateway.register(
        "kalamata.worker",
        "MU-KALAMATA",
        given_name=f"Ιωάννα {MARK}",
        family_name=f"Οικονόμου {MARK}",
        birth_date=birth,
        amka=amka,
        afm=afm,
        phone=phone,
        gender="woman",
    )
    steps = [
        ("contacts", contact(0, notes=f"ζει μόνη, {MARK}")),
        (
            "consents",
            {
                "recipient": DYPA_KALAMATA,
                "purpose": f"ψυχιατρική παρακολούθηση {MARK}",
                "given_on": TODAY,
            },
        ),
        (
            "assessments",
            {
                "assessed_on": TODAY,
                "groups": ["roma", "disability"],
                "needs": [f"στέγαση {MARK}"],
                "household_size": 1,
                "labour_status": "long_term_unemployed",
                "education": "0-2",
                "disability": True,
                "citizenship": "GR",
                "foreign_background": False,
                "housing": f"σκηνή {MARK}",
                "rural": True,
            },
        ),
    ]
    plan = str(uuid.uuid4())
    steps += [
        ("action-plans", {"plan_id": plan, "opened_on": TODAY, "goals": f"εργασία {MARK}"}),
        (
            "action-steps",
            {"plan_id": plan, "step_id": "step-1", "description": f"ραντεβού {MARK}"},
        ),
    ]
    for version, (path, fields) in enumerate(steps):
        body = {"command_id": str(uuid.uuid4()), "expected_version": version, **fields}
        answer = worker.post(f"/beneficiaries/{person}/{path}", body)
        assert answer.status_code == 200, (path, answer.text)

    referral = str(uuid.uuid4())
    requested = worker.post(
        "/referrals",
        {
            "command_id": str(uuid.uuid4()),
            "referral_id": referral,
            "beneficiary_id": person,
            "expected_version": 0,
            "from_site": "MU-KALAMATA",
            "need": "employment",
            "recipient_kind": "agency",
            "recipient_id": DYPA_KALAMATA,
            "recipient_name": "ΔΥΠΑ Καλαμάτας",
            "shares_personal_data": True,
            "requested_on": TODAY,
            "notes": f"μακροχρόνια άνεργη {MARK}",
        },
    )
    assert requested.status_code == 201, requested.text
    for client, name, version, fields in (
        (worker, "sending", 1, {"sent_on": TODAY}),
        (officer, "receipt", 2, {"received_on": TODAY}),
        (officer, "rejection", 3, {"rejected_on": TODAY, "reason": f"ενεργή εξάρτηση {MARK}"}),
    ):
        answer = client.post(
            f"/referrals/{referral}/{name}",
            {"command_id": str(uuid.uuid4()), "expected_version": version, **fields},
        )
        assert answer.status_code == 200, (name, answer.text)

    key = gateway.publishers.add_api_key("dimos-kalamatas", "KK-KALAMATA")
    refused = municipal_event(person)
    refused["data"] = {**refused["data"], "service": "teleportation", "notes": f"HIV {MARK}"}
    gateway.client().post("/ingest/events", {"events": [refused]}, headers={"X-API-Key": key})

    sparti = gateway.client("sparti.head")
    why = {"reason": "medical_emergency", "details": f"λιποθύμησε, {MARK} στο κέντρο"}
    assert sparti.post(f"/beneficiaries/{person}/emergency-access", why).status_code == 201
    assert sparti.get(f"/beneficiaries/{person}").status_code == 200
    assert worker.post("/beneficiaries/search", {"q": amka}).status_code == 200
    assert worker.post("/beneficiaries/search", {"q": f"Οικονόμου {MARK}"}).status_code == 200
    gateway.catch_up()
    # the dump covers the stores: the person's id is there (ids are not personal values)
    assert person in dump(admin_url, platform_config["KENTRA_SCHEMA_PREFIX"])

    erased = dpo.post(f"/beneficiaries/{person}/erasure", {"reason": f"αίτημα {MARK}"})
    assert erased.status_code == 200, erased.text
    gateway.catch_up()
    vault = f"{platform_config['KENTRA_SCHEMA_PREFIX']}vault"
    assert gateway.sql(f"SELECT 1 FROM {vault}.subject_keys WHERE subject_id = %s", person) == []

    needles = [v.encode() for v in values]
    database = dump(admin_url, platform_config["KENTRA_SCHEMA_PREFIX"])
    assert [v for v in values if v in database] == []
    control = f"έλεγχος-{uuid.uuid4().hex}".encode()
    with kombu.Connection(uri) as conn:
        conn.Producer().publish(
            control, exchange="", routing_key=queue.name, delivery_mode=2, serializer=None
        )
    eventually(
        lambda: files_holding(data_dir, [control]) != [],
        30,
        what="the control message to reach the broker's disk",
    )
    assert files_holding(data_dir, needles) == []
    messages = held_messages(uri, queue)  # still queued, as for a consumer that lags
    assert len(messages) >= 12  # the person's whole path went over the bus
    assert [m for m in messages if any(n in m for n in needles)] == []

    out, err = capfd.readouterr()
    logs = out + err + caplog.text
    assert [v for v in values if v in logs] == []
