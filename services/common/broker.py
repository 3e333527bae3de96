"""What the relay and the consumers share about the broker's topology."""

from __future__ import annotations

import amqp
import kombu


def find_exchange(conn: kombu.Connection, name: str) -> None:
    """The broker setup (deploy/rabbitmq/setup.py) makes the events exchanges, and no process's
    own broker user may make or change one. Where a process may (development, tests) and the
    exchange is not there yet, it is made; elsewhere the refusal is the caller's to retry."""
    channel = conn.channel()
    try:
        channel.exchange_declare(name, "topic", passive=True)
    except amqp.exceptions.NotFound:  # the broker closed that channel
        channel = conn.channel()
        channel.exchange_declare(name, "topic", durable=True, auto_delete=False)
    finally:
        channel.close()
