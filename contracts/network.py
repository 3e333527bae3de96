"""Contracts of the network in the registries service: centres, mobile units and their staff."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from contracts.base import CommandContract, EventContract, StrictSchema, Text, command_schema
from contracts.geography import municipalities, regional_units
from contracts.names import (
    CENTRE_REGISTERED,
    MOBILE_UNIT_REGISTERED,
    PARTNER_MUNICIPALITIES_CHANGED,
    STAFF_MEMBER_ASSIGNED,
    STAFF_MEMBER_LEFT,
)

SOURCE = "registries"
PELOPONNESE_MUNICIPALITY = validate.OneOf(
    sorted(municipalities()), error="not a municipality of the Peloponnese (codes 9233-9258)"
)
CENTRE_SITE = validate.Regexp(r"^KK-[A-Z0-9-]+$", error="a centre's site code: KK-<name>")
MOBILE_UNIT_SITE = validate.Regexp(r"^MU-[A-Z0-9-]+$", error="a mobile unit's site code: MU-<name>")
ANY_SITE = validate.Regexp(
    r"^(KK|MU)-[A-Z0-9-]+$", error="a site code: KK-<centre> or MU-<mobile unit>"
)
MIS_CODE = validate.Regexp(r"^\d{6,7}$", error="the operation's MIS code: 6 or 7 digits")
# a social worker heads every centre; the rest are optional (domain.md); drivers serve mobile units
STAFF_ID = validate.Regexp(
    r"^[a-z0-9][a-z0-9._-]{2,60}$", error="a staff login: lower-case letters, digits, . _ -"
)
ROLES = (
    "social_worker",
    "psychologist",
    "social_scientist",
    "health_visitor",
    "economist_administrator",
    "learning_support",
    "mediator",
    "driver",
)
PARTNERS = fields.List(
    fields.String(validate=PELOPONNESE_MUNICIPALITY),
    required=True,
    validate=validate.Length(min=1, error="a mobile unit serves at least one partner municipality"),
)


def non_negative(amount) -> None:
    # a plain function, not validate.Range: schema generators would print a Decimal bound as a string
    if amount < 0:
        raise ValidationError("must not be negative")


class CentreRegisteredV1(StrictSchema):
    site = fields.String(required=True, validate=CENTRE_SITE)
    name = Text(required=True, validate=validate.Length(min=3, max=200))
    lead_municipality_code = fields.String(required=True, validate=PELOPONNESE_MUNICIPALITY)
    regional_unit = fields.String(required=True, validate=validate.OneOf(sorted(regional_units())))
    expanded = fields.Boolean(required=True)  # an expanded centre covers its whole regional unit
    operation_mis = fields.String(required=True, validate=MIS_CODE)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    budget_eur = fields.Decimal(required=True, places=2, as_string=True, validate=non_negative)
    target_new_beneficiaries = fields.Integer(required=True, validate=validate.Range(min=0))


class MobileUnitRegisteredV1(StrictSchema):
    site = fields.String(required=True, validate=MOBILE_UNIT_SITE)
    name = Text(required=True, validate=validate.Length(min=3, max=200))
    parent_centre = fields.String(required=True, validate=CENTRE_SITE)
    partner_municipalities = PARTNERS


class PartnerMunicipalitiesChangedV1(StrictSchema):
    site = fields.String(required=True, validate=MOBILE_UNIT_SITE)
    partner_municipalities = PARTNERS
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class StaffMemberAssignedV1(StrictSchema):
    # a staff member's work name is not a beneficiary's data: it is what the audit shows as "by whom"
    staff_id = fields.String(required=True, validate=STAFF_ID)
    name = Text(required=True, validate=validate.Length(min=3, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    site = fields.String(required=True, validate=ANY_SITE)
    since = fields.Date(required=True)


class StaffMemberLeftV1(StrictSchema):
    staff_id = fields.String(required=True, validate=STAFF_ID)
    site = fields.String(required=True, validate=ANY_SITE)
    on = fields.Date(required=True)


EVENTS = [
    EventContract(
        CENTRE_REGISTERED,
        SOURCE,
        1,
        CentreRegisteredV1,
        "A Community Centre joined the network, with its operation (MIS code, period, budget, target).",
    ),
    EventContract(
        MOBILE_UNIT_REGISTERED,
        SOURCE,
        1,
        MobileUnitRegisteredV1,
        "A centre's mobile unit, and the partner municipalities it serves.",
    ),
    EventContract(
        PARTNER_MUNICIPALITIES_CHANGED,
        SOURCE,
        1,
        PartnerMunicipalitiesChangedV1,
        "A mobile unit now serves this list of partner municipalities.",
    ),
    EventContract(
        STAFF_MEMBER_ASSIGNED,
        SOURCE,
        1,
        StaffMemberAssignedV1,
        "A staff member works at a site from a date.",
    ),
    EventContract(
        STAFF_MEMBER_LEFT,
        SOURCE,
        1,
        StaffMemberLeftV1,
        "A staff member no longer works at that site.",
    ),
]
# what the network's facts are made of: a service that keeps those facts drops them on any of these
CHANGES = frozenset(e.type for e in EVENTS)
RegisterCentreSchema = command_schema(CentreRegisteredV1, "RegisterCentreSchema")
RegisterMobileUnitSchema = command_schema(MobileUnitRegisteredV1, "RegisterMobileUnitSchema")
ChangePartnerMunicipalitiesSchema = command_schema(
    PartnerMunicipalitiesChangedV1, "ChangePartnerMunicipalitiesSchema"
)
AssignStaffMemberSchema = command_schema(StaffMemberAssignedV1, "AssignStaffMemberSchema")
StaffMemberLeavesSchema = command_schema(StaffMemberLeftV1, "StaffMemberLeavesSchema")
COMMANDS = [
    CommandContract(
        "RegisterCentre", SOURCE, RegisterCentreSchema, "Add a centre and its operation."
    ),
    CommandContract(
        "RegisterMobileUnit", SOURCE, RegisterMobileUnitSchema, "Add a centre's mobile unit."
    ),
    CommandContract(
        "ChangePartnerMunicipalities",
        SOURCE,
        ChangePartnerMunicipalitiesSchema,
        "Change which partner municipalities a mobile unit serves.",
    ),
    CommandContract(
        "AssignStaffMember", SOURCE, AssignStaffMemberSchema, "A staff member starts at a site."
    ),
    CommandContract(
        "StaffMemberLeaves", SOURCE, StaffMemberLeavesSchema, "A staff member leaves a site."
    ),
]
