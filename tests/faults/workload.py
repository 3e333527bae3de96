"""What the registries service writes while faults are injected: registrations of new
beneficiaries and follow-up contacts on known ones, across many streams."""

from __future__ import annotations

import random
import threading
import time
import uuid

from services.common.db import TRANSIENT_ERRORS
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from tests.support.backbone import SITE


class Workload:
    """Each append carries a command id of its own and is retried with that same id after a
    transient error, as a client re-sends a command: an append whose connection was killed around
    its commit is stored exactly once (guarantee 3). So `expected` is what the store must hold."""

    def __init__(self, store, seed: int):
        self.store, self.rng = store, random.Random(seed)
        self.expected: dict[str, int] = {}  # stream -> the version the store must have
        self.streams: list[str] = []
        self.retries = 0

    @property
    def events(self) -> int:
        return sum(self.expected.values())

    def register(self, n: int = 1, set_aside: bool = False) -> list[str]:
        """`n` new beneficiaries, some with first contacts in the same append. Random steps never
        write to those `set_aside`: only the test does."""
        made = []
        for _ in range(n):
            subject = uuid.uuid4()
            stream = f"beneficiary-{subject}"
            registered = NewEvent(
                "BeneficiaryRegistered",
                {"municipality_code": "9258"},
                subject_id=subject,
                personal={"given_name": "Ελένη", "family_name": f"Παπαδάκη-{len(self.streams)}"},
            )
            self._append(stream, [registered, *self._contacts(self.rng.randint(0, 2))])
            if not set_aside:
                self.streams.append(stream)
            made.append(stream)
        return made

    def contact(self, stream: str, n: int = 1) -> int:
        """`n` contacts noted on a known beneficiary; the position of the last one."""
        return self._append(stream, self._contacts(n))

    def step(self) -> None:
        if len(self.streams) < 20 or self.rng.random() < 0.4:
            self.register()
        else:
            self.contact(self.rng.choice(self.streams), self.rng.randint(1, 4))

    def burst(self, events: int) -> None:
        target = self.events + events
        while self.events < target:
            self.step()

    def run(self, stop: threading.Event, pause: float = 0.0) -> None:
        """Write until told to stop (in a background thread)."""
        while not stop.is_set():
            self.step()
            if pause:
                time.sleep(pause)

    def _contacts(self, n: int) -> list[NewEvent]:
        return [
            NewEvent(
                "ContactNoted", {"channel": self.rng.choice(["visit", "phone", "mobile unit"])}
            )
            for _ in range(n)
        ]

    def _append(self, stream: str, events: list[NewEvent]) -> int:
        metadata = Metadata("sw-1", SITE, command_id=str(uuid.uuid4()))
        result = self._retrying(
            lambda: self.store.append(
                stream, self.expected.get(stream, NO_STREAM), events, metadata
            )
        )
        self.expected[stream] = result.version
        return result.events[-1].position

    def _retrying(self, attempt, limit: int = 50):
        for _ in range(limit - 1):
            try:
                return attempt()
            except TRANSIENT_ERRORS:
                self.retries += 1
                time.sleep(0.05)
        return attempt()
