"""Contracts of the portal gateway: the audit of reads of a beneficiary's record."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts.base import EventContract, StrictSchema, Text
from contracts.names import RECORD_VIEWED

SOURCE = "portal_gateway"


class RecordViewedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    viewer = fields.String(required=True)
    role = fields.String(required=True)
    site = fields.String(allow_none=True, load_default=None)
    categories = fields.List(fields.String(), required=True)  # which kinds of fields were shown
    reason = Text(allow_none=True, load_default=None, validate=validate.Length(max=500))
    break_glass = fields.Boolean(required=True)


EVENTS = [
    EventContract(
        RECORD_VIEWED,
        SOURCE,
        1,
        RecordViewedV1,
        "Someone read a beneficiary's record: who, where, which kinds of fields, and why if they"
        " broke the glass.",
    ),
]
COMMANDS: list = []
