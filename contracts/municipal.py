"""What a municipal system publishes: the same event, by HTTP (`POST /api/v1/ingest/events`, one
item of its `events` list) or by AMQP (one message on `municipal.events`, routing key
`<site>.<EventType>`). The published AsyncAPI document is built from these; the gateway's ingest
accepts the same types (a unit test keeps the two in step)."""

from __future__ import annotations

from contracts.names import CONTACT_RECORDED, SERVICE_DELIVERED

# the events a municipal centre records in its own system and hands to the platform
EVENT_TYPES = (CONTACT_RECORDED, SERVICE_DELIVERED)
EVENT_ID_LENGTH = (8, 100)  # the publisher's own id: the platform's command id, once only


def routing_key(site: str, type_: str) -> str:
    """The broker lets a publisher use its own centre's keys only (a topic permission)."""
    return f"{site}.{type_}"
