"""Guarantee 9: does a read model hold exactly the history its sources hold?

Compares each stream's head (version and chained hash) as the consumer recorded it with the
source store's head. Equal hashes at equal versions mean the same events in the same order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .checkpoints import Checkpoints
from .sources import EventSource


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


def report(differences: list[Difference]) -> dict:
    return {"consistent": not differences, "differences": [asdict(d) for d in differences]}
