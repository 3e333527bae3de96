"""Guarantee 9: does a read model hold exactly the history its sources hold?

Compares each stream's head (version and chained hash) as the consumer recorded it with the
source store's head. Equal hashes at equal versions mean the same events in the same order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from services.common import metrics

from .checkpoints import Checkpoints
from .sources import EventSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Difference:
    source: str
    stream: str
    problem: str  # missing | behind | ahead | hash differs | unknown to the source
    source_version: int | None
    consumer_version: int | None


def compare(
    source: str,
    source_heads: dict[str, tuple[int, str]],
    consumer_heads: dict[str, tuple[int, str]],
) -> list[Difference]:
    found = []
    for stream in sorted(set(source_heads) | set(consumer_heads)):
        theirs, ours = source_heads.get(stream), consumer_heads.get(stream)
        problem = None
        if ours is None:
            problem = "missing"
        elif theirs is None:
            problem = "unknown to the source"
        elif ours[0] < theirs[0]:
            problem = "behind"
        elif ours[0] > theirs[0]:
            problem = "ahead"
        elif ours[1] != theirs[1]:
            problem = "hash differs"
        if problem:
            found.append(
                Difference(source, stream, problem, theirs and theirs[0], ours and ours[0])
            )
    return found


def check(
    db, consumer: str, sources: tuple[str, ...], event_source: EventSource
) -> list[Difference]:
    checkpoints = Checkpoints(consumer)
    differences = []
    for source in sources:
        theirs = {h["stream"]: (h["version"], h["hash"]) for h in event_source.stream_heads(source)}
        with db.transaction() as cur:
            ours = checkpoints.all_heads(cur, source)
        differences.extend(compare(source, theirs, ours))
    return differences


def settled_check(
    db, consumer: str, sources: tuple[str, ...], event_source: EventSource, settle_seconds: float
) -> list[Difference]:
    """The differences left once a live consumer had `settle_seconds` to apply what it was
    behind on: lag clears, a real difference stays."""
    deadline = time.monotonic() + settle_seconds
    while True:
        differences = check(db, consumer, sources, event_source)
        if not differences or time.monotonic() >= deadline:
            return differences
        time.sleep(0.5)


class PeriodicCheck:
    """The consistency check, run by the active consumer every `every` seconds (the first one
    `first` seconds after it starts), its result exported: kentra_consistency_differences and
    kentra_consistency_checked_timestamp_seconds, which two alerts read (a difference, and a check
    that has stopped running). A standby checks nothing; a check that fails is logged and tried
    again at the next turn, and its missing timestamp is what the alert sees."""

    def __init__(
        self,
        db,
        consumer: str,
        sources: tuple[str, ...],
        open_source: Callable[[], EventSource],
        is_active: Callable[[], bool],
        every: float,
        first: float,
        settle_seconds: float = 30.0,
    ):
        self.db, self.consumer, self.sources = db, consumer, sources
        self.open_source, self.is_active = open_source, is_active
        self.every, self.first, self.settle_seconds = every, first, settle_seconds

    def run(self, stop: threading.Event) -> None:
        wait = self.first
        while not stop.wait(wait):
            wait = self.every
            if self.is_active():
                self.once()

    def once(self) -> list[Difference] | None:
        source = self.open_source()
        try:
            found = settled_check(self.db, self.consumer, self.sources, source, self.settle_seconds)
        except Exception:
            log.exception("%s: the consistency check could not run", self.consumer)
            return None
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
        metrics.CONSISTENCY_DIFFERENCES.labels(self.consumer).set(len(found))
        metrics.CONSISTENCY_CHECKED.labels(self.consumer).set_to_current_time()
        if found:
            log.error(
                "%s: %d stream(s) differ from their source, first: %s",
                self.consumer,
                len(found),
                found[0],
            )
        return found


def report(differences: list[Difference]) -> dict:
    return {"consistent": not differences, "differences": [asdict(d) for d in differences]}
