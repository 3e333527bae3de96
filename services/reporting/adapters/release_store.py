"""Where releases are kept: reporting's own event store, one stream per family and period
(`release-<family>-<period>`) holding one `ReleasePublished`. An event store rather than a table
of the read model: a release is a fact of what left reporting, never recomputed by a rebuild
(which empties the read model), append-only by the store's triggers and hash-chained like every
other history; the stream's expected version makes two first requests agree on one release."""

from __future__ import annotations

import uuid

from contracts.names import RELEASE_PUBLISHED
from services.common.domain import DomainEvent
from services.common.event_codec import encoder
from services.common.eventstore import NO_STREAM, EventStore, Metadata
from services.common.eventstore.model import WrongExpectedVersion

_encode = encoder()


class ReleaseStore:
    def __init__(self, store: EventStore):
        self.store = store

    def find(self, family: str, period: str) -> dict | None:
        found = self.store.read_stream(_stream(family, period), 1, 1)
        return _release(found[0]) if found else None

    def record(self, release: dict) -> dict:
        """Store it, unless someone stored this period first: then theirs is the release."""
        try:
            self.store.append(
                _stream(release["family"], release["period"]),
                NO_STREAM,
                [_encode(DomainEvent(RELEASE_PUBLISHED, release))],
                Metadata("reporting", "KK-REGION", correlation_id=str(uuid.uuid4())),
            )
        except WrongExpectedVersion:
            pass
        found = self.find(release["family"], release["period"])
        if found is None:
            raise RuntimeError(f"release {release['period']} neither stored nor found")
        return found


def _stream(family: str, period: str) -> str:
    return f"release-{family}-{period}"


def _release(event) -> dict:
    return {**event.data, "released_at": event.recorded_at.isoformat()}
