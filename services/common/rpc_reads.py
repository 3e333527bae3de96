"""The read side every write-side service serves over RPC, for consumers to catch up and repair."""

from __future__ import annotations

from contracts.envelope import to_message

MAX_PAGE = 5000


def envelopes(source: str, events, after_position: int | None) -> list[dict]:
    """Envelopes for a page of events. From `read_all` the page is contiguous, so each one's
    prev_position is the one before it; from `read_stream` it is unknown (-1)."""
    out, prev = [], after_position
    for e in events:
        out.append(to_message(source, e, prev if prev is not None else -1))
        if after_position is not None:
            prev = e.position
    return out


class StoreReads:
    """Plain methods the nameko entrypoints delegate to."""

    def __init__(self, source: str, store):
        self.source, self.store = source, store

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[dict]:
        limit = max(1, min(int(limit), MAX_PAGE))
        return envelopes(
            self.source,
            self.store.read_all(int(after_position), limit, sealed_only=True),
            int(after_position),
        )

    def read_stream(self, stream: str, from_version: int = 1, limit: int = 1000) -> list[dict]:
        limit = max(1, min(int(limit), MAX_PAGE))
        return envelopes(
            self.source,
            self.store.read_stream(stream, int(from_version), limit, sealed_only=True),
            None,
        )

    def stream_heads(self) -> list[dict]:
        return [
            {"stream": h.stream, "version": h.version, "hash": h.hash} for h in self.store.heads()
        ]

    def last_position(self) -> int:
        return self.store.last_position()
