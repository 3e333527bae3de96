"""The tables of each release, read from the reporting read model for one period: every row and
column listed (zeros too), so that what is left out cannot say anything.

- regional (a month): new beneficiaries by home municipality and site (with each centre's total:
  its mobile unit's included), contacts by municipality and site, contacts by channel and site
  (the same totals per site), services by type and site, and the referrals sent in the month by
  recipient and need and by sending site, each by its outcome as known when released;
- esf (a year): per operation, the ESF+ indicators by gender of the participants who entered in
  that year, with the relations between indicators that the regulation implies."""

from __future__ import annotations

from collections import Counter
from statistics import median

from contracts.geography import municipalities
from contracts.intake import CHANNELS, SERVICES
from services.reporting.adapters.projections import esf
from services.reporting.domain.disclosure import RULE
from services.reporting.domain.esf_indicators import GENDERS, INDICATORS, PARTITIONS
from services.reporting.domain.periods import Period
from services.reporting.domain.tables import RowRelation, Table

OTHER = "other"  # the row of the recipients outside the registry
OUTCOMES = ("accepted", "rejected", "expired", "withdrawn", "pending")
OUTCOME_OF = {
    "accepted": "accepted",
    "completed": "accepted",
    "rejected": "rejected",
    "expired": "expired",
    "withdrawn": "withdrawn",
}  # any other state: still waiting for an answer


def regional(cur, period: Period) -> tuple[list[Table], dict]:
    known, centre_of = _sites(cur)
    places = tuple(sorted(municipalities()))
    homes = _counts(
        cur,
        "SELECT municipality_code, site, count(*) FROM beneficiary_home"
        " WHERE registered_on BETWEEN %s AND %s GROUP BY 1, 2",
        (period.start, period.end),
    )
    register = _register(cur, period)
    flow = _referrals(cur, period)
    published = ("contacts_by_municipality", "contacts_by_channel", "services_by_type")
    seen = {s for _, s in homes} | {s for m, _, s in register if m in published} | flow["sites"]
    sites = tuple(sorted(set(known) | seen))
    rows = tuple(sorted(set(places) | {m for m, _ in homes}))
    groups = {
        c: tuple(s for s in sites if centre_of.get(s) == c) for c in sorted(set(centre_of.values()))
    }
    recipients = tuple(sorted(flow["rows"]))
    tables = [
        Table("new_beneficiaries", rows, sites, homes, column_groups=groups),
        Table(
            "contacts",
            _keys(register, "contacts_by_municipality", places),
            sites,
            _of(register, "contacts_by_municipality"),
        ),
        Table(
            "contacts_by_channel",
            _keys(register, "contacts_by_channel", CHANNELS),
            sites,
            _of(register, "contacts_by_channel"),
            totals_of="contacts",
        ),
        Table(
            "services",
            _keys(register, "services_by_type", SERVICES),
            sites,
            _of(register, "services_by_type"),
        ),
        Table("referrals_by_recipient", recipients, OUTCOMES, flow["by_recipient"]),
        Table(
            "referrals_by_site",
            sites,
            OUTCOMES,
            flow["by_site"],
            totals_of="referrals_by_recipient",
        ),
    ]
    extras = {
        "referral_medians": flow["medians"],
        "response_times": flow["region"],
        "centre_of": centre_of,  # the network, which is public: a mobile unit under its centre
    }
    return tables, extras


def esf_year(cur, period: Period) -> tuple[list[Table], dict]:
    found = esf.esf_indicators(cur, None, period.start.year)
    cur.execute("SELECT site FROM operation")
    operations = sorted({r[0] for r in cur.fetchall()} | set(found))
    relations = tuple(RowRelation(t, p, exact) for t, p, exact in PARTITIONS)
    tables = [
        Table(
            f"esf:{op}",
            tuple(INDICATORS),
            GENDERS,
            {(i, g): n for i, by_gender in found.get(op, {}).items() for g, n in by_gender.items()},
            column_totals=False,
            row_relations=relations,
        )
        for op in operations
    ]
    return tables, {}


def _sites(cur) -> tuple[list[str], dict[str, str]]:
    cur.execute("SELECT site, centre FROM site_centre")
    centre_of = dict(cur.fetchall())
    return sorted(centre_of), centre_of


def _counts(cur, sql: str, args: tuple) -> dict[tuple[str, str], int]:
    cur.execute(sql, args)
    return {(a, b): int(n) for a, b, n in cur.fetchall()}


def _register(cur, period: Period) -> dict[tuple[str, str, str], int]:
    """From the monthly totals: every period released is whole months (domain/periods.py)."""
    cur.execute(
        "SELECT measure, key, site, sum(n) FROM register_month WHERE month BETWEEN %s AND %s"
        " GROUP BY 1, 2, 3",
        (period.start, period.end),
    )
    return {(m, k, s): int(n) for m, k, s, n in cur.fetchall()}


def _of(register: dict, measure: str) -> dict[tuple[str, str], int]:
    return {(k, s): n for (m, k, s), n in register.items() if m == measure}


def _keys(register: dict, measure: str, known) -> tuple[str, ...]:
    return tuple(sorted(set(known) | {k for (m, k, _) in register if m == measure}))


def _row(kind: str, recipient: str, need: str) -> str:
    # one outside the registry is known only by what a worker typed: its codes are no recipient
    # to count, so they are counted together, apart, as "other"
    return f"{OTHER if kind == 'external' else recipient} · {need}"


def _referrals(cur, period: Period) -> dict:
    """Referrals sent in the period: rows (recipient's code · need) are every pair ever referred
    to, and columns every site that ever referred, so that a pair's absence says nothing about
    the period. Names are shown at read time."""
    cur.execute("SELECT DISTINCT recipient_kind, recipient_id, need FROM referral_flow")
    rows = {_row(*pair) for pair in cur.fetchall()}
    cur.execute("SELECT DISTINCT from_site FROM referral_flow")
    sites = {site for (site,) in cur.fetchall()}
    cur.execute(
        "SELECT recipient_kind, recipient_id, need, from_site, state, sent_on,"
        " first_response_on, closed_on FROM referral_flow WHERE sent_on BETWEEN %s AND %s",
        (period.start, period.end),
    )
    sent = [
        {
            "row": _row(kind, recipient, need),
            "site": site,
            "outcome": OUTCOME_OF.get(state, "pending"),
            "response": (answered - sent).days if answered else None,
            "outcome_days": (closed - sent).days
            if closed and state in ("completed", "rejected")
            else None,
        }
        for kind, recipient, need, site, state, sent, answered, closed in cur.fetchall()
    ]
    by_row: dict[str, list[dict]] = {}
    for r in sent:
        by_row.setdefault(r["row"], []).append(r)
    return {
        "rows": rows,
        "sites": sites,
        "by_recipient": Counter((r["row"], r["outcome"]) for r in sent),
        "by_site": Counter((r["site"], r["outcome"]) for r in sent),
        "medians": {row: _medians(rs) for row, rs in sorted(by_row.items())},
        "region": _medians(sent),
    }


def _medians(referrals: list[dict]) -> dict:
    """A median over fewer than the threshold's number of referrals would be one of them."""

    def of(values):
        values = [v for v in values if v is not None]
        return float(median(values)) if len(values) >= RULE.threshold else None

    return {
        "median_days_to_response": of(r["response"] for r in referrals),
        "median_days_to_outcome": of(r["outcome_days"] for r in referrals),
    }
