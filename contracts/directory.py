"""Contracts of the agencies (Φορείς) and programmes registries in the registries service.

An agency or programme is described whole each time: the first description registers it, a
different one later is a change of details, the same one again is nothing (imports repeat)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.base import CommandContract, EventContract, StrictSchema, Text, command_schema
from contracts.intake import VULNERABLE_GROUPS
from contracts.names import (
    AGENCY_DETAILS_CHANGED,
    AGENCY_REGISTERED,
    PROGRAMME_DETAILS_CHANGED,
    PROGRAMME_REGISTERED,
)
from contracts.network import PELOPONNESE_MUNICIPALITY

SOURCE = "registries"
AGENCY_TYPES = (
    "employment_service",
    "lifelong_learning",
    "shelter",
    "dormitory",
    "disability_structure",
    "social_grocery",
    "help_at_home",
    "ngo",
    "municipal_service",
)
LEVELS = ("local", "regional", "national")
# what a referral can be for: the routing of the referrals service matches on these
NEEDS = (
    "employment",
    "training",
    "shelter",
    "food",
    "home_care",
    "disability_support",
    "counselling",
    "legal",
    "minimum_income",
    "health",
    "education",
    "childcare",
)


class Offer(StrictSchema):
    """What agencies and programmes share: where, for what and for whom, and when."""

    name = Text(required=True, validate=validate.Length(min=2, max=200))
    description = Text(load_default="", validate=validate.Length(max=2000))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    municipalities = fields.List(fields.String(validate=PELOPONNESE_MUNICIPALITY), required=True)
    # an offer imported from elsewhere may name no municipality of ours or no need: referrals are
    # never routed to it (routing matches both), but it is in the registry as described
    needs = fields.List(fields.String(validate=validate.OneOf(NEEDS)), required=True)
    eligible_groups = fields.List(
        fields.String(validate=validate.OneOf(VULNERABLE_GROUPS)), load_default=list
    )
    min_age = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=120)
    )
    max_age = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=120)
    )
    eligibility_text = Text(load_default="", validate=validate.Length(max=1000))
    capacity = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0))
    active_from = fields.Date(allow_none=True, load_default=None)  # None: not known, since ever
    active_until = fields.Date(allow_none=True, load_default=None)
    # what an HSDS import gave that Kentra does not model, kept to be given back by an export:
    # {"from": {"service"|"phone"|"address": the id of the row a field was read from},
    #  "rows": {file: [row as given]}}. Opaque here; services/registries/adapters/hsds.py reads it
    hsds = fields.Dict(keys=fields.String(), values=fields.Raw())

    @validates_schema
    def ranges(self, data, **kwargs):
        if (
            data.get("min_age") is not None
            and data.get("max_age") is not None
            and data["min_age"] > data["max_age"]
        ):
            raise ValidationError("must not be below min_age", "max_age")
        if (
            data.get("active_until")
            and data.get("active_from")
            and data["active_until"] < data["active_from"]
        ):
            raise ValidationError("must not be before active_from", "active_until")


class AgencyDescribedV1(Offer):
    agency_id = fields.UUID(required=True)
    agency_type = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf(AGENCY_TYPES)
    )  # None: an organization imported without one of our types
    response_days = fields.Integer(
        load_default=10, validate=validate.Range(min=1, max=180)
    )  # then a referral expires
    phone = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=30))
    email = fields.Email(allow_none=True, load_default=None)
    website = fields.Url(allow_none=True, load_default=None)
    address = Text(allow_none=True, load_default=None, validate=validate.Length(max=300))


class ProgrammeDescribedV1(Offer):
    programme_id = fields.UUID(required=True)
    agency_id = fields.UUID(required=True)  # who runs it


DescribeAgencySchema = command_schema(AgencyDescribedV1, "DescribeAgencySchema")
DescribeProgrammeSchema = command_schema(ProgrammeDescribedV1, "DescribeProgrammeSchema")

EVENTS = [
    EventContract(
        AGENCY_REGISTERED,
        SOURCE,
        1,
        AgencyDescribedV1,
        "An agency (Φορέας) entered the registry: what it offers, where, to whom, and how to reach it.",
    ),
    EventContract(
        AGENCY_DETAILS_CHANGED,
        SOURCE,
        1,
        AgencyDescribedV1,
        "An agency's details as they now stand (its whole description).",
    ),
    EventContract(
        PROGRAMME_REGISTERED, SOURCE, 1, ProgrammeDescribedV1, "A programme an agency runs."
    ),
    EventContract(
        PROGRAMME_DETAILS_CHANGED,
        SOURCE,
        1,
        ProgrammeDescribedV1,
        "A programme's details as they now stand (its whole description).",
    ),
]
# what the directory's facts are made of: a service that keeps those facts drops them on any of these
CHANGES = frozenset(e.type for e in EVENTS)
COMMANDS = [
    CommandContract(
        "DescribeAgency",
        SOURCE,
        DescribeAgencySchema,
        "Register an agency, or change its details: the whole description each time.",
    ),
    CommandContract(
        "DescribeProgramme",
        SOURCE,
        DescribeProgrammeSchema,
        "Register a programme of a registered agency, or change its details.",
    ),
]
