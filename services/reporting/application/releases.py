"""Releases: the figures of one fixed period as they leave reporting, computed once and frozen.
The first request for a period that may be released (domain/periods.py) reads the read model,
puts every table of the release through the one disclosure-control step together, and records the
result (`ReleasePublished`); every later request for that period gets the same figures, so an
erasure or a late record afterwards changes nothing that was published and differencing two
answers for one period shows nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.common.clock import today_in_greece
from services.reporting.adapters import release_tables
from services.reporting.domain import periods
from services.reporting.domain.disclosure import HIDDEN, RULE, Rule, Solver
from services.reporting.domain.tables import publish

KINDS = {"regional": "month", "esf": "year"}  # each family has one kind of period: none overlap
BUILDERS = {"regional": release_tables.regional, "esf": release_tables.esf_year}


class Releases:
    def __init__(
        self,
        store,  # adapters/release_store.ReleaseStore, or a fake: find(family, period), record(r)
        read_model,  # a Database: transaction() -> cursor
        solver: Solver,
        today: Callable[[], date] = today_in_greece,
        rule: Rule = RULE,
    ):
        self.store, self.read_model, self.solver = store, read_model, solver
        self.today, self.rule = today, rule

    def get(self, family: str, period: str | None = None) -> dict:
        wanted = periods.requested(period, KINDS[family], self.today())
        return self.store.find(family, wanted.label) or self._release(family, wanted)

    def months(self, first: date, last: periods.Period) -> list[dict]:
        """Every regional release from the month of `first` through `last`."""
        found, month = [], last
        while month.end >= first:
            found.append(self.get("regional", month.label))
            month = month.previous()
        return found[::-1]

    def _release(self, family: str, period: periods.Period) -> dict:
        with self.read_model.transaction() as cur:
            tables, extras = BUILDERS[family](cur, period)
        published = publish(tables, self.solver, self.rule)
        return self.store.record(
            {
                "family": family,
                "period": period.label,
                "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                "rule": self.rule.as_dict(),
                "tables": published["tables"],
                "extras": _only_beside_shown_counts(extras, published["tables"]),
                "cells": published["cells"],
                "hidden": published["hidden"],
            }
        )


def _only_beside_shown_counts(extras: dict, tables: dict) -> dict:
    """A median says its group holds at least the threshold's number: shown only where the
    group's count is shown anyway, so that it narrows no hidden cell."""
    if "referral_medians" not in extras:
        return extras
    counts = tables["referrals_by_recipient"]
    blank = {"median_days_to_response": None, "median_days_to_outcome": None}
    return {
        **extras,
        "referral_medians": {
            row: (m if counts["row_totals"].get(row, HIDDEN) != HIDDEN else blank)
            for row, m in extras["referral_medians"].items()
        },
        "response_times": extras["response_times"] if counts["total"] != HIDDEN else blank,
    }
