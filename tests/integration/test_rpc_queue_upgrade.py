"""An installation upgraded from a release whose services' RPC queues were classic (nameko's own
kind): the broker step (deploy/rabbitmq/setup.py) deletes them, so that each service can declare
its queue again as a quorum queue; a queue's type cannot change, and the service would be
refused (PRECONDITION_FAILED) while the classic one stood."""

from __future__ import annotations

import amqp
import kombu
import pytest

from deploy.rabbitmq.setup import replace_classic_rpc_queues
from services.common.broker import QUORUM


def declare(uri: str, name: str, **arguments) -> None:
    with kombu.Connection(uri) as conn:
        conn.channel().queue_declare(name, durable=True, auto_delete=False, arguments=arguments)


def test_a_services_classic_rpc_queue_is_replaced_by_the_broker_step(broker_access):
    declare(broker_access.admin_uri, "rpc-intake")  # as an earlier release left it
    with pytest.raises(amqp.exceptions.PreconditionFailed):
        declare(broker_access.uri("intake"), "rpc-intake", **QUORUM)

    assert replace_classic_rpc_queues(broker_access.management, broker_access.vhost) == [
        "rpc-intake"
    ]
    declare(broker_access.uri("intake"), "rpc-intake", **QUORUM)  # as the service now does
    assert replace_classic_rpc_queues(broker_access.management, broker_access.vhost) == []
