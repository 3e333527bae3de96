"""What heads of centre and the regional coordinator read: aggregates, never personal files."""

from __future__ import annotations

import base64
from datetime import date

from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import (
    ApiError,
    Call,
    FileBody,
    forbidden,
    route,
)

TAG = "reports"


@route("GET", "/sites/<site>/daily-register", "A centre's or mobile unit's daily register", tag=TAG)
def daily_register(call: Call):
    site = call.args["site"]
    if not access.see_aggregates(call.principal, site):
        raise forbidden(
            "the daily register is for the head of that centre and the regional coordinator"
        )
    return {"site": site, "days": call.backends.reporting.daily_activity(site)}


@route(
    "GET",
    "/overview",
    "The region at a glance: activity by site, referrals flow and response times",
    tag=TAG,
)
def overview(call: Call):
    if call.principal.role != "regional_coordinator":
        raise forbidden("the regional overview is for the regional coordinator")
    return {
        **call.backends.reporting.regional_overview(),  # suppressed by reporting: it leaves the centres
        "response_times": call.backends.referrals.response_times(None),
    }


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _one_site(call: Call) -> str | None:
    """A head of centre reads their own network's sites; the coordinator any site, or all."""
    site = call.query.get("site")
    if call.principal.role == "head_of_centre" and (
        site is None or site not in call.principal.network
    ):
        raise forbidden("the register of your own centre and its mobile units")
    if not access.see_aggregates(call.principal, site):
        raise forbidden()
    return site


@route(
    "GET",
    "/reports/daily-register",
    "The daily register (JSON, or a CSV or XLSX file in Greek); anything "
    "leaving a centre is suppressed",
    query={
        "site": "a site code (a head of centre: one of their own)",
        "since": "YYYY-MM-DD",
        "until": "YYYY-MM-DD",
        "format": "json (default), csv or xlsx",
    },
    tag=TAG,
)
def register_report(call: Call):
    site = _one_site(call)
    since, until, fmt = (
        call.query.get("since"),
        call.query.get("until"),
        call.query.get("format", "json"),
    )
    for name, value in (("since", since), ("until", until)):
        if value and not _is_date(value):
            raise ApiError(422, f"{name} must be a date YYYY-MM-DD", {name: value})
    external = (
        call.principal.role != "head_of_centre"
    )  # a head reads their own centre's figures in full
    if fmt == "json":
        return {
            "site": site,
            "suppressed": external,
            "rows": call.backends.reporting.daily_register(site, since, until, external),
        }
    if fmt not in FORMATS:
        raise ApiError(422, "format is json, csv or xlsx", {"format": fmt})
    content = call.backends.reporting.daily_register_file(fmt, site, since, until, external)
    return FileBody(
        base64.b64decode(content), FORMATS[fmt], f"imerisio-mitroo-{site or 'perifereia'}.{fmt}"
    )


@route(
    "GET",
    "/reports/esf",
    "ESF+ common indicators for participants per operation, by gender (Reg. (EU) "
    "2021/1057, Annex I), suppressed when they leave the centre",
    query={
        "operation": "the centre's site code",
        "year": "year of entry",
        "format": "json, csv or xlsx",
    },
    tag=TAG,
)
def esf_report(call: Call):
    operation, year, fmt = (
        call.query.get("operation"),
        call.query.get("year"),
        call.query.get("format", "json"),
    )
    if call.principal.role == "head_of_centre" and operation not in call.principal.network:
        raise forbidden("the indicators of your own centre's operation")
    if not access.see_aggregates(call.principal, operation):
        raise forbidden()
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise ApiError(422, "year is four digits", {"year": year})
    external = call.principal.role != "head_of_centre"
    year_ = int(year) if year else None
    if fmt == "json":
        found = call.backends.reporting.esf_indicators(operation, year_, external)
        return {
            "suppressed": external,
            "operations": found,
            "operation_mis": call.backends.reporting.operation_codes(),
        }
    if fmt not in FORMATS:
        raise ApiError(422, "format is json, csv or xlsx", {"format": fmt})
    content = call.backends.reporting.esf_indicators_file(fmt, operation, year_, external)
    return FileBody(
        base64.b64decode(content), FORMATS[fmt], f"deiktes-ekt-{operation or 'perifereia'}.{fmt}"
    )


@route(
    "GET",
    "/reports/coverage",
    "Beneficiaries per 1,000 residents and mobile-unit contacts, by municipality",
    tag=TAG,
)
def coverage(call: Call):
    if not access.see_aggregates(call.principal, None):
        raise forbidden()
    return {"municipalities": call.backends.reporting.coverage()}  # suppressed by reporting


@route(
    "GET",
    "/reports/referral-flow",
    "Referrals by agency and need: sent, accepted, rejected, expired, "
    "median days to response and outcome",
    tag=TAG,
)
def referral_flow(call: Call):
    if not access.see_aggregates(call.principal, None):
        raise forbidden()
    return {"flow": call.backends.reporting.referral_flow()}  # suppressed by reporting


@route("GET", "/reports/targets", "Each operation's new beneficiaries against its target", tag=TAG)
def targets(call: Call):
    if not access.see_aggregates(call.principal, None):
        raise forbidden()
    rows = call.backends.reporting.targets(None)
    if call.principal.role == "head_of_centre":
        rows = [r for r in rows if r["site"] in call.principal.network]
    return {"operations": rows}


@route(
    "GET",
    "/reports/caseload",
    "Distinct beneficiaries per staff member (a head of centre: their own sites)",
    query={"site": "a site code"},
    tag=TAG,
)
def caseload(call: Call):
    site = _one_site(call)
    return {"caseload": call.backends.reporting.caseload(site)}


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
