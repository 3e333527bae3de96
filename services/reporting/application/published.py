"""The figures as they leave reporting. Whoever reads them from outside a centre (`external`: the
regional coordinator, a national report, a file) gets them through the one disclosure-control
step (domain/disclosure.py); a head of centre reading their own centre's figures gets them whole.
Who counts as external is the caller's access decision; what is hidden is decided only here."""

from __future__ import annotations

from services.reporting.adapters import queries
from services.reporting.adapters.projections import esf
from services.reporting.domain.disclosure import small, suppress_small, suppress_table


def daily_register(
    cur, site: str | None, since: str | None, until: str | None, external: bool
) -> list[dict]:
    rows = queries.daily_register(cur, site, since, until)
    return [{**r, **suppress_small({"n": r["n"]})} for r in rows] if external else rows


def esf_indicators(cur, operation: str | None, year: int | None, external: bool) -> dict:
    found = esf.esf_indicators(cur, operation, year)
    return {op: suppress_table(table) for op, table in found.items()} if external else found


def coverage(cur) -> list[dict]:
    """Always leaves a centre (it spans the region)."""
    rows = queries.coverage(cur)
    for r in rows:
        hidden = small(r["beneficiaries"])  # the ratio would give the hidden count back
        r.update(
            suppress_small({k: r[k] for k in ("beneficiaries", "mobile_unit_contacts")}),
            per_1000_residents=None if hidden else r["per_1000_residents"],
        )
    return rows


def referral_flow(cur) -> list[dict]:
    """Always leaves a centre (it spans the region)."""
    rows = queries.referral_flow(cur)
    for r in rows:
        counts = suppress_small({k: r[k] for k in ("sent", "accepted", "rejected", "expired")})
        if small(r["accepted"]) or small(r["rejected"]):
            r["acceptance_rate"] = None  # a rate of small counts would tell what "<5" hides
        r.update(counts)
    return rows


def regional_overview(cur) -> dict:
    """The region at a glance, for the coordinator: always leaves a centre."""
    overview = queries.regional_overview(cur)
    return {name: suppress_small(counts) for name, counts in overview.items()}
