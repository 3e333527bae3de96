"""`python -m bench.rpc_serve module:Class '<config as JSON>'`: one nameko service in a process of
its own (as `nameko run` would run it, without its command line), so bench/rpc.py can read its
CPU time apart from the caller's. Also the two trivial services bench/rpc.py calls."""

import eventlet

eventlet.monkey_patch()  # before anything else is imported, as nameko's runner does

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

from nameko.containers import ServiceContainer  # noqa: E402
from nameko.rpc import rpc as confirmed_rpc  # noqa: E402

from services.common.nameko_support import rpc  # noqa: E402


class ConfirmedEcho:
    """nameko's own @rpc: every answer waits for the broker's publish confirm."""

    name = "bench_echo_confirmed"

    @confirmed_rpc
    def echo(self, value):
        return value


class UnconfirmedEcho:
    """The platform's @rpc (services/common/nameko_support.py): answers without a confirm."""

    name = "bench_echo_unconfirmed"

    @rpc
    def echo(self, value):
        return value


def main() -> None:
    module, name = sys.argv[1].split(":")
    container = ServiceContainer(
        getattr(importlib.import_module(module), name), json.loads(sys.argv[2])
    )
    container.start()
    container.wait()


if __name__ == "__main__":
    main()
