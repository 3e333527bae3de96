"""A centre's own figures, read live from the reporting tables: the daily register, caseloads
and each operation's target. They never leave the centre as they are: what leaves is a release
(adapters/release_tables.py, application/releases.py)."""

from __future__ import annotations

from datetime import date

from psycopg2.extensions import DATE as DATE_TYPE  # its OIDs: the columns to put in ISO form

from services.reporting.adapters.pseudonyms import Pseudonyms


def _rows(cur, sql: str, args: tuple = ()) -> list[dict]:
    """Rows as dicts, dates in ISO form and medians as floats (RPC carries JSON). Only those
    columns are converted: a month of the region's register is some 100,000 rows."""
    cur.execute(sql, args)
    names = [c.name for c in cur.description]
    dates = [
        n for n, c in zip(names, cur.description, strict=True) if c.type_code in DATE_TYPE.values
    ]
    medians = [n for n in names if n.startswith("median")]
    found = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in found if dates or medians else ():
        for n in dates:
            row[n] = row[n] and row[n].isoformat()
        for n in medians:
            row[n] = None if row[n] is None else float(row[n])
    return found


def daily_register(
    cur, site: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict]:
    return _rows(
        cur,
        "SELECT day, site, measure, key, n FROM register_count"
        " WHERE (%s::text IS NULL OR site = %s) AND (%s::date IS NULL OR day >= %s::date)"
        " AND (%s::date IS NULL OR day <= %s::date) ORDER BY day, site, measure, key",
        (site, site, since, since, until, until),
    )


def caseload(cur, site: str | None = None) -> list[dict]:
    return _rows(
        cur,
        "SELECT staff_id, site, beneficiaries FROM caseload_count"
        " WHERE (%s::text IS NULL OR site = %s) ORDER BY site, staff_id",
        (site, site),
    )


def operations(cur) -> list[dict]:
    """The operations and their targets: facts of the network, not counts of people."""
    return _rows(
        cur,
        "SELECT site, operation_mis, period_start, period_end, target FROM operation ORDER BY site",
    )


def targets(cur, on: date) -> list[dict]:
    """Each operation's new beneficiaries (its centre and mobile units) against its target, with
    how much of its period has passed."""
    # An operation's whole months from the monthly totals, its partial first and last months
    # from the homes themselves (a range of one site's index each): the same count as grouping
    # every person's home, without reading them. `whole_from` is the first month starting on or
    # after the period's start, `whole_until` the first not ending inside it.
    found = _rows(
        cur,
        """
        WITH op AS (
            SELECT o.*, s.site AS counted_site,
                   (date_trunc('month', (o.period_start - 1)::timestamp) + interval '1 month')::date AS whole_from,
                   date_trunc('month', (o.period_end + 1)::timestamp)::date AS whole_until
            FROM operation o LEFT JOIN site_centre s ON s.centre = o.site
        ), edges AS (
            SELECT op.*, least(whole_from, period_end + 1) AS head_until,
                   greatest(whole_until, least(whole_from, period_end + 1)) AS tail_from
            FROM op
        )
        SELECT site, operation_mis, period_start, period_end, target,
               coalesce(sum(
                   (SELECT coalesce(sum(m.n), 0) FROM home_month m WHERE m.site = counted_site
                      AND m.month >= whole_from AND m.month < whole_until)
                 + (SELECT count(*) FROM beneficiary_home h WHERE h.site = counted_site
                      AND h.registered_on >= period_start AND h.registered_on < head_until)
                 + (SELECT count(*) FROM beneficiary_home h WHERE h.site = counted_site
                      AND h.registered_on >= tail_from AND h.registered_on <= period_end)
               ), 0)::bigint AS new_beneficiaries
        FROM edges
        GROUP BY site, operation_mis, period_start, period_end, target ORDER BY site""",
    )
    for row in found:
        start, end = date.fromisoformat(row["period_start"]), date.fromisoformat(row["period_end"])
        row["period_elapsed"] = round(
            min(max((on - start).days / max((end - start).days, 1), 0), 1), 3
        )
        row["share_of_target"] = (
            round(row["new_beneficiaries"] / row["target"], 3) if row["target"] else None
        )
    return found


# the tables that hold a row per person, by pseudonym (the others hold counts): what a person's
# Art. 15 request must show of this read model
PERSON_TABLES = ("caseload", "beneficiary_home", "esf_person", "esf_participant")


def held_about(cur, beneficiary_ids: list[str], pseudonyms: Pseudonyms) -> dict[str, list[dict]]:
    """Each row with the id it was asked by beside its pseudonym, and the sealed birth date
    opened: what is held, said plainly to the person it is about."""
    whose = {pseudonyms.of(b): str(b) for b in beneficiary_ids}

    def plain(row: dict) -> dict:
        sealed = row.pop("born_sealed", None)
        found = {"beneficiary_id": whose[row["pseudonym"]], **row}
        if "gender" in row:  # esf_person
            born = pseudonyms.open_date(row["pseudonym"], sealed)
            found["birth_date"] = born.isoformat() if born else None
        return found

    return {
        table: [
            plain(row)
            for row in _rows(
                cur,
                f"SELECT * FROM {table} WHERE pseudonym = ANY(%s)",  # table names are the constants above
                (list(whose),),
            )
        ]
        for table in PERSON_TABLES
    }
