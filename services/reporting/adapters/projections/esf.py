"""The ESF+ common indicators for participants (Regulation (EU) 2021/1057, Annex I, points 1.1
and 1.2, with the immediate and longer-term results): who entered each operation, counted once,
broken down by gender. Rows are keyed by the person's pseudonym (adapters/pseudonyms.py) and keep
an age band at entry, not a birth date. The indicator names are the regulation's words; the
Commission's codes are not used until checked against the text (domain.md)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import psycopg2.extras

from contracts.names import (
    BENEFICIARY_REGISTERED,
    CASE_CLOSED,
    FOLLOW_UP_RECORDED,
    NEEDS_ASSESSED,
    PERSONAL_DATA_ERASED,
)
from services.common.consumer import SourceEvent
from services.reporting.adapters.pseudonyms import Pseudonyms
from services.reporting.domain.esf_indicators import (
    EU,
    GENDERS,
    INDICATORS,
    age_band,
    indicators_of,
)

# what may change a participant's row or the gender it is counted under
CHANGES_PARTICIPANTS = {
    BENEFICIARY_REGISTERED,
    NEEDS_ASSESSED,
    CASE_CLOSED,
    FOLLOW_UP_RECORDED,
    PERSONAL_DATA_ERASED,
}


def apply_esf(cur, events: list[SourceEvent], pseudonyms: Pseudonyms) -> None:
    """Registrations first, in one statement, then the birth dates every entry of the batch needs
    in one more, then the rest in order: the same rows as event by event (an entry met before its
    person's registration gets its band either way), without two statements per person."""
    ours = [
        (e, pseudonyms.of(e.data["beneficiary_id"]), e.personal or {})
        for e in events
        if "beneficiary_id" in e.data
    ]
    # the indicators' totals move by what the batch changed of the people it touched: their rows
    # counted before and after, by the same rules as a count of every row
    touched = {w for e, w, _ in ours if e.type in CHANGES_PARTICIPANTS}
    before = _counted(cur, touched)
    _registered(cur, pseudonyms, [(w, p) for e, w, p in ours if e.type == BENEFICIARY_REGISTERED])
    born = _born(cur, pseudonyms, {w for e, w, p in ours if e.type == NEEDS_ASSESSED and p})
    for e, who, person in ours:
        d = e.data
        if e.type == PERSONAL_DATA_ERASED:
            cur.execute("DELETE FROM esf_person WHERE pseudonym = %s", (who,))
            cur.execute("DELETE FROM esf_participant WHERE pseudonym = %s", (who,))
            born.pop(who, None)
        elif e.type == NEEDS_ASSESSED and person:
            _entered(cur, who, born.get(who), e, person)
        elif e.type == CASE_CLOSED and person.get("situation_at_exit"):
            cur.execute(
                "UPDATE esf_participant SET left_on = %s, situation_at_exit = %s WHERE pseudonym = %s",
                (d["closed_on"], person["situation_at_exit"], who),
            )
        elif e.type == FOLLOW_UP_RECORDED and person:
            cur.execute(
                "UPDATE esf_participant SET employed_6m = %s, improved_6m = %s WHERE pseudonym = %s",
                (person["employed"], person["improved_situation"], who),
            )
    moved = _counted(cur, touched)
    moved.subtract(before)
    if any(moved.values()):
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO esf_count (operation, entry_year, indicator, gender, n) VALUES %s"
            " ON CONFLICT (operation, entry_year, indicator, gender)"
            " DO UPDATE SET n = esf_count.n + EXCLUDED.n",
            [(*k, n) for k, n in sorted(moved.items()) if n],
            page_size=1000,
        )


def _counted(cur, people: set[str]) -> Counter:
    """(operation, year of entry, indicator, gender) -> how many of these people count there."""
    found: Counter = Counter()
    if not people:
        return found
    columns = ", ".join(f"p.{c}" for c in COUNTED_BY)
    cur.execute(
        f"SELECT {columns}, p.entered_on, e.gender FROM esf_participant p"
        " LEFT JOIN esf_person e USING (pseudonym) WHERE p.pseudonym = ANY(%s)",
        (sorted(people),),
    )
    for *situation, entered_on, gender in cur.fetchall():
        p = dict(zip(COUNTED_BY, situation, strict=True))
        gender = gender if gender in GENDERS else "unknown"
        for indicator in indicators_of(p):
            found[(p["operation"], entered_on.year, indicator, gender)] += 1
    return found


