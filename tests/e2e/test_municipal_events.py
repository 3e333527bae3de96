"""Municipal events over AMQP and over HTTP, as an outside integrator sends them (issue 14, point
1): the guide's own pika publisher (docs/examples/publish_event.py) as each transport's client,
the same outcomes from the one piece that decides (application/municipal_events.py), refusals
listed to ops, and a message the platform cannot process yet kept until it can."""

from __future__ import annotations

import importlib.util
import json
import uuid
from pathlib import Path

import pika
import pika.exceptions
import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.services import entrypoint_waiter

from contracts.municipal import MUNICIPAL_DEAD, MUNICIPAL_EXCHANGE, MUNICIPAL_QUEUE
from deploy.rabbitmq.definitions import MUNICIPAL_DELIVERY_LIMIT, PUBLISHERS
from deploy.rabbitmq.setup import Management, apply
from services.common.transport import nameko_config
from services.portal_gateway.adapters.ingest_store import digest
from tests.e2e.gateway_platform import GatewayPlatform, municipal_event

ROOT = Path(__file__).resolve().parents[2]
KALAMATA = "dimos-kalamatas"
NOBODY = "00000000-0000-4000-8000-000000000000"


def example_publisher():
    """The guide's example, loaded from its file as an integrator would run it (not a package)."""
    spec = importlib.util.spec_from_file_location(
        "publish_event", ROOT / "docs" / "examples" / "publish_event.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Broker:
    """The platform's broker users and permissions (deploy/rabbitmq) on the gateway's own vhost,
    with the demo's municipal publishers registered in the gateway as the setup's demo does."""

    def __init__(self, gateway: GatewayPlatform, vhost: str, folder: Path):
        self.gateway, self.vhost = gateway, vhost
        self.prefix = f"m{uuid.uuid4().hex[:8]}-"
        self.management = Management()
        self.uris = apply(self.management, folder, vhost=vhost, prefix=self.prefix)
        for name, site in PUBLISHERS.items():
            gateway.publishers.register(self.prefix + name, site, "test")

    def name(self, publisher: str) -> str:
        return self.prefix + publisher

    def uri(self, publisher: str) -> str:
        return self.uris[self.name(publisher)]

    def close(self) -> None:
        for user in self.uris:
            self.management("DELETE", f"/users/{user}")


@pytest.fixture
def broker(gateway, rabbit_config, tmp_path):
    found = Broker(gateway, rabbit_config["vhost"], tmp_path / "broker")
    yield found
    found.close()


def processed(gateway: GatewayPlatform, event_id: str | None, send) -> dict:
    """What the gateway's consumer made of the message `send` publishes (found by its event id,
    or its message as a whole for one that has none)."""

    def ours(worker_ctx, result, exc_info):
        body = worker_ctx.args[0].body
        return exc_info is None and (event_id is None or event_id.encode() in body)

    with entrypoint_waiter(
        gateway.containers["portal_gateway"], "municipal_event", callback=ours, timeout=60
    ) as waited:
        send()
    return waited.get()


class Amqp:
    def __init__(self, gateway: GatewayPlatform, broker: Broker):
        self.gateway, self.broker, self.example = gateway, broker, example_publisher()

    def send(self, event: dict, key: str | None = None) -> dict:
        uri = self.broker.uri(KALAMATA)
        return processed(
            self.gateway, event["event_id"], lambda: self.example.publish(uri, event, key)
        )


class Http:
    def __init__(self, gateway: GatewayPlatform, broker: Broker):
        self.gateway = gateway
        self.key = gateway.publishers.issue_key(broker.name(KALAMATA), "test")[1]

    def send(self, event: dict, key: str | None = None) -> dict:
        answer = self.gateway.client().post(
            "/ingest/events", {"events": [event]}, headers={"X-API-Key": self.key}
        )
        assert answer.status_code == 200, answer.text
        (result,) = answer.json()["results"]
        return result


@pytest.fixture(params=["amqp", "http"])
def transport(request, gateway, broker):
    return {"amqp": Amqp, "http": Http}[request.param](gateway, broker)


def case_version(gateway: GatewayPlatform, beneficiary: str) -> int:
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        return cluster.intake.case_version(beneficiary)


def listed_for_ops(gateway: GatewayPlatform, event) -> dict:
    """The row ops see of a refused event, found by the keyed digest of its body."""
    found = digest(gateway.settings.index_key, event)
    rows = gateway.client("ops").get("/ingest/rejected").json()["rejected"]
    (row,) = [r for r in rows if r["digest"] == found]
    return row


def test_a_valid_event_is_applied_once_and_its_duplicate_changes_nothing(gateway, transport):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    event = municipal_event(beneficiary)
    first = transport.send(event)
    assert first["status"] == "accepted" and first["version"] == 1
    assert transport.send(event)["status"] == "duplicate"
    assert case_version(gateway, beneficiary) == 1
    gateway.catch_up()
    case = gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}").json()
    assert [s["type"] for s in case["timeline"]].count("ServiceDelivered") == 1


