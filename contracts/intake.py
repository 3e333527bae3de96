"""Contracts of the intake service: a beneficiary's case."""
from __future__ import annotations

from marshmallow import fields, validate

from contracts.base import CommandContract, EventContract, StrictSchema, Text, personal
from contracts.names import CONTACT_RECORDED
from contracts.registries import MUNICIPALITY_CODE, SITE

SOURCE = "intake"
CHANNELS = ("centre", "mobile_unit_visit", "home_visit", "phone")


class ContactRecordedV1(StrictSchema):
    """As stored by the first release: a flag instead of the channel."""

    beneficiary_id = fields.UUID(required=True)
    occurred_on = fields.Date(required=True)
    by_mobile_unit = fields.Boolean(required=True)
    site = fields.String(required=True, validate=SITE)
    municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)
    staff_id = fields.String(required=True)
    notes = personal(Text(allow_none=True, load_default=None, validate=validate.Length(max=4000)))


class ContactRecordedV2(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    occurred_on = fields.Date(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    site = fields.String(required=True, validate=SITE)
    municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)
    staff_id = fields.String(required=True)
    notes = personal(Text(allow_none=True, load_default=None, validate=validate.Length(max=4000)))


def upcast_contact_v1_to_v2(payload: dict) -> dict:
    by_mobile_unit = payload.pop("by_mobile_unit", False)
    return {**payload, "channel": "mobile_unit_visit" if by_mobile_unit else "centre"}


class RecordContactSchema(ContactRecordedV2):
    command_id = fields.String(required=True, validate=validate.Length(min=8, max=100))
    expected_version = fields.Integer(required=True, validate=validate.Range(min=0))


EVENTS = [
    EventContract(CONTACT_RECORDED, SOURCE, 2, ContactRecordedV2,
                  "A contact with a beneficiary: at the centre, a mobile unit visit, a home visit or by phone.",
                  history={1: ContactRecordedV1}, upcasters={1: upcast_contact_v1_to_v2}),
]
COMMANDS = [CommandContract("RecordContact", SOURCE, RecordContactSchema, "Record a contact on the case.")]
