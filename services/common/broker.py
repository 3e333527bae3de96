"""What the platform's processes share about the broker: its topology, and how a cluster is named.

A broker of several nodes is given to every process as kombu's failover list, one full URI per
node, joined by `;` (`amqp://u:p@rabbit-1:5672/kentra;amqp://u:p@rabbit-2:5672/kentra;...`), in
`KENTRA_AMQP_URI` as for one node. kombu connects to the first node that answers and, when its
connection breaks, to the next one; nameko's AMQP_URI goes through the same kombu Connection.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import amqp
import kombu

# every durable queue the platform declares is a quorum queue: replicated on the cluster's nodes,
# usable while a majority of them is up (a classic durable queue is unusable while its one node is
# down: declaring it answers NOT_FOUND "home node ... is down or inaccessible")
QUORUM = {"x-queue-type": "quorum"}


def node_uris(amqp_uri: str) -> list[str]:
    """Each node's URI, in the order given."""
    return [uri.strip() for uri in amqp_uri.split(";") if uri.strip()]


def redacted(amqp_uri: str) -> str:
    """The URI, every node's password masked (kombu's and nameko's sanitizers mask the first)."""
    return ";".join(_redacted(uri) for uri in node_uris(amqp_uri))


def _redacted(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    return urlunsplit(
        parts._replace(netloc=f"{parts.username}:****@{parts.netloc.rsplit('@')[-1]}")
    )


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
