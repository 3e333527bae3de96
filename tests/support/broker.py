"""The broker's topology (deploy/rabbitmq/definitions.py: exchanges, queues, bindings) declared in a
test's own vhost or node over AMQP, as the definitions' import does on the platform's broker: the
gateway only reads the municipal events' queue, so it must exist before the gateway starts."""

from __future__ import annotations

import kombu

from deploy.rabbitmq.definitions import topology


def declare_topology(amqp_uri: str) -> None:
    found = topology()
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        for e in found["exchanges"]:
            channel.exchange_declare(e["name"], e["type"], durable=True, auto_delete=False)
        for q in found["queues"]:
            channel.queue_declare(
                q["name"], durable=True, auto_delete=False, arguments=q["arguments"]
            )
        for b in found["bindings"]:
            channel.queue_bind(b["destination"], b["source"], b["routing_key"])
