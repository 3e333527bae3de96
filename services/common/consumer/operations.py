"""What ops do to a read model from outside its consumer's process (the portal's ops pages, over
the RPC of the service that keeps the read model): list its open dead letters, retry them after a
fix, discard a refused message with a reason, check it against its sources. The same steps as the
consumer's command line (cli.py), answered as JSON. The live consumer may run meanwhile: every step
takes the source's checkpoint lock, as the consumer does."""

from __future__ import annotations

from .consistency import check, report
from .consumer import Consumer


class ReadModelOperations:
    def __init__(self, consumer: Consumer):
        self.consumer = consumer

    @property
    def name(self) -> str:
        return self.consumer.projection.name

    def dead_letters(self) -> list[dict]:
        """Open dead letters, oldest first; the event's body is not among them (it may be
        personal), only where it sits, its type, digest and the error."""
        return [
            {**d, "consumer": self.name, "failed_at": d["failed_at"].isoformat()}
            for d in self.consumer.open_dead_letters()
        ]

    def retry(self, by: str) -> dict:
        resolved = self.consumer.retry_dead_letters(by=by)
        return {
            "consumer": self.name,
            "resolved": resolved,
            "still_open": len(self.consumer.open_dead_letters()),
        }

    def discard(self, letter_id: int, reason: str, by: str) -> bool:
        """False if there is no such open refused message (an event of a stream is retried,
        never discarded: the read model would stay wrong)."""
        return self.consumer.discard_dead_letter(letter_id, reason, by)

    def consistency(self) -> dict:
        c = self.consumer
        found = report(check(c.db, c.projection.name, c.projection.sources, c.source))
        return {"consumer": self.name, **found}
