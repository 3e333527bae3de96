"""Fixtures for fault tests: a platform slice per test, and a RabbitMQ node of the test's own."""

from __future__ import annotations

import pytest

from tests.faults.platform import FaultPlatform
from tests.support.faults import ThrowAwayBroker


@pytest.fixture
def broker():
    """Request it before `platform_on`, so the processes stop before the node goes."""
    with ThrowAwayBroker() as node:
        yield node


@pytest.fixture
def platform_on(admin_url, tmp_path):
    """`platform_on(amqp_uri)`: a FaultPlatform on that broker; its processes are stopped and its
    schemas dropped afterwards, however the test ended."""
    made: list[FaultPlatform] = []

    def make(amqp_uri: str) -> FaultPlatform:
        made.append(FaultPlatform(admin_url, amqp_uri, tmp_path))
        return made[-1]

    yield make
    for platform in made:
        platform.close()
