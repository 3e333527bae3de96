"""What heads of centre and the regional coordinator read: aggregates, never personal files."""
from __future__ import annotations

import base64
from datetime import date

from services.common.privacy import small, suppress_small, suppress_table
from services.portal_gateway.adapters import timeline
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, FileBody, forbidden, route

TAG = "reports"


@route("GET", "/sites/<site>/daily-register", "A centre's or mobile unit's daily register", tag=TAG)
def daily_register(call: Call):
    site = call.args["site"]
    if not access.see_aggregates(call.principal, site):
        raise forbidden("the daily register is for the head of that centre and the regional coordinator")
    return {"site": site, "days": call.backends.reporting.daily_activity(site)}


@route("GET", "/overview", "The region at a glance: activity by site, referrals flow and response times", tag=TAG)
def overview(call: Call):
    if call.principal.role != "regional_coordinator":
        raise forbidden("the regional overview is for the regional coordinator")
    by_site: dict[str, int] = {}
    for row in call.backends.reporting.daily_activity(None):
        by_site[row["site"]] = by_site.get(row["site"], 0) + row["events"]
    open_referrals: dict[str, int] = {}
    for r in call.backends.referrals.open_referrals(None, None):
        key = f"{r['from_site']} -> {r['recipient_name']}"
        open_referrals[key] = open_referrals.get(key, 0) + 1
    # it leaves the centres: counts of 1-4 are shown as "<5"
    contacts = timeline.contacts_by_municipality(call.backends.timeline_db)
    return {"activity_by_site": suppress_small(by_site), "open_referrals_by_route": suppress_small(open_referrals),
            "contacts_by_municipality": suppress_small(contacts),
            "response_times": call.backends.referrals.response_times(None)}


FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _one_site(call: Call) -> str | None:
    """A head of centre reads their own network's sites; the coordinator any site, or all."""
    site = call.query.get("site")
    if call.principal.role == "head_of_centre" and (site is None or site not in call.principal.network):
        raise forbidden("the register of your own centre and its mobile units")
    if not access.see_aggregates(call.principal, site):
        raise forbidden()
    return site


@route("GET", "/reports/daily-register", "The daily register (JSON, or a CSV or XLSX file in Greek); anything "
       "leaving a centre is suppressed", query={"site": "a site code (a head of centre: one of their own)",
                                                "since": "YYYY-MM-DD", "until": "YYYY-MM-DD",
                                                "format": "json (default), csv or xlsx"}, tag=TAG)
def register_report(call: Call):
    site = _one_site(call)
    since, until, fmt = call.query.get("since"), call.query.get("until"), call.query.get("format", "json")
    for name, value in (("since", since), ("until", until)):
        if value and not _is_date(value):
            raise ApiError(422, f"{name} must be a date YYYY-MM-DD", {name: value})
    external = call.principal.role != "head_of_centre"  # a head reads their own centre's figures in full
    if fmt == "json":
        rows = call.backends.reporting.daily_register(site, since, until)
        return {"site": site, "suppressed": external, "rows": _suppressed(rows) if external else rows}
    if fmt not in FORMATS:
        raise ApiError(422, "format is json, csv or xlsx", {"format": fmt})
    content = call.backends.reporting.daily_register_file(fmt, site, since, until, external)
    return FileBody(base64.b64decode(content), FORMATS[fmt], f"imerisio-mitroo-{site or 'perifereia'}.{fmt}")


@route("GET", "/reports/esf", "ESF+ common indicators for participants per operation, by gender (Reg. (EU) "
       "2021/1057, Annex I), suppressed when they leave the centre",
       query={"operation": "the centre's site code", "year": "year of entry", "format": "json, csv or xlsx"}, tag=TAG)
def esf_report(call: Call):
    operation, year, fmt = call.query.get("operation"), call.query.get("year"), call.query.get("format", "json")
    if call.principal.role == "head_of_centre" and operation not in call.principal.network:
        raise forbidden("the indicators of your own centre's operation")
    if not access.see_aggregates(call.principal, operation):
        raise forbidden()
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise ApiError(422, "year is four digits", {"year": year})
    external = call.principal.role != "head_of_centre"
    year_ = int(year) if year else None
    if fmt == "json":
        found = call.backends.reporting.esf_indicators(operation, year_)
        if external:
            found = {op: suppress_table(table) for op, table in found.items()}
        return {"suppressed": external, "operations": found, "operation_mis": call.backends.reporting.operation_codes()}
    if fmt not in FORMATS:
        raise ApiError(422, "format is json, csv or xlsx", {"format": fmt})
    content = call.backends.reporting.esf_indicators_file(fmt, operation, year_, external)
    return FileBody(base64.b64decode(content), FORMATS[fmt], f"deiktes-ekt-{operation or 'perifereia'}.{fmt}")


@route("GET", "/reports/coverage", "Beneficiaries per 1,000 residents and mobile-unit contacts, by municipality",
       tag=TAG)
def coverage(call: Call):
    if not access.see_aggregates(call.principal, None):
        raise forbidden()
    rows = call.backends.reporting.coverage()
    for r in rows:
        hidden = small(r["beneficiaries"])  # the ratio would give the hidden count back
        r.update(suppress_small({k: r[k] for k in ("beneficiaries", "mobile_unit_contacts")}),
                 per_1000_residents=None if hidden else r["per_1000_residents"])
    return {"municipalities": rows}


@route("GET", "/reports/referral-flow", "Referrals by agency and need: sent, accepted, rejected, expired, "
       "median days to response and outcome", tag=TAG)
def referral_flow(call: Call):
    if not access.see_aggregates(call.principal, None):
        raise forbidden()
    rows = call.backends.reporting.referral_flow()
    for r in rows:
        counts = suppress_small({k: r[k] for k in ("sent", "accepted", "rejected", "expired")})
        if small(r["accepted"]) or small(r["rejected"]):
            r["acceptance_rate"] = None  # a rate of small counts would tell what "<5" hides
        r.update(counts)
    return {"flow": rows}


@route("GET", "/reports/targets", "Each operation's new beneficiaries against its target", tag=TAG)
def targets(call: Call):
    if not access.see_aggregates(call.principal, None):
        raise forbidden()
    rows = call.backends.reporting.targets(None)
    if call.principal.role == "head_of_centre":
        rows = [r for r in rows if r["site"] in call.principal.network]
    return {"operations": rows}


@route("GET", "/reports/caseload", "Distinct beneficiaries per staff member (a head of centre: their own sites)",
       query={"site": "a site code"}, tag=TAG)
def caseload(call: Call):
    site = _one_site(call)
    return {"caseload": call.backends.reporting.caseload(site)}


def _suppressed(rows: list[dict]) -> list[dict]:
    return [{**r, **suppress_small({"n": r["n"]})} for r in rows]


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
