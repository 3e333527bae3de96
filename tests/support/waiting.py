"""The one way tests wait: for something that happens in another process or thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    check: Callable[[], T],
    seconds: float = 30,
    interval: float = 0.2,
    what: str = "",
    tolerate: tuple[type[BaseException], ...] = (),
    explain: Callable[[], object] | None = None,
) -> T:
    """Call `check` until it returns something truthy and return that; fail the test after
    `seconds`, saying `what` was awaited, the last answer and, if given, `explain()` (the state of
    the processes involved, asked only then). Exceptions listed in `tolerate` (a port not open
    yet) count as "not yet"."""
    deadline = time.monotonic() + seconds
    last: object = None
    while True:
        try:
            last = check()
            if last:
                return last  # type: ignore[return-value]
        except tolerate as exc:
            last = exc
        if time.monotonic() > deadline:
            detail = f"\n{explain()}" if explain else ""
            raise AssertionError(
                f"waited {seconds:.0f} s for {what or check!r}; last answer: {last!r}{detail}"
            )
        time.sleep(interval)