@pytest.mark.parametrize(
    "case, change, reason",
    [
        ("schema violation", {"service": "teleportation"}, "data/service"),
        ("another centre's site", {"site": "KK-SPARTI"}, "data/site"),
        ("another centre's person", {}, "data/beneficiary_id"),
        ("an unknown person", {"beneficiary_id": NOBODY}, "data/beneficiary_id"),
    ],
)
def test_an_event_breaking_a_rule_is_refused_with_its_reason_and_listed_for_ops(
    gateway, transport, case, change, reason
):
    ours = gateway.register("kalamata.worker", "MU-KALAMATA")
    theirs = gateway.register("sparti.worker", "KK-SPARTI")
    event = municipal_event(theirs if case == "another centre's person" else ours)
    event["data"].update(change)
    # over AMQP the routing key stays the publisher's own (the broker allows no other): the
    # payload's other site is refused for not matching it
    result = transport.send(event, key="KK-KALAMATA.ServiceDelivered")
    assert result["status"] == "rejected"
    expected = "routing key" if isinstance(transport, Amqp) and "site" in change else reason
    assert any(r.startswith(expected) for r in result["reasons"]), result["reasons"]
    row = listed_for_ops(gateway, event)
    assert row["reasons"] == result["reasons"] and row["publisher"].endswith(KALAMATA)
    assert "teleportation" not in str(row)  # a reason never quotes a value
    assert case_version(gateway, ours) == 0 and case_version(gateway, theirs) == 0


def test_a_deactivated_publisher_is_refused_over_both_transports(gateway, broker):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    http, amqp = Http(gateway, broker), Amqp(gateway, broker)
    coordinator = gateway.client("coordinator")
    name = broker.name(KALAMATA)
    assert coordinator.post(f"/municipal-publishers/{name}/active", {"active": False}).ok
    event = municipal_event(beneficiary)
    answer = gateway.client().post(
        "/ingest/events", {"events": [event]}, headers={"X-API-Key": http.key}
    )
    assert answer.status_code == 401
    result = amqp.send(event)
    assert result["status"] == "rejected"
    assert result["reasons"] == ["user_id: not an active municipal publisher"]
    assert case_version(gateway, beneficiary) == 0
    # active again: the same event goes through
    assert coordinator.post(f"/municipal-publishers/{name}/active", {"active": True}).ok
    assert amqp.send(event)["status"] == "accepted"


def raw_publish(uri: str, key: str, body: bytes, **properties) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            MUNICIPAL_EXCHANGE, key, body, pika.BasicProperties(delivery_mode=2, **properties)
        )
    finally:
        if connection.is_open:
            connection.close()


def test_a_message_without_user_id_is_refused_and_listed_for_ops(gateway, broker):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    event = municipal_event(beneficiary)
    body = json.dumps(event).encode()
    uri = broker.uri(KALAMATA)
    result = processed(
        gateway,
        event["event_id"],
        lambda: raw_publish(
            uri, "KK-KALAMATA.ServiceDelivered", body, content_type="application/json"
        ),
    )
    assert result["status"] == "rejected" and result["reasons"][0].startswith("user_id")
    assert listed_for_ops(gateway, event)["publisher"] == ""
    assert case_version(gateway, beneficiary) == 0


