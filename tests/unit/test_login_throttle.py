"""The login throttle's rule over the ages of recorded failures: five an account and twenty a
client within a sliding minute, and the wait is until enough of them have aged out."""

from __future__ import annotations

from services.portal_gateway.domain.login import (
    FAILURES_PER_ACCOUNT,
    FAILURES_PER_CLIENT,
    WINDOW_SECONDS,
    retry_after,
    wait_seconds,
)


def test_fewer_failures_than_the_limit_need_no_wait():
    assert wait_seconds([1, 2, 3, 4], 5) == 0
    assert retry_after([1, 2, 3, 4], [1] * (FAILURES_PER_CLIENT - 1)) == 0


def test_at_the_limit_the_wait_is_until_the_oldest_leaves_the_window():
    assert wait_seconds([50, 40, 30, 20, 10], 5) == 10
    assert wait_seconds([0.2, 0.4, 0.6, 0.8, 1.0], 5) == 59  # rounded up: never too early


def test_over_the_limit_enough_must_leave_to_fall_below_it():
    assert wait_seconds([55, 50, 40, 30, 20, 10, 5], 5) == 20  # the three oldest must go


def test_failures_older_than_the_window_count_for_nothing():
    assert wait_seconds([WINDOW_SECONDS, 61, 70, 1, 2], 5) == 0


def test_the_wait_is_at_least_a_second():
    assert wait_seconds([59.999, 1, 1, 1, 1], 5) == 1


def test_the_longer_of_the_account_and_the_client_waits_wins():
    account = [10] * FAILURES_PER_ACCOUNT
    client = [30] * FAILURES_PER_CLIENT
    assert retry_after(account, []) == 50
    assert retry_after(account, client) == 50
    assert retry_after([], client) == 30
