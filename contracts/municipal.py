"""What a municipal system publishes, over HTTP or AMQP (docs/publishing-events.md): one event is
a JSON object `{event_id, type, schema_version, occurred_at?, data}` whose `data` follows the
published JSON Schema of its type and version (contracts/published/schemas/events).

Over AMQP it goes to the topic exchange `municipal.events` on the platform's vhost with routing key
`<site>.<EventType>` and the AMQP `user_id` of the publisher's broker user (the broker refuses any
other, so it vouches for who published it). The gateway reads it from `gateway.municipal`."""

from __future__ import annotations

from contracts.names import CONTACT_RECORDED, SERVICE_DELIVERED

MUNICIPAL_EXCHANGE = "municipal.events"
MUNICIPAL_QUEUE = "gateway.municipal"
MUNICIPAL_DEAD = "gateway.municipal.dead"  # exchange and queue: what could not be processed
# what a municipal system may publish
PUBLISHED_TYPES = (CONTACT_RECORDED, SERVICE_DELIVERED)


def routing_key(site: str, event_type: str) -> str:
    return f"{site}.{event_type}"
