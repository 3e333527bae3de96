"""The reporting service's read model: one projection over every source, so one consumer, one
checkpoint and one rebuild keep all its tables in step."""

from __future__ import annotations

from pathlib import Path

from services.common.config import MissingSecret
from services.common.consumer import Projection, SourceEvent
from services.common.db import migrations_in
from services.reporting.adapters.projections.daily_activity import apply_daily_activity
from services.reporting.adapters.projections.esf import apply_esf, reset_esf
from services.reporting.adapters.projections.register import apply_register, reset_register
from services.reporting.adapters.pseudonyms import Pseudonyms


class ReportingModel(Projection):
    name = "reporting"
    opens_personal = True  # the ESF+ indicators need a participant's attributes (see esf.py)
    sources = ("registries", "intake", "referrals")
    migrations = migrations_in(Path(__file__).parent / "sql", "reporting_")

    def __init__(self, pseudonyms: Pseudonyms | None = None):
        self.pseudonyms = pseudonyms  # None: migrations and heads only (the migrate step, checks)

    def apply_batch(self, cur, events: list[SourceEvent]) -> None:
        if self.pseudonyms is None:
            raise MissingSecret("the reporting projection applies events only with its key")
        apply_daily_activity(cur, events)
        apply_register(cur, events, self.pseudonyms)
        apply_esf(cur, events, self.pseudonyms)

    def reset(self, cur) -> None:
        cur.execute("DELETE FROM daily_activity")
        reset_register(cur)
        reset_esf(cur)
