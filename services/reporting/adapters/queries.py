"""The reports, read from the reporting tables: the daily register, caseloads, coverage by
municipality, the referral flow and each operation's target. Counts only."""

from __future__ import annotations

from datetime import date

from contracts.geography import municipalities


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


def coverage(cur) -> list[dict]:
    """Per municipality: beneficiaries living there per 1,000 residents (2021 census) and the
    mobile units' contacts there: no one should be served worse for living far away."""
    homes = dict(_pairs(cur, "SELECT municipality_code, count(*) FROM beneficiary_home GROUP BY 1"))
    visits = dict(
        _pairs(
            cur,
            "SELECT key, sum(n) FROM register_count WHERE measure = 'contacts_by_municipality'"
            " AND site LIKE 'MU-%%' GROUP BY 1",
        )
    )
    found = []
    for code, m in municipalities().items():
        people = homes.get(code, 0)
        per_1000 = round(1000 * people / m.population_2021, 2) if m.population_2021 else None
        found.append(
            {
                "municipality_code": code,
                "name_el": m.name_el,
                "regional_unit": m.regional_unit,
                "population_2021": m.population_2021,
                "beneficiaries": people,
                "per_1000_residents": per_1000,
                "mobile_unit_contacts": int(visits.get(code, 0)),
            }
        )
    return found


def referral_flow(cur) -> list[dict]:
    rows = _rows(
        cur,
        """
        SELECT recipient_kind, recipient_id, recipient_name, need,
               count(*) FILTER (WHERE sent_on IS NOT NULL) AS sent,
               count(*) FILTER (WHERE state IN ('accepted', 'completed')) AS accepted,
               count(*) FILTER (WHERE state = 'rejected') AS rejected,
               count(*) FILTER (WHERE state = 'expired') AS expired,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_on - sent_on) AS median_days_to_response,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - sent_on)
                   FILTER (WHERE state IN ('completed', 'rejected')) AS median_days_to_outcome
        FROM referral_flow GROUP BY 1, 2, 3, 4 ORDER BY recipient_name, need""",
    )
    for r in rows:  # of those answered (accepted or rejected)
        answered = r["accepted"] + r["rejected"]
        r["acceptance_rate"] = round(r["accepted"] / answered, 3) if answered else None
    return rows


def targets(cur, on: date) -> list[dict]:
    """Each operation's new beneficiaries (its centre and mobile units) against its target, with
    how much of its period has passed."""
    found = _rows(
        cur,
        """
        SELECT o.site, o.operation_mis, o.period_start, o.period_end, o.target,
               count(h.beneficiary_id) FILTER (WHERE h.registered_on BETWEEN o.period_start AND o.period_end)
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


def regional_overview(cur) -> dict[str, dict[str, int]]:
    """Activity by site, referrals still open by route (sending site -> recipient), and contacts
    by municipality: the counts behind the coordinator's overview."""
    return {
        "activity_by_site": dict(
            _pairs(cur, "SELECT site, sum(events)::int FROM daily_activity GROUP BY 1 ORDER BY 1")
        ),
        "open_referrals_by_route": dict(
            _pairs(
                cur,
                "SELECT from_site || ' -> ' || recipient_name, count(*)::int"
                " FROM referral_flow WHERE state IN ('requested', 'sent',"
                " 'received', 'accepted') GROUP BY 1 ORDER BY 1",
            )
        ),
        "contacts_by_municipality": dict(
            _pairs(
                cur,
                "SELECT key, sum(n)::int FROM register_count"
                " WHERE measure = 'contacts_by_municipality' GROUP BY 1 ORDER BY 1",
            )
        ),
    }


def _pairs(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()
