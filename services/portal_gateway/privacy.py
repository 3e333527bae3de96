"""Small-cell suppression for aggregates that leave a centre: a count of 1 to 4 could point at a
person, so it is shown as "<5". (Secondary suppression of totals comes with the reporting work.)"""
from __future__ import annotations

SMALL = "<5"


def suppress_small(counts: dict[str, int]) -> dict[str, int | str]:
    return {k: (SMALL if 0 < v < 5 else v) for k, v in counts.items()}
