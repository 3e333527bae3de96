"""The watch over the registry's events on the real RabbitMQ, each side connected as the broker user
the access model gives it (deploy/rabbitmq): a change the registries relay publishes drops what a
service kept; a message anyone else puts on the bus drops nothing; a lost connection drops all."""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote

import kombu
import pytest

from contracts.envelope import exchange_name
from contracts.names import STAFF_MEMBER_LEFT
from contracts.network import CHANGES
from services.common.registry_facts import RegistryFacts
from tests.support.waiting import eventually

SITE = "KK-KALAMATA"


class Registry:
    def __init__(self):
        self.asked = 0

    def __call__(self) -> list[str]:
        self.asked += 1
        return ["kalamata.social1"]


@pytest.fixture
def watch(broker_access):
    """Starts a watch as `user` (intake by default) and stops it after the test."""
    stop = threading.Event()

    def start(user: str = "intake") -> RegistryFacts:
        facts = RegistryFacts(
            broker_access.uri(user), broker_access.prefix + "registries-relay", CHANGES
        )
        threading.Thread(target=facts.watch, args=(stop,), daemon=True).start()
        return facts

    yield start
    stop.set()


def publish(uri: str, routing_key: str = STAFF_MEMBER_LEFT, **properties) -> None:
    exchange = kombu.Exchange(exchange_name("registries"), type="topic", passive=True)
    with kombu.Connection(uri) as conn:
        conn.Producer().publish(
            {"type": routing_key}, exchange=exchange, routing_key=routing_key, **properties
        )


def kept_once(facts: RegistryFacts) -> Registry:
    """A question asked and kept: the next asks nothing of the registry."""
    registry = Registry()
    facts.answer(("staff_of_network", SITE), registry)
    facts.answer(("staff_of_network", SITE), registry)
    assert registry.asked == 1
    return registry


def asked_anew(facts: RegistryFacts, registry: Registry) -> bool:
    before = registry.asked
    facts.answer(("staff_of_network", SITE), registry)
    return registry.asked > before


def test_a_change_the_registries_relay_publishes_drops_what_was_kept(broker_access, watch):
    facts = watch()
    eventually(lambda: facts.connected, 10, what="the watch to bind its queue")
    registry = kept_once(facts)
    relay = broker_access.prefix + "registries-relay"
    publish(broker_access.uri("registries-relay"), user_id=relay)
    eventually(lambda: asked_anew(facts, registry), 2, 0.02, what="the change to be heard")


def test_a_message_the_broker_does_not_vouch_for_the_relay_drops_nothing(
    broker_access, watch, caplog
):
    facts = watch()
    eventually(lambda: facts.connected, 10, what="the watch to bind its queue")
    registry = kept_once(facts)
    with caplog.at_level(logging.WARNING, logger="services.common.registry_facts"):
        # the broker's administrator, who is no relay: without a user_id, and with its own
        publish(broker_access.admin_uri)
        publish(broker_access.admin_uri, user_id="guest")
        eventually(lambda: caplog.text.count("ignored") == 2, 5, what="both forgeries heard")
    assert not asked_anew(facts, registry)


def test_the_watch_binds_to_the_network_changes_alone(broker_access, watch):
    facts = watch()
    eventually(lambda: facts.connected, 10, what="the watch to bind its queue")
    vhost = quote(broker_access.vhost, safe="")
    bindings = broker_access.management(
        "GET", f"/exchanges/{vhost}/registries.events/bindings/source"
    )
    (queue,) = {b["destination"] for b in bindings}
    assert queue.startswith(broker_access.prefix + "intake.registry-facts.")
    assert {b["routing_key"] for b in bindings} == CHANGES


def test_a_lost_connection_drops_what_was_kept(broker_access, watch):
    facts = watch()
    eventually(lambda: facts.connected, 10, what="the watch to bind its queue")
    registry = kept_once(facts)
    user = broker_access.prefix + "intake"

    def close_its_connection() -> bool:
        # the management API lists a connection only once its statistics are in (seconds)
        for connection in broker_access.management("GET", "/connections"):
            if connection["user"] == user and connection["vhost"] == broker_access.vhost:
                broker_access.management("DELETE", f"/connections/{quote(connection['name'])}")
                return True
        return False

    eventually(close_its_connection, 20, 0.5, what="the watch's connection to be listed")
    eventually(lambda: asked_anew(facts, registry), 5, 0.02, what="what was kept to be dropped")


def test_a_user_the_broker_does_not_let_watch_keeps_nothing(broker_access, watch, caplog):
    facts = watch("reporting")  # no watch queue of its own in the access model
    with caplog.at_level(logging.WARNING, logger="services.common.registry_facts"):
        eventually(lambda: "ACCESS_REFUSED" in caplog.text, 10, what="the broker's refusal")
    registry = Registry()
    facts.answer(("staff_of_network", SITE), registry)
    facts.answer(("staff_of_network", SITE), registry)
    assert not facts.connected and registry.asked == 2
