"""The ESF+ common indicators for participants (Regulation (EU) 2021/1057, Annex I, points 1.1
and 1.2, with the immediate and longer-term results): who entered each operation, counted once,
broken down by gender. The indicator names are the regulation's words; the Commission's codes
are not used until checked against the text (domain.md)."""

from __future__ import annotations

from collections import Counter

from contracts.names import (
    BENEFICIARY_REGISTERED,
    CASE_CLOSED,
    FOLLOW_UP_RECORDED,
    NEEDS_ASSESSED,
    PERSONAL_DATA_ERASED,
)
from services.common.consumer import SourceEvent
from services.reporting.domain.esf_indicators import EU, GENDERS, INDICATORS, indicators_of


def apply_esf(cur, events: list[SourceEvent]) -> None:
    for e in events:
        person, d = e.personal or {}, e.data
        if e.type == BENEFICIARY_REGISTERED:
            cur.execute(
                "INSERT INTO esf_person VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (d["beneficiary_id"], person.get("gender"), person.get("birth_date")),
            )
        elif e.type == PERSONAL_DATA_ERASED:
            cur.execute("DELETE FROM esf_person WHERE beneficiary_id = %s", (d["beneficiary_id"],))
            cur.execute(
                "DELETE FROM esf_participant WHERE beneficiary_id = %s", (d["beneficiary_id"],)
            )
        elif e.type == NEEDS_ASSESSED and person:
            cur.execute(
                "INSERT INTO esf_participant (beneficiary_id, operation, entered_on, labour_status, education,"
                " disability, third_country, foreign_background, minority, homeless, rural)"
                " SELECT %s, coalesce((SELECT centre FROM site_centre WHERE site = %s), %s), %s, %s, %s, %s, %s, %s,"
                " %s, %s, %s ON CONFLICT DO NOTHING",  # the first entry counts: a participant who comes back, once
                (
                    d["beneficiary_id"],
                    e.metadata.get("site"),
                    e.metadata.get("site"),
                    d["assessed_on"],
                    person["labour_status"],
                    person["education"],
                    person["disability"],
                    person["citizenship"].upper() not in EU,
                    person["foreign_background"],
                    "roma" in person["groups"],
                    "homeless" in person["groups"],
                    person["rural"],
                ),
            )
        elif e.type == CASE_CLOSED and person.get("situation_at_exit"):
            cur.execute(
                "UPDATE esf_participant SET left_on = %s, situation_at_exit = %s WHERE beneficiary_id = %s",
                (d["closed_on"], person["situation_at_exit"], d["beneficiary_id"]),
            )
        elif e.type == FOLLOW_UP_RECORDED and person:
            cur.execute(
                "UPDATE esf_participant SET employed_6m = %s, improved_6m = %s WHERE beneficiary_id = %s",
                (person["employed"], person["improved_situation"], d["beneficiary_id"]),
            )


def reset_esf(cur) -> None:
    cur.execute("DELETE FROM esf_participant; DELETE FROM esf_person")


def esf_indicators(cur, operation: str | None = None, year: int | None = None) -> dict:
    """operation -> indicator -> gender -> participants (entered in `year`, when given)."""
    cur.execute(
        "SELECT p.*, e.gender, e.birth_date FROM esf_participant p LEFT JOIN esf_person e"
        " USING (beneficiary_id) WHERE (%s::text IS NULL OR p.operation = %s)"
        " AND (%s::int IS NULL OR extract(year FROM p.entered_on) = %s)",
        (operation, operation, year, year),
    )
    names = [c.name for c in cur.description]
    counts: dict[str, Counter] = {}
    for row in cur.fetchall():
        p = dict(zip(names, row, strict=True))
        gender = p["gender"] if p["gender"] in GENDERS else "unknown"
        for indicator in indicators_of(p, p["birth_date"]):
            counts.setdefault(p["operation"], Counter())[(indicator, gender)] += 1
    return {
        op: {i: {g: c[(i, g)] for g in GENDERS} for i in INDICATORS}
        for op, c in sorted(counts.items())
    }


def operation_codes(cur) -> dict[str, str]:
    """The centre's site -> its operation's MIS code (from the network's events)."""
    cur.execute("SELECT site, operation_mis FROM operation")
    return dict(cur.fetchall())
