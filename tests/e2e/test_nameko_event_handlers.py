"""What the relay publishes is an ordinary nameko event: an @event_handler subscribes to it."""

from __future__ import annotations

import uuid

from nameko.events import event_handler
from nameko.testing.services import entrypoint_waiter

from contracts.names import BENEFICIARY_REGISTERED
from services.common.eventstore import NO_STREAM, Metadata, NewEvent

received = []


class Listener:
    name = "listener"

    @event_handler("registries", BENEFICIARY_REGISTERED)
    def on_registered(self, envelope):
        received.append(envelope)


def test_an_ordinary_event_handler_receives_the_relayed_envelope(
    container_factory, platform_config, relays
):
    container = container_factory(Listener, platform_config)
    container.start()  # its queue exists before the relay publishes
    store = relays("registries")["registries"]
    subject = uuid.uuid4()

    with entrypoint_waiter(container, "on_registered", timeout=15):
        store.append(
            f"beneficiary-{subject}",
            NO_STREAM,
            [
                NewEvent(
                    BENEFICIARY_REGISTERED,
                    {"site": "MU-KALAMATA"},
                    personal={"given_name": "Ιωάννα"},
                    subject_id=subject,
                )
            ],
            Metadata("sw-1", "MU-KALAMATA"),
        )

    (envelope,) = received
    assert (
        envelope["type"] == BENEFICIARY_REGISTERED
        and envelope["stream"] == f"beneficiary-{subject}"
    )
    assert envelope["sealed"] and "Ιωάννα" not in str(envelope)  # on the bus, sealed only
