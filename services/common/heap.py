"""The garbage collector, told what a long-running process keeps for life."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Once a process has imported and set up everything it keeps for life (the contracts, the
    vocabularies, nameko, the pools): move those objects out of the garbage collector's sight,
    and collect the young generation less often. Every full collection walked the ~100,000
    objects of start-up on the request path (tens of ms, in a green-threaded service a stall of
    every request in flight), and a fifth of the gateway's samples were collections triggered by
    allocations in the AMQP client. Objects made later are collected as before."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def release_heap() -> None:
    """Undo `settle_heap` when what it froze is being let go (a stopped service in a process that
    goes on): frozen objects are never collected, so a cycle holding a connection would keep it."""
    gc.unfreeze()
