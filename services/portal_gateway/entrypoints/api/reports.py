"""What heads of centre and the regional coordinator read: aggregates, never personal files.
What leaves a centre is read from reporting's frozen release of a fixed period (a month; a year
for the ESF+ indicators), suppressed there; a head reading their own network gets it live and
whole. The gateway only says, from the caller's access, which of the two it is."""

from __future__ import annotations

import base64

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import (
    ApiError,
    Call,
    FileBody,
    Routes,
    forbidden,
)

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


MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="a month, e.g. 2026-10")


class PeriodQuery(StrictSchema):
    period = fields.String(
        validate=MONTH,
        metadata={"description": "the released month, YYYY-MM (the latest released if not given)"},
    )


class RegisterQuery(SiteQuery, PeriodQuery):
    since = fields.Date(
        metadata={"description": "a head's own register only: the first day, YYYY-MM-DD"}
    )
    until = fields.Date(
        metadata={"description": "a head's own register only: the last day, YYYY-MM-DD"}
    )
    format = fields.String(load_default="json", validate=validate.OneOf(["json", *FORMATS]))


class EsfQuery(StrictSchema):
    operation = fields.String(metadata={"description": "the centre's site code"})
    year = fields.Integer(
        validate=validate.Range(2000, 2100),
        metadata={"description": "year of entry (released once the year is over)"},
    )
    format = fields.String(load_default="json", validate=validate.OneOf(["json", *FORMATS]))


def _no_window(call: Call) -> None:
    if call.query.get("since") or call.query.get("until"):
        raise ApiError(
            422,
            "figures that leave a centre are released per month, never for a window of days:"
            " ask for period=YYYY-MM",
        )


@api.route(
    "GET",
    "/sites/<site>/daily-register",
    "A site's register: day by day for the head of its centre; from outside, its month as released",
    query=PeriodQuery,
    tag=TAG,
    answers=api_contract.SiteRegister,
    refuses=(403,),
)
def daily_register(call: Call):
    site = call.args["site"]
    if not access.see_aggregates(call.principal, site):
        raise forbidden(
            "the daily register is for the head of that centre and the regional coordinator"
        )
    reporting = call.backends.reporting
    if access.figures_leave_the_centre(call.principal):
        return {
            "released": reporting.released_register(call.query.get("period"), site),
            "site": site,
        }
    return {"site": site, "days": reporting.daily_activity(site, False)}


@api.route(
    "GET",
    "/overview",
    "The region at a glance, from a released month: new beneficiaries and contacts by site,"
    " contacts by municipality, referrals and response times",
    query=PeriodQuery,
    tag=TAG,
    allow=access.see_regional_overview,
    answers=api_contract.Overview,
    refuses=(404,),  # a month not released yet
)
def overview(call: Call):
    return call.backends.reporting.regional_overview(call.query.get("period"))


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
    answers=api_contract.Register,
    files=tuple(FORMATS.values()),
    refuses=(403, 404),  # another site's figures; a month not released yet
)
def register_report(call: Call):
    site, fmt, reporting = _site(call, "site"), call.query["format"], call.backends.reporting
    if access.figures_leave_the_centre(call.principal):
        _no_window(call)
        period = call.query.get("period")
        if fmt == "json":
            return {"suppressed": True, **reporting.released_register(period, site)}
        content = reporting.released_register_file(fmt, period, site)
        name = f"mitroo-{site or 'perifereia'}-{period or 'teleftaios-minas'}.{fmt}"
        return FileBody(base64.b64decode(content), FORMATS[fmt], name)
    since, until = _day(call.query.get("since")), _day(call.query.get("until"))
    if fmt == "json":
        rows = reporting.daily_register(site, since, until, False)
        return {"site": site, "suppressed": False, "rows": rows}
    content = reporting.daily_register_file(fmt, site, since, until, False)
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
    answers=api_contract.Esf,
    files=tuple(FORMATS.values()),
    refuses=(403, 404),  # another centre's figures; a year not over or not released yet
)
def esf_report(call: Call):
    operation, year, fmt = _site(call, "operation"), call.query.get("year"), call.query["format"]
    reporting = call.backends.reporting
    external = access.figures_leave_the_centre(call.principal)
    if fmt == "json":
        codes = reporting.operation_codes()
        if external:
            return {
                "suppressed": True,
                **reporting.released_esf(year, operation),
                "operation_mis": codes,
            }
        found = reporting.esf_indicators(operation, year, False)
        return {"suppressed": False, "operations": found, "operation_mis": codes}
    if external:
        content = reporting.released_esf_file(fmt, year, operation)
    else:
        content = reporting.esf_indicators_file(fmt, operation, year, False)
    return FileBody(
        base64.b64decode(content), FORMATS[fmt], f"deiktes-ekt-{operation or 'perifereia'}.{fmt}"
    )


@api.route(
    "GET",
    "/reports/coverage",
    "New beneficiaries per 1,000 residents and mobile-unit contacts, by municipality, in a"
    " released month",
    query=PeriodQuery,
    tag=TAG,
    allow=access.see_regional_figures,
    answers=api_contract.Coverage,
    refuses=(404,),
)
def coverage(call: Call):
    return call.backends.reporting.coverage(call.query.get("period"))


@api.route(
    "GET",
    "/reports/referral-flow",
    "Referrals sent in a released month by agency and need: their outcomes, median days to "
    "response and outcome",
    query=PeriodQuery,
    tag=TAG,
    allow=access.see_regional_figures,
    answers=api_contract.ReferralFlow,
    refuses=(404,),
)
def referral_flow(call: Call):
    return call.backends.reporting.referral_flow(call.query.get("period"))


@api.route(
    "GET",
    "/reports/targets",
    "Each operation's new beneficiaries against its target: a head's own, live; from outside,"
    " through the released months",
    query=PeriodQuery,
    tag=TAG,
    allow=access.see_regional_figures,
    answers=api_contract.Targets,
    refuses=(404,),
)
def targets(call: Call):
    reporting = call.backends.reporting
    if access.figures_leave_the_centre(call.principal):
        return reporting.released_targets(call.query.get("period"))
    rows = reporting.targets(None, False)
    return {"operations": [r for r in rows if access.see_aggregates(call.principal, r["site"])]}


@api.route(
    "GET",
    "/reports/caseload",
    "Distinct beneficiaries per staff member, for the head of their centre: a figure that never"
    " leaves it",
    query=SiteQuery,
    tag=TAG,
    answers=api_contract.Caseload,
    refuses=(403,),
)
def caseload(call: Call):
    site = _site(call, "site")
    if access.figures_leave_the_centre(call.principal):
        raise forbidden("caseloads stay in the centre: its head reads them")
    return {"caseload": call.backends.reporting.caseload(site, False)}
