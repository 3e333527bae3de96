"""Writes deploy/rabbitmq/definitions.json: the `kentra` vhost (quorum queues by default), a user
per service and per municipal publisher, their permissions, and topic permissions so that a
centre's publisher can publish on `municipal.events` only under its own routing keys
(`<site>.<EventType>`). Demo passwords (`<user>-demo`): a real deployment changes them with
`rabbitmqctl change_password`.

    python deploy/rabbitmq/definitions.py    # rewrite the file (a test checks it is current)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

VHOST = "kentra"
SERVICES = ("registries", "intake", "referrals", "reporting", "portal_gateway")
SOURCES = ("registries", "intake", "referrals")
# municipal systems publishing over AMQP: user -> the site whose keys it may use
PUBLISHERS = {
    "dimos-kalamatas": "KK-KALAMATA",
    "dimos-spartis": "KK-SPARTI",
    "dimos-tripolis": "KK-TRIPOLI",
}
MUNICIPAL_EXCHANGE = "municipal.events"
OUT = Path(__file__).with_name("definitions.json")


def password_hash(user: str, password: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)).
    The salt is derived from the user so the file is the same each time it is written."""
    salt = hashlib.sha256(f"kentra-salt:{user}".encode()).digest()[:4]
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def user(name: str, tags: str = "") -> dict:
    return {
        "name": name,
        "password_hash": password_hash(name, f"{name}-demo"),
        "hashing_algorithm": "rabbit_password_hashing_sha256",
        "tags": tags,
        "limits": {},
    }


def definitions() -> dict:
    service_permissions = []
    for service in SERVICES:
        # a service declares and uses its own queues and exchanges, reads every source's events
        own = f"^({service}\\..*|rpc-{service}.*|nameko-rpc|reply-.*|{service})$"
        service_permissions.append(
            {
                "user": service,
                "vhost": VHOST,
                "configure": own,
                "write": f"^({service}\\.events|nameko-rpc|reply-.*|rpc-.*)$",
                "read": "^(.*\\.events|nameko-rpc|reply-.*|rpc-.*|" + service + "\\..*)$",
            }
        )
    publisher_permissions = [
        {
            "user": p,
            "vhost": VHOST,
            "configure": "^$",
            "write": f"^{MUNICIPAL_EXCHANGE}$",
            "read": "^$",
        }
        for p in PUBLISHERS
    ]
    topic_permissions = [
        {
            "user": p,
            "vhost": VHOST,
            "exchange": MUNICIPAL_EXCHANGE,
            "write": "^" + re.escape(site) + r"\..+",
            "read": "^$",
        }
        for p, site in PUBLISHERS.items()
    ]
    return {
        "rabbit_version": "3.10.8",
        "vhosts": [
            {"name": "/", "metadata": {}},
            {"name": VHOST, "metadata": {"description": "Kentra", "default_queue_type": "quorum"}},
        ],
        # guest stays as RabbitMQ makes it (loading definitions at boot would otherwise leave no admin)
        "users": [
            {**user("guest", "administrator"), "password_hash": password_hash("guest", "guest")}
        ]
        + [user(s) for s in SERVICES]
        + [user(p) for p in PUBLISHERS]
        + [user("kentra-ops", "monitoring")],
        "permissions": [
            {"user": "guest", "vhost": v, "configure": ".*", "write": ".*", "read": ".*"}
            for v in ("/", VHOST)
        ]
        + service_permissions
        + publisher_permissions
        + [{"user": "kentra-ops", "vhost": VHOST, "configure": "^$", "write": "^$", "read": "^$"}],
        "topic_permissions": topic_permissions,
        "exchanges": [
            {
                "name": name,
                "vhost": VHOST,
                "type": "topic",
                "durable": True,
                "auto_delete": False,
                "internal": False,
                "arguments": {},
            }
            for name in (*(f"{s}.events" for s in SOURCES), MUNICIPAL_EXCHANGE)
        ],
        "queues": [
            {
                "name": "intake.municipal",
                "vhost": VHOST,
                "durable": True,
                "auto_delete": False,
                "arguments": {"x-queue-type": "quorum"},
            }
        ],
        "bindings": [
            {
                "source": MUNICIPAL_EXCHANGE,
                "vhost": VHOST,
                "destination": "intake.municipal",
                "destination_type": "queue",
                "routing_key": "#",
                "arguments": {},
            }
        ],
        "parameters": [],
        "policies": [],
        "global_parameters": [],
    }


def render() -> str:
    return json.dumps(definitions(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
