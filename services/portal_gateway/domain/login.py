"""Logging in: who is refused, and for how long, after repeated failed passwords. Pure functions
over the ages of the failures the gateway has recorded; the adapters count them in PostgreSQL, so
every gateway instance sees the same failures."""

from __future__ import annotations

import math
from collections.abc import Iterable

# A sliding minute: long enough to stop guessing (5 tries a minute is 7,200 a day, against argon2
# hashes and the strength policy), short enough that a person who mistypes waits under a minute.
WINDOW_SECONDS = 60
# The sixth wrong password within a minute is refused before it is checked, the right one too.
FAILURES_PER_ACCOUNT = 5
# One address may be a whole centre behind one router (colleagues logging in at nine), so it gets
# more room than an account; it still stops one client spraying one password over many accounts.
FAILURES_PER_CLIENT = 20


class Unauthenticated(Exception):
    """No valid login: a wrong password, an unknown or inactive account, an ended session."""


class Throttled(Exception):
    """Too many failed logins within the window: come back in `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(f"too many failed logins: try again in {seconds} seconds")
        self.seconds = seconds


def wait_seconds(ages: Iterable[float], limit: int, window: float = WINDOW_SECONDS) -> int:
    """How long until fewer than `limit` of these failures (their ages in seconds) are within
    the window: 0 when there are fewer already."""
    recent = sorted((age for age in ages if age < window), reverse=True)  # the oldest first
    if len(recent) < limit:
        return 0
    must_leave = recent[len(recent) - limit]  # the youngest failure that has to age out
    return max(1, math.ceil(window - must_leave))


def retry_after(account_ages: Iterable[float], client_ages: Iterable[float]) -> int:
    """Seconds to wait before this account may be tried from this client again (0: now)."""
    return max(
        wait_seconds(account_ages, FAILURES_PER_ACCOUNT),
        wait_seconds(client_ages, FAILURES_PER_CLIENT),
    )
