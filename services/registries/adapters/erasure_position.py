"""kentra_erasure_position: the store position of the latest erasure, read when Prometheus scrapes
(the partial index of registries_010 makes that one index entry). Every read model applies its
sources in store order, so one whose `kentra_consumer_position{source="registries"}` is below it
still holds an erased person's rows: the erasure-backlog alert compares the two. Read from the
store, not counted in memory, so it holds across restarts and any number of instances."""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from contracts.names import PERSONAL_DATA_ERASED
from services.common.metrics import ReadAtScrape


class ErasurePosition(ReadAtScrape):
    def read(self, db) -> list:
        with db.statement() as cur:
            cur.execute(
                "SELECT coalesce(max(position), 0) FROM events WHERE type = %s",
                (PERSONAL_DATA_ERASED,),
            )
            (position,) = cur.fetchone()
        family = GaugeMetricFamily(
            "kentra_erasure_position",
            "Store position of the latest PersonalDataErased in the registries store (0: none)",
        )
        family.add_metric([], position)
        return [family]
