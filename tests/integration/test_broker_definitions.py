"""deploy/rabbitmq/definitions.json loaded into the real broker (as scripts/bootstrap and compose
do): the kentra vhost makes quorum queues by default, and a municipal publisher may publish only
under its own centre's routing keys."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import uuid
from base64 import b64encode
from pathlib import Path

import amqp
import pytest

DEFINITIONS = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq"
API = "http://127.0.0.1:15672/api"


def management(method: str, path: str, body=None):
    request = urllib.request.Request(
        f"{API}{path}",
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + b64encode(b"guest:guest").decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
        return json.loads(text) if text else None


@pytest.fixture(scope="module")
def loaded():
    management("POST", "/definitions", json.loads((DEFINITIONS / "definitions.json").read_text()))


def publish(user: str, routing_key: str) -> None:
    with amqp.Connection(
        "127.0.0.1:5672", userid=user, password=f"{user}-demo", virtual_host="kentra"
    ) as conn:
        channel = (
            conn.channel()
        )  # publish with confirms: a refusal comes back now, not on some later call
        channel.basic_publish_confirm(
            amqp.Message(json.dumps({"event_id": str(uuid.uuid4())})),
            exchange="municipal.events",
            routing_key=routing_key,
            confirm_timeout=5,
        )


def test_the_committed_definitions_are_what_the_generator_writes():
    written = subprocess.run(
        [sys.executable, "-c", "import definitions; print(definitions.render(), end='')"],
        cwd=DEFINITIONS,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert written == (DEFINITIONS / "definitions.json").read_text()


def test_a_centres_publisher_publishes_under_its_own_keys_and_is_refused_under_anothers(loaded):
    publish("dimos-kalamatas", "KK-KALAMATA.ContactRecorded")
    with pytest.raises(amqp.exceptions.AccessRefused) as refused:
        publish("dimos-kalamatas", "KK-SPARTI.ContactRecorded")
    assert "KK-SPARTI.ContactRecorded" in str(refused.value)
    with pytest.raises(amqp.exceptions.AccessRefused):
        publish("dimos-spartis", "KK-KALAMATA.ServiceDelivered")


def test_a_publisher_cannot_publish_on_a_services_exchange(loaded):
    with (
        amqp.Connection(
            "127.0.0.1:5672",
            userid="dimos-kalamatas",
            password="dimos-kalamatas-demo",
            virtual_host="kentra",
        ) as conn,
        pytest.raises(amqp.exceptions.AccessRefused),
    ):
        conn.channel().basic_publish_confirm(
            amqp.Message("{}"),
            exchange="intake.events",
            routing_key="KK-KALAMATA.x",
            confirm_timeout=5,
        )


def test_the_kentra_vhost_makes_quorum_queues_unless_told_otherwise(loaded):
    name = f"intake.probe-{uuid.uuid4().hex[:8]}"
    with amqp.Connection(
        "127.0.0.1:5672", userid="intake", password="intake-demo", virtual_host="kentra"
    ) as conn:
        conn.channel().queue_declare(name, durable=True, auto_delete=False)
    try:
        assert management("GET", f"/queues/kentra/{name}")["type"] == "quorum"
    finally:
        management("DELETE", f"/queues/kentra/{name}")
