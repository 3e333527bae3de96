"""When a mobile unit's offline command may say it happened: the outbox's window. Plain Python.

A device's clock says `occurred_at`; the platform keeps it as the moment of the event (the
timeline, the daily register, a released month's figures). So it must lie between the start of
the trip and now: a moment in the future is a wrong clock (a few minutes ahead is a clock that
drifted, tolerated), and a moment older than the window (the days a downloaded day's work stays
valid, KENTRA_OFFLINE_DAYS) is no trip's, and would silently change figures long reported. Both
compare instants: the device's offset says where its clock was."""

from __future__ import annotations

from datetime import datetime, timedelta

CLOCK_SKEW = timedelta(minutes=5)  # how far ahead a device's clock may drift
IN_FUTURE, TOO_OLD = "offline_time_in_future", "offline_time_too_old"


def outside_the_window(occurred_at: datetime, now: datetime, days: int) -> str | None:
    """Why the moment cannot be an offline trip's (IN_FUTURE, TOO_OLD), or None if it can."""
    if occurred_at > now + CLOCK_SKEW:
        return IN_FUTURE
    if occurred_at < now - timedelta(days=days):
        return TOO_OLD
    return None
