"""Contracts of the portal gateway: the audit of reads of a beneficiary's record, of failed
logins, and of emergency access (breaking the glass) and its review by the DPO."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts.base import EventContract, StrictSchema, Text, personal
from contracts.names import (
    EMERGENCY_ACCESS_GRANTED,
    EMERGENCY_ACCESS_REVIEWED,
    LOGIN_FAILED,
    RECORD_VIEWED,
)
from contracts.vocabulary import EMERGENCY_REASONS

SOURCE = "portal_gateway"


class RecordViewedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    viewer = fields.String(required=True)
    role = fields.String(required=True)
    site = fields.String(allow_none=True, load_default=None)
    categories = fields.List(fields.String(), required=True)  # which kinds of fields were shown
    # why the glass was broken, in the viewer's words: it may tell about the person
    reason = personal(Text(allow_none=True, load_default=None, validate=validate.Length(max=500)))
    break_glass = fields.Boolean(required=True)


# why personal data was read (or asked for and refused): the DPO's "who saw my file, and why"
READ_PURPOSES = (
    "record",  # the record page and its timeline
    "search",  # a row of search results: name and birth date
    "sync_conflict",  # what was recorded since an offline client's version
    "ingest_rejected",  # a refused municipal event, as ops read it
    "audit",  # the DPO reading who saw the record
    "referral_inbox",  # a referral's person (name, phone) in an inbox: the agency under consent
    "offline_download",  # a person in a mobile unit's day's work, downloaded for a trip offline
)


class RecordViewedV2(RecordViewedV1):
    purpose = fields.String(required=True, validate=validate.OneOf(READ_PURPOSES))
    # asked for and refused: nothing was shown (an unknown id is recorded the same way)
    refused = fields.Boolean(required=True)


def upcast_record_viewed_v1_to_v2(payload: dict) -> dict:
    return {**payload, "purpose": "record", "refused": False}


LOGIN_FAILURES = ("wrong_password", "unknown_account", "inactive_account")


class LoginFailedV1(StrictSchema):
    # the account tried, when there is one; a name that is no account is kept only as
    # `account_key` (it may be a password typed into the wrong box)
    username = fields.String(allow_none=True, load_default=None)
    account_key = fields.String(required=True)  # a keyed digest of the name typed, casefolded
    client = fields.String(required=True)  # the client's address
    reason = fields.String(required=True, validate=validate.OneOf(LOGIN_FAILURES))


# the free text of an emergency: long enough to say what happened, which "." or "x" does not
EMERGENCY_DETAILS = validate.Length(min=20, max=1000)


class EmergencyAccessGrantedV1(StrictSchema):
    grant_id = fields.UUID(required=True)
    beneficiary_id = fields.UUID(required=True)
    holder = fields.String(required=True)  # the one account the grant is for
    role = fields.String(required=True)
    site = fields.String(allow_none=True, load_default=None)
    reason = fields.String(required=True, validate=validate.OneOf(EMERGENCY_REASONS))
    details = personal(Text(required=True, validate=EMERGENCY_DETAILS))  # may tell about the person
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=180))


class EmergencyAccessReviewedV1(StrictSchema):
    grant_id = fields.UUID(required=True)
    beneficiary_id = fields.UUID(required=True)
    reviewer = fields.String(required=True)
    note = personal(Text(required=True, validate=validate.Length(min=1, max=2000)))


EVENTS = [
    EventContract(
        RECORD_VIEWED,
        SOURCE,
        2,
        RecordViewedV2,
        "Someone read a beneficiary's personal data, or asked and was refused: who, with which"
        " role, where, which kinds of fields, for what purpose, and why if they broke the glass.",
        history={1: RecordViewedV1},
        upcasters={1: upcast_record_viewed_v1_to_v2},
    ),
    EventContract(
        LOGIN_FAILED,
        SOURCE,
        1,
        LoginFailedV1,
        "A login was refused after its password was checked: which account (or the digest of a"
        " name that is none), from which address, and why. Never the password.",
    ),
    EventContract(
        EMERGENCY_ACCESS_GRANTED,
        SOURCE,
        1,
        EmergencyAccessGrantedV1,
        "A head of centre broke the glass: one account may read one person's whole file, special"
        " categories included, for `minutes` from when it was recorded; a reason from the list"
        " and the details (sealed).",
    ),
    EventContract(
        EMERGENCY_ACCESS_REVIEWED,
        SOURCE,
        1,
        EmergencyAccessReviewedV1,
        "The DPO reviewed an emergency access, with a note (sealed).",
    ),
]
COMMANDS: list = []