def _registered(cur, pseudonyms: Pseudonyms, registered: list[tuple[str, dict]]) -> None:
    if not registered:
        return
    psycopg2.extras.execute_values(
        cur,
        "INSERT INTO esf_person VALUES %s ON CONFLICT DO NOTHING",
        [
            (who, person.get("gender"), pseudonyms.seal_date(who, person.get("birth_date")))
            for who, person in registered
        ],
    )
    born = {who: person["birth_date"] for who, person in registered if person.get("birth_date")}
    # entries applied before the registration (another source's queue) get their band now
    cur.execute(
        "SELECT pseudonym, operation, entered_on FROM esf_participant"
        " WHERE pseudonym = ANY(%s) AND age_band IS NULL",
        (sorted(born),),
    )
    for who, operation, entered_on in cur.fetchall():
        cur.execute(
            "UPDATE esf_participant SET age_band = %s WHERE pseudonym = %s AND operation = %s",
            (age_band(date.fromisoformat(str(born[who])), entered_on), who, operation),
        )


def _born(cur, pseudonyms: Pseudonyms, entering: set[str]) -> dict[str, date | None]:
    if not entering:
        return {}
    cur.execute(
        "SELECT pseudonym, born_sealed FROM esf_person WHERE pseudonym = ANY(%s)",
        (sorted(entering),),
    )
    return {who: pseudonyms.open_date(who, sealed) for who, sealed in cur.fetchall()}


def _entered(cur, who: str, born: date | None, e: SourceEvent, person: dict) -> None:
    entered_on = date.fromisoformat(str(e.data["assessed_on"]))
    site = e.metadata.get("site")
    cur.execute(
        "INSERT INTO esf_participant (pseudonym, operation, entered_on, age_band, labour_status,"
        " education, disability, third_country, foreign_background, minority, homeless, rural)"
        " SELECT %s, coalesce((SELECT centre FROM site_centre WHERE site = %s), %s), %s, %s, %s, %s,"
        " %s, %s, %s, %s, %s, %s ON CONFLICT DO NOTHING",  # the first entry counts: once
        (
            who,
            site,
            site,
            entered_on,
            age_band(born, entered_on),
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


def reset_esf(cur) -> None:
    cur.execute("DELETE FROM esf_participant; DELETE FROM esf_person; DELETE FROM esf_count")


# what indicators_of reads of a participant, with the operation it is counted for
COUNTED_BY = (
    "operation",
    "education",
    "labour_status",
    "age_band",
    "disability",
    "third_country",
    "foreign_background",
    "minority",
    "homeless",
    "rural",
    "situation_at_exit",
    "employed_6m",
    "improved_6m",
)


def esf_indicators(cur, operation: str | None = None, year: int | None = None) -> dict:
    """operation -> indicator -> gender -> participants (entered in `year`, when given), from the
    totals the projection keeps: a few thousand rows whatever the number of participants."""
    cur.execute(
        "SELECT operation, indicator, gender, sum(n) FROM esf_count"
        " WHERE (%s::text IS NULL OR operation = %s) AND (%s::int IS NULL OR entry_year = %s)"
        " GROUP BY 1, 2, 3 HAVING sum(n) > 0",
        (operation, operation, year, year),
    )
    counts: dict[str, Counter] = {}
    for op, indicator, gender, n in cur.fetchall():
        counts.setdefault(op, Counter())[(indicator, gender)] = int(n)
    return {
        op: {i: {g: c[(i, g)] for g in GENDERS} for i in INDICATORS}
        for op, c in sorted(counts.items())
    }


def operation_codes(cur) -> dict[str, str]:
    """The centre's site -> its operation's MIS code (from the network's events)."""
    cur.execute("SELECT site, operation_mis FROM operation")
    return dict(cur.fetchall())
