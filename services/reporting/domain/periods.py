"""The fixed periods figures are released for: a month (`2026-11`), a quarter (`2026-Q4`) or a
year (`2026`). Never an arbitrary window: two windows a day apart differ by that day's small counts.
A period is released once it has ended and `SETTLE_DAYS` have passed, so that a mobile unit's
late sync is in it; after that it never changes (application/releases.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from services.common.domain import DomainError

SETTLE_DAYS = 7  # a mobile unit syncs within a week (domain.md: poor connectivity, syncs later)
KINDS = ("month", "quarter", "year")
_FORMS = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "year": re.compile(r"^(\d{4})$"),
}


class NotReleased(DomainError):
    code = "not_found"


class BadPeriod(DomainError):
    code = "invalid"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # the last day, inclusive
    kind: str

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def releasable(self, today: date, settle_days: int = SETTLE_DAYS) -> bool:
        return today > self.end + timedelta(days=settle_days)

    def previous(self) -> Period:
        return containing(self.start - timedelta(days=1), self.kind)


def parse(label: str, kind: str) -> Period:
    """The period a label names, which must be of the release's kind."""
    found = _FORMS[kind].match(str(label))
    if not found:
        example = {"month": "2026-11", "quarter": "2026-Q4", "year": "2026"}[kind]
        raise BadPeriod(f"these figures are released per {kind}: a period like {example}")
    year = int(found.group(1))
    if kind == "year":
        return containing(date(year, 1, 1), kind)
    month = int(found.group(2)) if kind == "month" else 3 * int(found.group(2)) - 2
    return containing(date(year, month, 1), kind)


def containing(day: date, kind: str) -> Period:
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), kind)
    first = day.month if kind == "month" else 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first, 1)
    after = first + (1 if kind == "month" else 3)
    following = date(day.year + (after > 12), (after - 1) % 12 + 1, 1)
    return Period(start, following - timedelta(days=1), kind)


def latest_releasable(kind: str, today: date, settle_days: int = SETTLE_DAYS) -> Period:
    period = containing(today, kind)
    while not period.releasable(today, settle_days):
        period = period.previous()
    return period


def requested(label: str | None, kind: str, today: date) -> Period:
    """The period asked for (the latest released when none is named); refused before it may be
    released, so that nobody sees a period while it can still change."""
    if label is None:
        return latest_releasable(kind, today)
    period = parse(label, kind)
    if not period.releasable(today):
        released_on = period.end + timedelta(days=SETTLE_DAYS + 1)
        raise NotReleased(
            f"{period.label} is released on {released_on.isoformat()}, once it has ended and"
            f" late records are in",
            released_on=released_on.isoformat(),
        )
    return period
