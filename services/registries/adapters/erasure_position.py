"""kentra_erasure_position: the store position of the latest erasure, read when Prometheus scrapes
(the partial index of registries_010 makes that one index entry). Every read model applies its
sources in store order, so one whose `kentra_consumer_position{source="registries"}` is below it
still holds an erased person's rows: the erasure-backlog alert compares the two. Read from the
store, not counted in memory, so it holds across restarts and any number of instances."""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily

from contracts.names import PERSONAL_DATA_ERASED

log = logging.getLogger(__name__)


class ErasurePosition:
    def __init__(self, db):
        self.db = db  # () -> the registries store's Database, or None before the service is up

    def collect(self):
        family = GaugeMetricFamily(
            "kentra_erasure_position",
            "Store position of the latest PersonalDataErased in the registries store (0: none)",
        )
        db = self.db()
        if db is None:
            return
        try:
            with db.statement() as cur:
                cur.execute(
                    "SELECT coalesce(max(position), 0) FROM events WHERE type = %s",
                    (PERSONAL_DATA_ERASED,),
                )
                family.add_metric([], cur.fetchone()[0])
        except Exception:  # a scrape must still answer with the runtime's metrics
            log.exception("erasure position unavailable")
            return
        yield family
