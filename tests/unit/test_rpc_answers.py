"""Every service answers its RPCs through our entrypoint (services/common/nameko_support.py `rpc`:
answers without a publish confirm). A service with one nameko @rpc left beside ours would run two
consumers on its queue, each refusing the other's methods."""

from __future__ import annotations

import importlib

import nameko.rpc
import pytest

from deploy.rabbitmq.definitions import SERVICES
from services.common.nameko_support import Rpc


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_rpc_of_a_service_is_ours(service):
    module, name = SERVICES[service].split(":")
    cls = getattr(importlib.import_module(module), name)
    kinds = {
        type(entrypoint)
        for attribute in dir(cls)
        for entrypoint in getattr(getattr(cls, attribute), "nameko_entrypoints", ())
        if isinstance(entrypoint, nameko.rpc.Rpc)
    }
    assert kinds <= {Rpc}
