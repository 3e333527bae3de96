"""A centre's own figures, read live from the reporting tables: the daily register, caseloads
and each operation's target. They never leave the centre as they are: what leaves is a release
(adapters/release_tables.py, application/releases.py)."""

from __future__ import annotations

from datetime import date

from services.reporting.adapters.pseudonyms import Pseudonyms


def _rows(cur, sql: str, args: tuple = ()) -> list[dict]:
    cur.execute(sql, args)
    names = [c.name for c in cur.description]
    return [
        {
            k: (
                v.isoformat()
                if isinstance(v, date)
                else float(v)
                if k.startswith("median") and v is not None
                else v
            )
            for k, v in zip(names, row, strict=True)
        }
        for row in cur.fetchall()
    ]


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
        "SELECT staff_id, site, count(*) AS beneficiaries FROM caseload"
        " WHERE (%s::text IS NULL OR site = %s) GROUP BY staff_id, site ORDER BY site, staff_id",
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
    found = _rows(
        cur,
        """
        SELECT o.site, o.operation_mis, o.period_start, o.period_end, o.target,
               count(h.pseudonym) FILTER (WHERE h.registered_on BETWEEN o.period_start AND o.period_end)
                   AS new_beneficiaries
        FROM operation o LEFT JOIN site_centre s ON s.centre = o.site
        LEFT JOIN beneficiary_home h ON h.site = s.site
        GROUP BY o.site, o.operation_mis, o.period_start, o.period_end, o.target ORDER BY o.site""",
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