def test_a_body_that_is_not_json_is_refused_and_the_consumer_goes_on(gateway, broker):
    uri, name = broker.uri(KALAMATA), broker.name(KALAMATA)
    result = processed(
        gateway,
        None,
        lambda: raw_publish(uri, "KK-KALAMATA.ServiceDelivered", b"\xff not json", user_id=name),
    )
    assert result["status"] == "rejected" and result["reasons"] == [
        "body: not a JSON object in UTF-8"
    ]
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    assert Amqp(gateway, broker).send(municipal_event(beneficiary))["status"] == "accepted"


def test_the_broker_refuses_another_centres_key_and_another_publishers_user_id(broker):
    example, uri = example_publisher(), broker.uri(KALAMATA)
    event = municipal_event(NOBODY)
    event["data"]["site"] = "KK-SPARTI"
    with pytest.raises(pika.exceptions.ChannelClosedByBroker):
        example.publish(uri, event)  # KK-SPARTI.ServiceDelivered: not Kalamata's key
    with pytest.raises(pika.exceptions.ChannelClosedByBroker):
        raw_publish(
            uri,
            "KK-KALAMATA.ServiceDelivered",
            b"{}",
            user_id=broker.name("dimos-spartis"),
        )


def test_a_message_the_platform_cannot_process_yet_is_redelivered_until_it_can(gateway, broker):
    """The gateway's store refuses it for a while (its role loses the registry of publishers):
    the message goes back to the queue, and is applied once the store answers again."""
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    event = municipal_event(beneficiary)
    role = f"kentra_{gateway.settings.schema('portal_gateway')}"
    gateway.sql(f'REVOKE SELECT ON municipal_publisher FROM "{role}"')
    failures: list = []

    def outcome(worker_ctx, result, exc_info):
        if exc_info is not None:
            failures.append(worker_ctx.args[1])
            if len(failures) == 2:  # the second try failed too: the store comes back
                gateway.sql(f'GRANT SELECT ON municipal_publisher TO "{role}"')
            return False
        return True

    example = example_publisher()
    with entrypoint_waiter(
        gateway.containers["portal_gateway"], "municipal_event", callback=outcome, timeout=60
    ) as waited:
        example.publish(broker.uri(KALAMATA), event)
    assert waited.get()["status"] == "accepted"
    assert failures == [0, 1]  # the broker counted each delivery
    assert case_version(gateway, beneficiary) == 1


def test_the_municipal_queue_dead_letters_after_its_delivery_limit(gateway, rabbit_config):
    queues = Management()("GET", f"/queues/{rabbit_config['vhost']}")
    found = {q["name"]: q["arguments"] for q in queues}
    assert found[MUNICIPAL_QUEUE] == {
        "x-queue-type": "quorum",
        "x-delivery-limit": MUNICIPAL_DELIVERY_LIMIT,
        "x-dead-letter-exchange": MUNICIPAL_DEAD,
    }
    assert found[MUNICIPAL_DEAD] == {"x-queue-type": "quorum"}


def test_a_message_failing_past_the_delivery_limit_is_dead_lettered_and_listed_for_ops(
    gateway, broker, monkeypatch
):
    """The broker itself gives up after the queue's delivery limit (the pauses between tries are
    taken out, the limit is not): the dead letter is kept with the refused events, so ops see it,
    and nothing was applied."""
    import services.portal_gateway.entrypoints.service as gateway_service

    monkeypatch.setattr(gateway_service, "backoff", lambda deliveries: 0.0)
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    event = municipal_event(beneficiary)
    role = f"kentra_{gateway.settings.schema('portal_gateway')}"
    gateway.sql(f'REVOKE SELECT ON municipal_publisher FROM "{role}"')
    try:
        with entrypoint_waiter(
            gateway.containers["portal_gateway"], "municipal_dead_letter", timeout=120
        ) as waited:
            example_publisher().publish(broker.uri(KALAMATA), event)
        result = waited.get()
    finally:
        gateway.sql(f'GRANT SELECT ON municipal_publisher TO "{role}"')
    assert result["status"] == "rejected"
    assert "delivery limit" in result["reasons"][0]
    row = listed_for_ops(gateway, event)
    assert row["publisher"] == broker.name(KALAMATA) and row["reasons"] == result["reasons"]
    assert case_version(gateway, beneficiary) == 0
