"""A standalone nameko RPC client (outside a nameko service: consumers, one-shot steps, tools)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit


def cluster_rpc(amqp_uri: str, timeout: float | None = 60) -> Any:
    """nameko's ClusterRpcProxy, with its reply queue named after the connection's broker user
    (`rpc.reply-<user>-<uuid>`, not nameko's shared `standalone_rpc_proxy`): the broker lets each
    user declare and read only reply queues of its own name, so no client can read another's
    answers, which may hold personal data; and not durable, so that it goes with its node and is
    declared again on the next one (nameko_support.TransientReplies). Use as a context manager,
    like ClusterRpcProxy. `amqp_uri` may name several nodes (services/common/broker.py)."""
    from nameko.standalone.rpc import ClusterRpcProxy, SingleThreadedReplyListener

    from services.common.nameko_support import TransientReplies
    from services.common.transport import nameko_config

    user = unquote(urlsplit(amqp_uri).username or "guest")

    class Container(ClusterRpcProxy.ServiceContainer):
        service_name = user

    class Proxy(ClusterRpcProxy):
        ServiceContainer = Container

    class Replies(TransientReplies, SingleThreadedReplyListener):
        pass

    return Proxy(nameko_config(amqp_uri), timeout=timeout, reply_listener_cls=Replies)
