"""The reporting service's read model: one projection over every source, so one consumer, one
checkpoint and one rebuild keep all its tables in step."""

from __future__ import annotations

from pathlib import Path

from services.common.consumer import Projection, SourceEvent
from services.common.db import migrations_in
from services.reporting.adapters.projections.daily_activity import apply_daily_activity
from services.reporting.adapters.projections.esf import apply_esf, reset_esf
from services.reporting.adapters.projections.register import apply_register, reset_register


class ReportingModel(Projection):
    name = "reporting"
    opens_personal = True  # the ESF+ indicators need a participant's attributes (see esf.py)
    sources = ("registries", "intake", "referrals")
    migrations = migrations_in(Path(__file__).parent / "sql", "reporting_")

    def apply_batch(self, cur, events: list[SourceEvent]) -> None:
        apply_daily_activity(cur, events)
        apply_register(cur, events)
        apply_esf(cur, events)

    def reset(self, cur) -> None:
        cur.execute("DELETE FROM daily_activity")
        reset_register(cur)
        reset_esf(cur)
