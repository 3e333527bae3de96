"""The outbox seen from outside the relay: the write service reads, when Prometheus scrapes it,
how far its store has gone and how far the relay has saved. A relay that is stopped, paused or
stuck exports nothing of its own (its last backlog stays frozen, or is gone with it), so the alert
on unpublished events reads these instead. Two index look-ups per scrape."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from services.common.metrics import ReadAtScrape

from .relay import RELAY_NAME


class OutboxWatch(ReadAtScrape):
    def __init__(self, service: str, db):
        super().__init__(db)
        self.service = service

    def read(self, db) -> list:
        with db.statement() as cur:
            cur.execute(
                "SELECT h.position, coalesce(r.position, 0),"
                " coalesce(extract(epoch FROM now() - e.recorded_at), 0)"
                " FROM (SELECT coalesce(max(position), 0) AS position FROM events) h"
                " LEFT JOIN relay_positions r ON r.relay = %s"
                " LEFT JOIN events e ON e.position = coalesce(r.position, 0) + 1",
                (RELAY_NAME,),
            )
            last, published, age = cur.fetchone()
        head = GaugeMetricFamily(
            "kentra_store_head_position", "The store's last position", labels=["service"]
        )
        head.add_metric([self.service], last)
        unpublished = GaugeMetricFamily(
            "kentra_store_unpublished_events",
            "Events stored beyond the relay's saved position, read by the service",
            labels=["service"],
        )
        unpublished.add_metric([self.service], max(0, last - published))
        oldest = GaugeMetricFamily(
            "kentra_store_oldest_unpublished_seconds",
            "Age of the oldest event stored and not yet published (0: none), read by the service",
            labels=["service"],
        )
        oldest.add_metric([self.service], float(age))
        return [head, unpublished, oldest]
