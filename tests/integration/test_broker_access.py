"""The broker's access model (deploy/rabbitmq/definitions.py) on the real RabbitMQ, played by an
attacker holding one process's credentials: what each broker user may publish and call, and what
the broker refuses it."""

from __future__ import annotations

import json
import uuid

import amqp
import pytest

from contracts.envelope import exchange_name
from deploy.rabbitmq.definitions import (
    BACKBONE_READS,
    PRINCIPALS,
    PUBLISHERS,
    RPC_EXCHANGE,
    SERVICES,
    SOURCES,
    allowed_calls,
    rpc_methods,
)


def connect(uri: str) -> amqp.Connection:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(uri)
    conn = amqp.Connection(
        f"{parts.hostname}:{parts.port}",
        userid=unquote(parts.username),
        password=unquote(parts.password),
        virtual_host=unquote(parts.path[1:]),
    )
    conn.connect()
    return conn


def refused(conn: amqp.Connection, exchange: str, routing_key: str, **properties) -> bool:
    """Publish with a confirm on a channel of its own: True if the broker refused it."""
    channel = conn.channel()
    try:
        channel.basic_publish_confirm(
            amqp.Message(json.dumps({"probe": str(uuid.uuid4())}), **properties),
            exchange=exchange,
            routing_key=routing_key,
            confirm_timeout=5,
        )
    except (amqp.exceptions.AccessRefused, amqp.exceptions.PreconditionFailed):
        return True
    channel.close()
    return False


def every_rpc_key() -> list[str]:
    return [f"{s}.{m}" for s in SERVICES for m in rpc_methods(s)]


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: p.name)
def test_a_user_publishes_only_on_its_own_sources_events(broker_access, principal):
    with connect(broker_access.uri(principal.name)) as conn:
        for source in SOURCES:
            expected_refusal = principal.publishes != source
            assert refused(conn, exchange_name(source), "ContactRecorded") == expected_refusal, (
                principal.name,
                source,
            )


@pytest.mark.parametrize("principal", PRINCIPALS, ids=lambda p: p.name)
def test_a_user_calls_only_the_rpc_methods_on_its_list(broker_access, principal):
    allowed = set(allowed_calls(principal))
    with connect(broker_access.uri(principal.name)) as conn:
        for key in every_rpc_key():
            assert refused(conn, RPC_EXCHANGE, key) == (key not in allowed), (principal.name, key)


def test_only_the_consumers_of_a_source_may_read_its_history(broker_access):
    readers = {
        p.name
        for p in PRINCIPALS
        for key in allowed_calls(p)
        if key.split(".")[1] in BACKBONE_READS
    }
    assert readers == {
        "reporting",
        "reporting-consumer",
        "timeline-consumer",
        "referrals-reactions-consumer",
    }
    # the gateway faces the web: it may call every command and read but no decrypted history
    gateway = next(p for p in PRINCIPALS if p.name == "portal_gateway")
    with connect(broker_access.uri("portal_gateway")) as conn:
        assert refused(conn, RPC_EXCHANGE, "intake.read_all")
        assert not refused(conn, RPC_EXCHANGE, "intake.case_summary")
    assert "registries.search" in allowed_calls(gateway)


def test_a_service_cannot_point_its_answer_at_another_services_method(broker_access):
    # a caller sets reply_to; an answer published to "intake.close_case" would be a call
    with connect(broker_access.uri("registries")) as conn:
        assert not refused(conn, RPC_EXCHANGE, str(uuid.uuid4()))  # a genuine reply id
        assert refused(conn, RPC_EXCHANGE, "intake.close_case")


def test_the_broker_refuses_a_user_id_that_is_not_the_connections_own(broker_access):
    relay = broker_access.uri("registries-relay")
    with connect(relay) as conn:
        own = broker_access.prefix + "registries-relay"
        assert not refused(conn, "registries.events", "BeneficiaryRegistered", user_id=own)
        assert refused(
            conn, "registries.events", "BeneficiaryRegistered", user_id=broker_access.prefix + "x"
        )


def test_a_centres_publisher_publishes_under_its_own_keys_only(broker_access):
    user = "dimos-kalamatas"
    with connect(broker_access.uri(user)) as conn:
        assert not refused(conn, "municipal.events", f"{PUBLISHERS[user]}.ContactRecorded")
        assert refused(conn, "municipal.events", "KK-SPARTI.ContactRecorded")
        assert refused(conn, "intake.events", f"{PUBLISHERS[user]}.ContactRecorded")


def test_a_consumer_cannot_remake_or_delete_its_sources_exchange(broker_access):
    with connect(broker_access.uri("reporting-consumer")) as conn:
        channel = conn.channel()
        channel.exchange_declare("registries.events", "topic", passive=True)  # it may bind
        with pytest.raises(amqp.exceptions.AccessRefused):
            conn.channel().exchange_delete("registries.events")


def test_no_user_reads_another_users_rpc_answers(broker_access):
    # nameko names a reply queue after its client; a user may only use queues of its own name
    with connect(broker_access.uri("demo")) as conn:
        with pytest.raises(amqp.exceptions.AccessRefused):
            conn.channel().queue_declare(
                f"rpc.reply-{broker_access.prefix}reporting-consumer-{uuid.uuid4()}"
            )
        conn.channel().queue_declare(f"rpc.reply-{broker_access.prefix}demo-{uuid.uuid4()}")


def watch_queue(conn: amqp.Connection, owner: str) -> tuple[amqp.Channel, str]:
    channel = conn.channel()
    name = f"{owner}.registry-facts.{uuid.uuid4().hex}"
    channel.queue_declare(name, exclusive=True, auto_delete=True)
    return channel, name


def test_a_service_binds_a_watch_queue_of_its_own_to_the_registry_changes_it_keeps_alone(
    broker_access,
):
    # services/common/registry_facts.py: intake keeps the network's facts, referrals the directory's
    with connect(broker_access.uri("intake")) as conn:
        channel, queue = watch_queue(conn, broker_access.prefix + "intake")
        channel.queue_bind(queue, "registries.events", "StaffMemberLeft")
        with pytest.raises(amqp.exceptions.AccessRefused):  # a change it keeps nothing of
            conn.channel().queue_bind(queue, "registries.events", "AgencyRegistered")
        with pytest.raises(amqp.exceptions.AccessRefused):  # personal data, sealed or not
            conn.channel().queue_bind(queue, "registries.events", "BeneficiaryRegistered")
        with pytest.raises(amqp.exceptions.AccessRefused):
            watch_queue(conn, broker_access.prefix + "referrals")
    with connect(broker_access.uri("referrals")) as conn:
        channel, queue = watch_queue(conn, broker_access.prefix + "referrals")
        channel.queue_bind(queue, "registries.events", "AgencyDetailsChanged")
    with connect(broker_access.uri("reporting")) as conn:
        with pytest.raises(amqp.exceptions.AccessRefused):
            watch_queue(conn, broker_access.prefix + "reporting")
