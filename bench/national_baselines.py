"""The region-wide reports as they were read before the reporting model kept totals (issue 17,
2026-12-04): every person's row grouped on each call. Timed in the same run as the totals that
replaced them, on the same rows, so that the national bench prints each new figure beside its
baseline. Not used by the services."""

from __future__ import annotations

from collections import Counter

from services.reporting.adapters.projections.esf import COUNTED_BY
from services.reporting.domain.esf_indicators import GENDERS, indicators_of
from services.reporting.domain.periods import Period


def caseload_of_every_site(cur) -> list:
    cur.execute(
        "SELECT staff_id, site, count(*) FROM caseload GROUP BY staff_id, site ORDER BY site, staff_id"
    )
    return cur.fetchall()


def targets(cur) -> list:
    cur.execute(
        "SELECT o.site, count(h.pseudonym) FILTER"
        " (WHERE h.registered_on BETWEEN o.period_start AND o.period_end)"
        " FROM operation o LEFT JOIN site_centre s ON s.centre = o.site"
        " LEFT JOIN beneficiary_home h ON h.site = s.site GROUP BY o.site ORDER BY o.site"
    )
    return cur.fetchall()


def register_of_a_period(cur, period: Period) -> list:
    cur.execute(
        "SELECT measure, key, site, sum(n) FROM register_count WHERE day BETWEEN %s AND %s"
        " GROUP BY 1, 2, 3",
        (period.start, period.end),
    )
    return cur.fetchall()


def every_referral(cur) -> list:
    cur.execute(
        "SELECT recipient_kind, recipient_id, need, from_site, state, sent_on,"
        " first_response_on, closed_on FROM referral_flow"
    )
    return cur.fetchall()


def esf_year(cur, year: int) -> dict:
    columns = ", ".join(f"p.{c}" for c in COUNTED_BY)
    cur.execute(
        f"SELECT {columns}, e.gender, count(*) FROM esf_participant p LEFT JOIN esf_person e"
        " USING (pseudonym) WHERE p.entered_on >= make_date(%s, 1, 1)"
        " AND p.entered_on < make_date(%s + 1, 1, 1)"
        f" GROUP BY {columns}, e.gender",
        (year, year),
    )
    counts: dict[str, Counter] = {}
    for *situation, gender, n in cur.fetchall():
        p = dict(zip(COUNTED_BY, situation, strict=True))
        gender = gender if gender in GENDERS else "unknown"
        for indicator in indicators_of(p):
            counts.setdefault(p["operation"], Counter())[(indicator, gender)] += n
    return counts
