"""What heads of centre and the regional coordinator read: aggregates, never personal files.
Reporting suppresses what leaves a centre; the gateway only says, from the caller's access,
whether it does."""

from __future__ import annotations

import base64

from marshmallow import fields, validate

from contracts.base import StrictSchema
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import Call, FileBody, Routes, forbidden

api = Routes()

TAG = "reports"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class SiteQuery(StrictSchema):
    site = fields.String(
        metadata={"description": "a site code (a head of centre: one of their own)"}
    )


class RegisterQuery(SiteQuery):
    since = fields.Date(metadata={"description": "the first day, YYYY-MM-DD"})
    until = fields.Date(metadata={"description": "the last day, YYYY-MM-DD"})
    format = fields.String(load_default="json", validate=validate.OneOf(["json", *FORMATS]))


class EsfQuery(StrictSchema):
    operation = fields.String(metadata={"description": "the centre's site code"})
    year = fields.Integer(
        validate=validate.Range(2000, 2100), metadata={"description": "year of entry"}
    )
    format = fields.String(load_default="json", validate=validate.OneOf(["json", *FORMATS]))


@api.route(
    "GET", "/sites/<site>/daily-register", "A centre's or mobile unit's daily register", tag=TAG
)
def daily_register(call: Call):
    site = call.args["site"]
    if not access.see_aggregates(call.principal, site):
        raise forbidden(
            "the daily register is for the head of that centre and the regional coordinator"
        )
    return {"site": site, "days": call.backends.reporting.daily_activity(site)}


@api.route(
    "GET",
    "/overview",
    "The region at a glance: activity by site, referrals flow and response times",
    tag=TAG,
    allow=access.see_regional_overview,
)
def overview(call: Call):
    return {
        **call.backends.reporting.regional_overview(),  # suppressed by reporting: it leaves the centres
        "response_times": call.backends.referrals.response_times(None),
    }


def _site(call: Call, key: str) -> str | None:
    site = call.query.get(key)
    if not access.see_site_figures(call.principal, site):
        raise forbidden("the figures of your own centre and its mobile units")
    return site


def _day(value) -> str | None:
    return value.isoformat() if value else None


@api.route(
    "GET",
    "/reports/daily-register",
    "The daily register (JSON, or a CSV or XLSX file in Greek); anything leaving a centre is "
    "suppressed",
    query=RegisterQuery,
    tag=TAG,
)
def register_report(call: Call):
    site, fmt = _site(call, "site"), call.query["format"]
    since, until = _day(call.query.get("since")), _day(call.query.get("until"))
    external = access.figures_leave_the_centre(call.principal)
    if fmt == "json":
        rows = call.backends.reporting.daily_register(site, since, until, external)
        return {"site": site, "suppressed": external, "rows": rows}
    content = call.backends.reporting.daily_register_file(fmt, site, since, until, external)
    return FileBody(
        base64.b64decode(content), FORMATS[fmt], f"imerisio-mitroo-{site or 'perifereia'}.{fmt}"
    )


@api.route(
    "GET",
    "/reports/esf",
    "ESF+ common indicators for participants per operation, by gender (Reg. (EU) 2021/1057, "
    "Annex I), suppressed when they leave the centre",
    query=EsfQuery,
    tag=TAG,
)
def esf_report(call: Call):
    operation, year, fmt = _site(call, "operation"), call.query.get("year"), call.query["format"]
    external = access.figures_leave_the_centre(call.principal)
    if fmt == "json":
        found = call.backends.reporting.esf_indicators(operation, year, external)
        codes = call.backends.reporting.operation_codes()
        return {"suppressed": external, "operations": found, "operation_mis": codes}
    content = call.backends.reporting.esf_indicators_file(fmt, operation, year, external)
    return FileBody(
        base64.b64decode(content), FORMATS[fmt], f"deiktes-ekt-{operation or 'perifereia'}.{fmt}"
    )


@api.route(
    "GET",
    "/reports/coverage",
    "Beneficiaries per 1,000 residents and mobile-unit contacts, by municipality",
    tag=TAG,
    allow=access.see_regional_figures,
)
def coverage(call: Call):
    return {"municipalities": call.backends.reporting.coverage()}  # suppressed by reporting


@api.route(
    "GET",
    "/reports/referral-flow",
    "Referrals by agency and need: sent, accepted, rejected, expired, median days to response "
    "and outcome",
    tag=TAG,
    allow=access.see_regional_figures,
)
def referral_flow(call: Call):
    return {"flow": call.backends.reporting.referral_flow()}  # suppressed by reporting


@api.route(
    "GET",
    "/reports/targets",
    "Each operation's new beneficiaries against its target",
    tag=TAG,
    allow=access.see_regional_figures,
)
def targets(call: Call):
    rows = call.backends.reporting.targets(None)
    return {"operations": [r for r in rows if access.see_aggregates(call.principal, r["site"])]}


@api.route(
    "GET",
    "/reports/caseload",
    "Distinct beneficiaries per staff member (a head of centre: their own sites)",
    query=SiteQuery,
    tag=TAG,
)
def caseload(call: Call):
    return {"caseload": call.backends.reporting.caseload(_site(call, "site"))}
