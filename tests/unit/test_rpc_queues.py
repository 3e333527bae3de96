"""RPC's queues as a cluster needs them (services/common/nameko_support.py): a service's request
queue is a quorum queue, so it outlives any one node; a caller's reply queue is not durable, so it
goes with its node and is declared again on the next. nameko 2.14 declares both classic and
durable, and a classic durable queue whose node is down cannot be declared again (NOT_FOUND) until
the node is back: tests/faults/test_broker_cluster.py shows it on a real cluster."""

from __future__ import annotations

import importlib

import nameko.rpc
import pytest

from deploy.rabbitmq.definitions import SERVICES
from services.common.broker import QUORUM, node_uris, redacted
from services.common.nameko_support import RpcProxy, TransientReplies, _ReplyListener, _RpcConsumer
from services.common.rpc_client import cluster_rpc


class Container:
    """What nameko's extensions ask of a container while they are set up."""

    service_name = "intake"
    config: dict = {}

    def __init__(self):
        self.shared_extensions: dict = {}


def test_a_services_request_queue_is_a_quorum_queue():
    container = Container()  # extensions hold their container weakly
    consumer = _RpcConsumer().bind(container)
    consumer.setup()
    assert consumer.queue.name == "rpc-intake"
    assert consumer.queue.durable and consumer.queue.queue_arguments == QUORUM
    assert consumer.queue.routing_key == "intake.*"


def test_a_services_reply_queue_is_not_durable():
    container = Container()
    listener = _ReplyListener().bind(container)
    listener.setup()
    assert listener.queue.name == f"rpc.reply-intake-{listener.routing_key}"
    assert listener.queue.durable is False
    assert "x-queue-type" not in listener.queue.queue_arguments  # classic: a quorum one is durable


def test_a_standalone_clients_reply_queue_is_not_durable():
    proxy = cluster_rpc(
        "amqp://demo:secret@rabbit-1:5672/kentra;amqp://demo:secret@rabbit-2/kentra"
    )
    assert isinstance(proxy._reply_listener, TransientReplies)
    assert proxy._reply_listener.container.service_name == "demo"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_calls_others_through_our_rpc_proxy(service):
    module, name = SERVICES[service].split(":")
    cls = getattr(importlib.import_module(module), name)
    proxies = [getattr(cls, a) for a in dir(cls)]
    proxies = [p for p in proxies if isinstance(p, nameko.rpc.RpcProxy)]
    assert all(type(p) is RpcProxy for p in proxies)  # the registry calls no one


def test_a_failover_list_is_logged_without_any_password():
    uri = "amqp://intake:s3cr%40t@rabbit-1:5672/kentra;amqp://intake:s3cr%40t@rabbit-2:5672/kentra"
    assert node_uris(uri) == uri.split(";")
    assert redacted(uri) == (
        "amqp://intake:****@rabbit-1:5672/kentra;amqp://intake:****@rabbit-2:5672/kentra"
    )
