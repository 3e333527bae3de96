"""The AsyncAPI 3.0 document of the bus, built from the contracts and the broker's access model
(deploy/rabbitmq/definitions.py: vhost, exchanges, who publishes and who consumes what), so
neither is retyped here.

Two kinds of channel: each relayed store's exchange `<source>.events`, which the platform's own
consumers receive (envelope v2, personal fields sealed), and `municipal.events`, where a
municipal system sends its centre's events (one ingest item per message)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from contracts.base import EventContract, all_event_contracts, split_personal
from contracts.envelope import ENVELOPE_VERSION, EnvelopeSchema, exchange_name, publisher_user
from contracts.examples import BY_NAME, MOMENT, example, example_id
from contracts.jsonschema import object_schema
from contracts.municipal import EVENT_ID_LENGTH, EVENT_TYPES, routing_key
from deploy.rabbitmq import definitions as broker

DOCUMENT_VERSION = "2.0.0"  # the major goes up when a reader of the last one would break
BINDING = {"bindingVersion": "0.3.0"}
SECURITY = [{"$ref": "#/components/securitySchemes/brokerUser"}]
# the installation's own address and terms are the operator's to fill in (as the host is)
CONTACT = {
    "name": "Kentra platform operations",
    "url": "https://kentra.example/docs/publishing-events",
    "email": "integration@kentra.example",
}
LICENSE = {
    "name": "Terms of use of the operating authority",
    "url": "https://kentra.example/terms",
}


def relayed() -> list[EventContract]:
    """Events a relay publishes: those of the sources that have an exchange on the broker (the
    gateway's audit and reporting's releases stay in stores no relay reads)."""
    return sorted(
        (c for c in all_event_contracts() if c.source in broker.SOURCES),
        key=lambda c: (c.source, c.type),
    )


def municipal() -> list[EventContract]:
    return [c for c in relayed() if c.type in EVENT_TYPES]


def document() -> dict[str, Any]:
    channels = {exchange_name(s): _source_channel(s) for s in broker.SOURCES}
    channels[broker.MUNICIPAL_EXCHANGE] = _municipal_channel()
    operations = {f"receive{c.type}": _receive(c) for c in relayed()}
    operations |= {f"publishMunicipal{c.type}": _send(c) for c in municipal()}
    return {
        "asyncapi": "3.0.0",
        "id": "urn:kentra:event-bus",
        "info": _info(),
        "defaultContentType": "application/json",
        "servers": _servers(),
        "channels": channels,
        "operations": operations,
        "components": {
            "securitySchemes": {
                "brokerUser": {
                    "type": "userPassword",
                    "description": "A broker user and password of its own for each process and"
                    " each municipal publisher, given by the platform's operators. The broker"
                    " allows a user only what its process does (definitions.py): a municipal"
                    " publisher may only write to `municipal.events`, under its own centre's"
                    " routing keys.",
                }
            },
            "schemas": _schemas(),
            "messages": {
                **{c.type: _envelope_message(c) for c in relayed()},
                **{f"Municipal{c.type}": _municipal_message(c) for c in municipal()},
            },
        },
    }


def _info() -> dict[str, Any]:
    return {
        "title": "Kentra event bus",
        "version": DOCUMENT_VERSION,
        "description": (
            "Events of the Community Centres platform on RabbitMQ (AMQP 0-9-1), vhost"
            f" `{broker.VHOST}`.\n\n"
            "* `<source>.events` (one per store: "
            + ", ".join(f"`{exchange_name(s)}`" for s in broker.SOURCES)
            + "): what the platform recorded, published by that store's relay alone, routing"
            " key = event type, as envelope v2. Only the platform's own consumers read them.\n"
            f"* `{broker.MUNICIPAL_EXCHANGE}`: what a municipal system publishes for its own"
            " centre, routing key `<site>.<EventType>`, one JSON event per message, the same"
            " event as one item of `POST /api/v1/ingest/events`.\n\n"
            "Personal fields (marked `x-personal: true` in the contracts) never travel in clear"
            " on the platform's exchanges: they are in `sealed`, encrypted under the person's"
            " own key, and erasing the person makes every copy unreadable. A municipal"
            " publisher sends them in `data`; the platform seals them before they are stored."
        ),
        "contact": CONTACT,
        "license": LICENSE,
        "tags": [
            *({"name": s, "description": f"Events recorded by {s}"} for s in broker.SOURCES),
            {"name": "municipal", "description": "Events municipal systems publish"},
        ],
    }


def _servers() -> dict[str, Any]:
    vhost = f"/{broker.VHOST}"  # an AMQP URI's path is the vhost
    return {
        "production": {
            "host": "{host}:5671",
            "protocol": "amqps",
            "protocolVersion": "0-9-1",
            "pathname": vhost,
            "description": "The installation's broker, over TLS (amqps): credentials and"
            " personal data never cross a network in clear.",
            "variables": {"host": {"description": "the broker's host name, from the operators"}},
            "security": SECURITY,
        },
        "development": {
            "host": "localhost:5672",
            "protocol": "amqp",
            "protocolVersion": "0-9-1",
            "pathname": vhost,
            "description": "A developer's own broker (scripts/bootstrap), without TLS.",
            "security": SECURITY,
        },
    }


def _exchange(name: str) -> dict[str, Any]:
    declared = next(e for e in broker.exchanges() if e["name"] == name)
    return {
        "amqp": {
            "is": "routingKey",
            "exchange": {
                "name": name,
                "type": declared["type"],
                "durable": declared["durable"],
                "autoDelete": declared["auto_delete"],
                "vhost": declared["vhost"],
            },
            **BINDING,
        }
    }


def _consumers(source: str) -> list[str]:
    return [p.name for p in broker.PRINCIPALS if p.consumer and source in p.consumes]


def _source_channel(source: str) -> dict[str, Any]:
    types = [c.type for c in relayed() if c.source == source]
    return {
        "address": "{eventType}",
        "title": f"Events recorded by {source}",
        "description": f"The exchange `{exchange_name(source)}`: every event of the {source}"
        f" store, in store order, published by its relay alone (broker user"
        f" `{publisher_user(source)}`). Each consumer of the platform has a queue of its own"
        f" bound with `#` (`<consumer>.{source}`). Consumers now: "
        + ", ".join(f"`{u}`" for u in _consumers(source))
        + ".",
        "parameters": {
            "eventType": {
                "description": "The routing key is the event type.",
                "enum": types,
                "location": "$message.payload#/type",
            }
        },
        "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in types},
        "bindings": _exchange(exchange_name(source)),
    }


def _municipal_channel() -> dict[str, Any]:
    centres = sorted(set(broker.PUBLISHERS.values()))
    return {
        "address": "{site}.{eventType}",
        "title": "Events of municipal systems",
        "description": f"The exchange `{broker.MUNICIPAL_EXCHANGE}`. The routing key is"
        " `<site>.<EventType>`, e.g. `"
        + routing_key(centres[0], EVENT_TYPES[0])
        + "`: the broker refuses a key of another centre than the publisher's own (a topic"
        " permission), and the platform refuses a message whose `data.site` is not that"
        " centre. The platform consumes from a queue of its own bound to this exchange;"
        " publishers do not read it.",
        "parameters": {
            "site": {
                "description": "The publisher's own centre, the same as `data.site`.",
                "examples": centres,
                "location": "$message.payload#/data/site",
            },
            "eventType": {
                "description": "The event type, the same as `type`.",
                "enum": list(EVENT_TYPES),
                "location": "$message.payload#/type",
            },
        },
        "messages": {
            f"Municipal{c.type}": {"$ref": f"#/components/messages/Municipal{c.type}"}
            for c in municipal()
        },
        "bindings": _exchange(broker.MUNICIPAL_EXCHANGE),
    }


def _receive(c: EventContract) -> dict[str, Any]:
    channel = exchange_name(c.source)
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{channel}"},
        "title": f"Receive {c.type}",
        "summary": f"A consumer of the platform applies {c.type}.",
        "description": "Apply it only if the broker vouches for its publisher (AMQP `user_id` ="
        f" `{publisher_user(c.source)}`, before an installation's prefix), and once: a"
        " redelivery has a position already applied. Acknowledge after applying.",
        "tags": [{"name": c.source}],
        "messages": [{"$ref": f"#/channels/{channel}/messages/{c.type}"}],
        "bindings": {
            "amqp": {"userId": publisher_user(c.source), "deliveryMode": 2, "ack": True, **BINDING}
        },
    }


def _send(c: EventContract) -> dict[str, Any]:
    channel = broker.MUNICIPAL_EXCHANGE
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{channel}"},
        "title": f"Publish {c.type}",
        "summary": f"A municipal system publishes a {c.type} of its own centre.",
        "description": _MUNICIPAL_RULES,
        "security": SECURITY,
        "tags": [{"name": "municipal"}],
        "messages": [{"$ref": f"#/channels/{channel}/messages/Municipal{c.type}"}],
        "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, **BINDING}},
    }


_MUNICIPAL_RULES = (
    "Publish persistent (`delivery_mode` 2), `content_type` `application/json`, with the AMQP"
    " `user_id` property set to your own broker user (the broker refuses a message whose"
    " `user_id` is not the connection's user) and, if you like, `message_id` = `event_id`."
    " Publish `mandatory` with publisher confirms: a confirm means the broker holds the message,"
    " and one that no queue would take comes back (basic.return) instead of being dropped.\n\n"
    "The platform checks each message as the HTTP ingest checks an item: against the event's"
    " published JSON Schema (`schemas/events/<Type>.v<schema_version>.json`), that `data.site`"
    " is the publisher's centre, and that the person is one that centre may record for. An"
    " accepted event is applied once: its `event_id` is the command id, so publishing it again"
    " changes nothing. It fills in what only it can know: the stream, the version and position,"
    " `recorded_at`, the hash, and the sealing of the personal fields under the person's key."
    " A refused message is kept with its reasons for the platform's operators (its body sealed"
    " under the person's key); nothing is sent back to the publisher and no reason quotes a"
    " value of the event."
)


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {"Envelope": object_schema(EnvelopeSchema)}
    for c in relayed():
        whole = object_schema(c.schema)
        schemas[c.type] = {"description": c.description, **whole}
        schemas[f"{c.type}Data"] = _part(whole, c.personal_fields, keep=False)
        if c.personal_fields:
            schemas[f"{c.type}Sealed"] = _part(whole, c.personal_fields, keep=True)
    return schemas


def _part(whole: dict, personal: frozenset[str], keep: bool) -> dict[str, Any]:
    """The public fields (what travels in `data`) or the personal ones (what `sealed` opens to:
    a personal field without a value is left out, so none is required there)."""
    properties = {k: v for k, v in whole["properties"].items() if (k in personal) == keep}
    return {
        "type": "object",
        "properties": properties,
        "required": [] if keep else [k for k in whole["required"] if k in properties],
        "additionalProperties": False,
    }


def _envelope_message(c: EventContract) -> dict[str, Any]:
    sealed = sorted(c.personal_fields)
    return {
        "name": c.type,
        "title": f"{_words(c.type)} (v{c.version})",
        "summary": c.description,
        "description": (
            "Personal fields, sealed (never in `data`): "
            + ", ".join(f"`{f}`" for f in sealed)
            + f". Opened with the key vault, `sealed` is the JSON object `{c.type}Sealed`."
            if sealed
            else "No personal fields: `sealed` is always null."
        ),
        "contentType": "application/json",
        "tags": [{"name": c.source}],
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/Envelope"},
                {
                    "type": "object",
                    "properties": {
                        "source": {"const": c.source},
                        "type": {"const": c.type},
                        "schema_version": {"const": c.version},
                        "data": {"$ref": f"#/components/schemas/{c.type}Data"},
                        "sealed": (
                            {"type": ["string", "null"], "contentEncoding": "base64"}
                            if sealed
                            else {"type": "null"}
                        ),
                    },
                },
            ]
        },
        "bindings": {"amqp": {"contentEncoding": "utf-8", **BINDING}},
        "x-amqp-properties": _properties(
            {
                "const": publisher_user(c.source),
                "description": "its relay's broker user, before an installation's prefix",
            },
            {"type": "string", "format": "uuid", "description": "the event_id"},
            required=["user_id", "message_id"],
        ),
        "examples": [
            {
                "name": c.type,
                "summary": f"{c.type} as the {c.source} relay sends it",
                "payload": envelope_example(c),
            }
        ],
    }


def _municipal_message(c: EventContract) -> dict[str, Any]:
    low, high = EVENT_ID_LENGTH
    return {
        "name": f"Municipal{c.type}",
        "title": f"{_words(c.type)} from a municipal system (v{c.version})",
        "summary": c.description,
        "description": "One JSON object, the same as one item of the HTTP ingest's `events`."
        " `data` is the whole event, personal fields ("
        + ", ".join(f"`{f}`" for f in sorted(c.personal_fields))
        + ") included: the platform seals them before it stores the event.",
        "contentType": "application/json",
        "tags": [{"name": "municipal"}],
        "payload": {
            "type": "object",
            "required": ["event_id", "type", "schema_version", "data"],
            "properties": {
                "event_id": {
                    "type": "string",
                    "minLength": low,
                    "maxLength": high,
                    "description": "Your own id of the event, unique: the platform applies an"
                    " id once. Also the AMQP `message_id`, if you set it.",
                },
                "type": {"const": c.type},
                "schema_version": {
                    "const": c.version,
                    "description": "The version of `data`'s contract.",
                },
                "occurred_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When it happened, with its offset (ISO 8601), if not now.",
                },
                "data": {"$ref": f"#/components/schemas/{c.type}"},
            },
        },
        "bindings": {"amqp": {"contentEncoding": "utf-8", **BINDING}},
        "x-amqp-properties": _properties(
            {"type": "string", "description": "your own broker user: the broker refuses another"},
            {"type": "string", "description": "the event_id, if you set it"},
            required=["user_id"],
        ),
        "examples": [
            {
                "name": f"Municipal{c.type}",
                "summary": f"A {c.type} of {BY_NAME['site']}",
                "payload": municipal_example(c),
            }
        ],
    }


def _properties(user_id: dict, message_id: dict, required: list[str]) -> dict[str, Any]:
    """The AMQP message properties (not headers), as a JSON Schema: AsyncAPI's AMQP bindings
    have no place for them."""
    return {
        "type": "object",
        "required": ["content_type", "delivery_mode", *required],
        "properties": {
            "user_id": user_id,
            "content_type": {"const": "application/json"},
            "delivery_mode": {"const": 2, "description": "persistent"},
            "message_id": message_id,
        },
    }


def municipal_example(c: EventContract) -> dict[str, Any]:
    return {
        "event_id": f"{BY_NAME['site']}-2026-{123 + EVENT_TYPES.index(c.type):06d}",
        "type": c.type,
        "schema_version": c.version,
        "occurred_at": MOMENT,
        "data": example(c.type, c.schema),
    }


def envelope_example(c: EventContract) -> dict[str, Any]:
    payload = example(c.type, c.schema)
    data, personal = split_personal(c.type, payload)
    event_id = example_id(f"event:{c.type}")
    subject = payload.get("beneficiary_id") if personal else None
    return {
        "envelope_version": ENVELOPE_VERSION,
        "source": c.source,
        "position": 1042,
        "prev_position": 1041,
        "stream": _stream(c.source, payload),
        "version": 3,
        "event_id": event_id,
        "type": c.type,
        "schema_version": c.version,
        "recorded_at": "2026-11-20T08:30:01.250000+00:00",
        "metadata": {
            "actor": BY_NAME["staff_id"],
            "site": BY_NAME["site"],
            "command_id": example_id(f"command:{c.type}"),
            "correlation_id": example_id(f"command:{c.type}"),
        },
        "data": data,
        # illustrative bytes: real ones are a nonce and AES-GCM ciphertext
        "sealed": base64.b64encode(hashlib.sha256(event_id.encode()).digest() * 2).decode()
        if personal
        else None,
        "subject_id": subject,
        "erased": False,
        "hash": hashlib.sha256(f"example:{c.type}".encode()).hexdigest(),
    }


def _stream(source: str, payload: dict[str, Any]) -> str:
    for field, category in (
        ("referral_id", "referral"),
        ("programme_id", "programme"),
        ("agency_id", "agency"),
        ("beneficiary_id", "beneficiary" if source == "registries" else "case"),
    ):
        if field in payload:
            return f"{category}-{payload[field]}"
    return f"site-{example_id('stream')}"


def _words(type_: str) -> str:
    """`ContactRecorded` -> `Contact recorded`."""
    words = re.findall(r"[A-Z][a-z]*", type_)
    return " ".join([words[0], *(w.lower() for w in words[1:])])
