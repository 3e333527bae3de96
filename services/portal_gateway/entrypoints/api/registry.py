"""The network, the agencies and programmes (and their HSDS 3.0 package), staffing."""

from __future__ import annotations

from marshmallow import fields

from contracts import api as api_contract
from contracts import network as network_contract
from contracts.base import StrictSchema
from contracts.directory import DescribeAgencySchema, DescribeProgrammeSchema
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import Call, Routes
from services.portal_gateway.entrypoints.web.i18n import translator
from services.portal_gateway.entrypoints.web.messages import translated

api = Routes()

TAG = "registries"


class HsdsPackage(StrictSchema):
    files = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True
    )  # file name -> CSV text (or an HSDS JSON object, read by adapters/hsds_json.py)


@api.route(
    "GET",
    "/network",
    "The region: regional units, municipalities (2021 census), centres, mobile units, staff",
    tag=TAG,
    answers=api_contract.Network,
)
def network(call: Call):
    return call.backends.registries.network()


# the network's own commands: the regional coordinator keeps centres, mobile units and staff
NETWORK_COMMANDS = {
    "centres": (
        "register_centre",
        network_contract.RegisterCentreSchema,
        "Add a centre and its operation",
    ),
    "mobile-units": (
        "register_mobile_unit",
        network_contract.RegisterMobileUnitSchema,
        "Add a centre's mobile unit",
    ),
    "partner-municipalities": (
        "change_partner_municipalities",
        network_contract.ChangePartnerMunicipalitiesSchema,
        "Change which partner municipalities a mobile unit serves",
    ),
    "staff": (
        "assign_staff_member",
        network_contract.AssignStaffMemberSchema,
        "A staff member starts at a site",
    ),
    "staff-leaving": (
        "staff_member_leaves",
        network_contract.StaffMemberLeavesSchema,
        "A staff member leaves a site",
    ),
}


def _network_command(method: str):
    def handle(call: Call):
        return getattr(call.backends.registries, method)(call.body, call.principal.context)

    return handle


for segment, (method, schema, summary) in NETWORK_COMMANDS.items():
    api.route(
        "POST",
        f"/network/{segment}",
        f"{summary} (regional coordinator; answers carry staffing warnings)",
        body=schema,
        tag=TAG,
        allow=access.manage_registries,
        answers=api_contract.CommandAnswer,
    )(_network_command(method))


@api.route(
    "GET",
    "/network/staffing",
    "Each site against the staffing rule (warnings)",
    tag=TAG,
    allow=access.see_regional_figures,
    answers=api_contract.Staffing,
)
def staffing(call: Call):
    sites = call.backends.registries.staffing()
    for site in sites:  # the registry's warnings, told in the reader's language
        site["warnings"] = [translated(w, call.lang) for w in site["warnings"]]
    return {"sites": sites}


@api.route(
    "GET", "/agencies", "The agencies registry (Φορείς)", tag=TAG, answers=api_contract.Agencies
)
def agencies(call: Call):
    return {"agencies": call.backends.registries.agencies()}


@api.route(
    "GET", "/programmes", "The programmes registry", tag=TAG, answers=api_contract.Programmes
)
def programmes(call: Call):
    return {"programmes": call.backends.registries.programmes()}


@api.route(
    "POST",
    "/agencies",
    "Register an agency or change its details (regional coordinator)",
    body=DescribeAgencySchema,
    tag=TAG,
    allow=access.manage_registries,
    answers=api_contract.CommandAnswer,
)
def describe_agency(call: Call):
    return call.backends.registries.describe_agency(call.body, call.principal.context)


@api.route(
    "POST",
    "/programmes",
    "Register a programme or change its details (regional coordinator)",
    body=DescribeProgrammeSchema,
    tag=TAG,
    allow=access.manage_registries,
    answers=api_contract.CommandAnswer,
)
def describe_programme(call: Call):
    return call.backends.registries.describe_programme(call.body, call.principal.context)


@api.route(
    "POST",
    "/directory/hsds",
    "Import an Open Referral HSDS 3.0 package: all or nothing; the answer's notices say what "
    "was kept unused, left out or assumed",
    body=HsdsPackage,
    tag=TAG,
    allow=access.manage_registries,
    max_body=16 * 1024 * 1024,  # a whole directory's CSV files
    answers=api_contract.HsdsImported,
)
def import_hsds(call: Call):
    answer = call.backends.registries.import_hsds(call.body["files"], call.principal.context)
    t = translator(call.lang)
    for notice in answer.get("notices", []):  # told in the importer's language
        notice["message"] = t(notice["code"]).format(**notice["params"])
    return answer


@api.route(
    "GET",
    "/directory/hsds",
    "Export the registries as an Open Referral HSDS 3.0 package",
    tag=TAG,
    answers=api_contract.HsdsFiles,
)
def export_hsds(call: Call):
    return {"files": call.backends.registries.export_hsds()}
