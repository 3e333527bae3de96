"""What a municipal system publishes, over HTTP or AMQP (docs/publishing-events.md): one event is
a JSON object `{event_id, type, schema_version, occurred_at?, data}` whose `data` follows the
published JSON Schema of its type and version (contracts/published/schemas/events): one item of
`POST /api/v1/ingest/events`'s `events` list, or one message.

Over AMQP it goes to the topic exchange `municipal.events` on the platform's vhost with routing key
`<site>.<EventType>` and the AMQP `user_id` of the publisher's broker user (the broker refuses any
other, so it vouches for who published it). The gateway reads it from `gateway.municipal`. The
published AsyncAPI document is built from these names."""

from __future__ import annotations

from contracts.names import CONTACT_RECORDED, SERVICE_DELIVERED

MUNICIPAL_EXCHANGE = "municipal.events"
MUNICIPAL_QUEUE = "gateway.municipal"
MUNICIPAL_DEAD = "gateway.municipal.dead"  # exchange and queue: what could not be processed
# the events a municipal centre records in its own system and hands to the platform
EVENT_TYPES = (CONTACT_RECORDED, SERVICE_DELIVERED)
EVENT_ID_LENGTH = (8, 100)  # the publisher's own id: the platform's command id, once only


def routing_key(site: str, event_type: str) -> str:
    """The broker lets a publisher use its own centre's keys only (a topic permission)."""
    return f"{site}.{event_type}"
