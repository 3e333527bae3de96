"""Read your writes: after a save, the page a person lands on shows what they saved. The stores
answer a command with the positions of the events it stored; the timeline (a read model fed from
the bus) shows them once its consumer has passed those positions. The page waits for that, for a
bounded time: a consumer that is down or far behind delays a save by that much, never blocks it
(the record's own facts, its case and its version are read from the services, never from the
timeline)."""

from __future__ import annotations

import time
from collections.abc import Callable

from services.portal_gateway.adapters import timeline

BOUND_SECONDS = 2.0  # a save's page waits no longer for the timeline than this
POLL_SECONDS = 0.05


def stored_up_to(answer: dict) -> int:
    """The last position a command answer's events were stored at (0: nothing new was stored, a
    retried command or a decision that changed nothing)."""
    return max((e.get("position") or 0 for e in answer.get("events") or []), default=0)


def wait_until_shown(
    timeline_db,
    source: str,
    answer: dict,
    seconds: float = BOUND_SECONDS,
    applied: Callable[[object, str], int] = timeline.applied_up_to,
) -> bool:
    """Whether the timeline shows what the command (answered by `source`) stored, waiting at most
    `seconds` for it."""
    position = stored_up_to(answer)
    deadline = time.monotonic() + seconds
    while applied(timeline_db, source) < position:
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)  # eventlet's, under nameko: other requests run meanwhile
    return True
