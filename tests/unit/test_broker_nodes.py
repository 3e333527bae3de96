"""A broker of several nodes, named once (KENTRA_BROKER_HOST) and handed to every process as
kombu's failover list (services/common/broker.py)."""

from __future__ import annotations

import kombu

from deploy.rabbitmq.setup import amqp_uri
from services.common.broker import node_uris


def test_a_process_uri_names_every_node_of_the_cluster():
    uri = amqp_uri("intake", "p@ss/word", "rabbit-1:5672, rabbit-2:5672,rabbit-3:5672")
    assert node_uris(uri) == [
        f"amqp://intake:p%40ss%2Fword@rabbit-{n}:5672/kentra" for n in (1, 2, 3)
    ]


def test_kombu_reads_the_list_as_one_login_on_three_nodes():
    connection = kombu.Connection(amqp_uri("intake", "secret", "rabbit-1:5672,rabbit-2:5673"))
    assert (connection.hostname, connection.port) == ("rabbit-1", 5672)
    assert (connection.userid, connection.password, connection.virtual_host) == (
        "intake",
        "secret",
        "kentra",
    )
    assert len(connection.alt) == 2
    connection.maybe_switch_next()  # what kombu does when its node goes
    assert (connection.hostname, connection.port, connection.userid) == ("rabbit-2", 5673, "intake")


def test_one_node_is_one_uri_as_before():
    assert amqp_uri("intake", "secret") == "amqp://intake:secret@127.0.0.1:5672/kentra"
