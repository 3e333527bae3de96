"""Contracts of the referrals service: a referral's strict lifecycle, from request to outcome."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts.base import (
    CommandContract,
    EventContract,
    StrictSchema,
    Text,
    command_schema,
    personal,
)
from contracts.directory import NEEDS
from contracts.intake import RECIPIENT
from contracts.names import (
    REFERRAL_ACCEPTED,
    REFERRAL_COMPLETED,
    REFERRAL_EXPIRED,
    REFERRAL_RECEIVED,
    REFERRAL_REJECTED,
    REFERRAL_REQUESTED,
    REFERRAL_SENT,
    REFERRAL_SHARING_STOPPED,
    REFERRAL_WITHDRAWN,
)
from contracts.network import ANY_SITE

SOURCE = "referrals"
RECIPIENT_KINDS = ("agency", "programme", "centre", "external")
# the lifecycle's states, as the read side and the inbox name them (the transition table is the
# referrals domain's: services/referrals/domain/referral.py)
STATES = (
    "requested",
    "sent",
    "received",
    "accepted",
    "rejected",
    "completed",
    "withdrawn",
    "expired",
)
OUTCOMES = (
    "service_given",
    "not_eligible",
    "no_show",
    "declined_by_beneficiary",
    "referred_elsewhere",
)
# a reason is free text: it may tell about the person ("active addiction"), so it is sealed
REASON = personal(
    Text(required=True, validate=validate.Length(min=1, max=1000, error="a reason is required"))
)
BY = fields.String(
    required=True, validate=validate.Length(min=1, max=100)
)  # who acted: a staff or agency login


class Step(StrictSchema):
    referral_id = fields.UUID(required=True)
    beneficiary_id = fields.UUID(required=True)


class ReferralRequestedV1(Step):
    from_site = fields.String(required=True, validate=ANY_SITE)
    need = fields.String(required=True, validate=validate.OneOf(NEEDS))
    recipient_kind = fields.String(required=True, validate=validate.OneOf(RECIPIENT_KINDS))
    recipient_id = fields.String(
        required=True, validate=RECIPIENT
    )  # agency/programme id, site, or a given code
    # typed by the sender when the recipient is not in the directory: it may name a person
    recipient_name = personal(Text(required=True, validate=validate.Length(min=2, max=200)))
    shares_personal_data = fields.Boolean(required=True)
    # whose consent covers it (a programme's agency): filled by the service, never sent by a client
    consent_recipient = fields.String(load_default=None, allow_none=True, validate=RECIPIENT)
    requested_on = fields.Date(required=True)
    by = BY
    notes = personal(Text(allow_none=True, load_default=None, validate=validate.Length(max=4000)))


class ReferralSentV1(Step):
    sent_on = fields.Date(required=True)
    by = BY
    due_on = fields.Date(required=True)  # sent_on + the recipient's response days: then it expires


class ReferralReceivedV1(Step):
    received_on = fields.Date(required=True)
    by = BY


class ReferralAcceptedV1(Step):
    accepted_on = fields.Date(required=True)
    by = BY


class ReferralRejectedV1(Step):
    rejected_on = fields.Date(required=True)
    by = BY
    reason = REASON


class ReferralCompletedV1(Step):
    completed_on = fields.Date(required=True)
    by = BY
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    notes = personal(Text(allow_none=True, load_default=None, validate=validate.Length(max=4000)))


class ReferralWithdrawnV1(Step):
    withdrawn_on = fields.Date(required=True)
    by = BY
    reason = REASON


class ReferralExpiredV1(Step):
    expired_on = fields.Date(required=True)
    due_on = fields.Date(required=True)


class ReferralSharingStoppedV1(Step):
    stopped_on = fields.Date(required=True)
    reason = REASON


# what a referral command's expected_version is the version of (0 when requesting it)
REFERRAL_STREAM = "the referral's stream (referral-<referral_id>)"
RequestReferralSchema = command_schema(
    ReferralRequestedV1, "RequestReferralSchema", REFERRAL_STREAM
)


class SendFields(Step):
    sent_on = fields.Date(required=True)
    by = BY  # due_on is not sent: it comes from the recipient's response days


SendReferralSchema = command_schema(SendFields, "SendReferralSchema", REFERRAL_STREAM)
AcknowledgeReferralSchema = command_schema(
    ReferralReceivedV1, "AcknowledgeReferralSchema", REFERRAL_STREAM
)
AcceptReferralSchema = command_schema(ReferralAcceptedV1, "AcceptReferralSchema", REFERRAL_STREAM)
RejectReferralSchema = command_schema(ReferralRejectedV1, "RejectReferralSchema", REFERRAL_STREAM)
CompleteReferralSchema = command_schema(
    ReferralCompletedV1, "CompleteReferralSchema", REFERRAL_STREAM
)
WithdrawReferralSchema = command_schema(
    ReferralWithdrawnV1, "WithdrawReferralSchema", REFERRAL_STREAM
)

EVENTS = [
    EventContract(
        REFERRAL_REQUESTED,
        SOURCE,
        1,
        ReferralRequestedV1,
        "A worker asked to refer a beneficiary to an agency, programme or centre, for a need.",
    ),
    EventContract(
        REFERRAL_SENT,
        SOURCE,
        1,
        ReferralSentV1,
        "The referral went to the recipient; it is due by due_on.",
    ),
    EventContract(
        REFERRAL_RECEIVED,
        SOURCE,
        1,
        ReferralReceivedV1,
        "The recipient acknowledged it: still active, no answer yet.",
    ),
    EventContract(
        REFERRAL_ACCEPTED,
        SOURCE,
        1,
        ReferralAcceptedV1,
        "The recipient will serve the beneficiary.",
    ),
    EventContract(
        REFERRAL_REJECTED, SOURCE, 1, ReferralRejectedV1, "The recipient said no, and why."
    ),
    EventContract(
        REFERRAL_COMPLETED, SOURCE, 1, ReferralCompletedV1, "The recipient reported the outcome."
    ),
    EventContract(
        REFERRAL_WITHDRAWN,
        SOURCE,
        1,
        ReferralWithdrawnV1,
        "The sender withdrew it (or the case closed, or consent was withdrawn before it was sent).",
    ),
    EventContract(
        REFERRAL_EXPIRED, SOURCE, 1, ReferralExpiredV1, "Nobody answered within the response time."
    ),
    EventContract(
        REFERRAL_SHARING_STOPPED,
        SOURCE,
        1,
        ReferralSharingStoppedV1,
        "Consent was withdrawn after sending: nothing more is shared with the recipient.",
    ),
]
COMMANDS = [
    CommandContract("RequestReferral", SOURCE, RequestReferralSchema, "Ask for a referral."),
    CommandContract("SendReferral", SOURCE, SendReferralSchema, "Send it to the recipient."),
    CommandContract(
        "AcknowledgeReferral",
        SOURCE,
        AcknowledgeReferralSchema,
        "The recipient acknowledges receipt.",
    ),
    CommandContract("AcceptReferral", SOURCE, AcceptReferralSchema, "The recipient accepts."),
    CommandContract(
        "RejectReferral", SOURCE, RejectReferralSchema, "The recipient rejects, with a reason."
    ),
    CommandContract(
        "CompleteReferral", SOURCE, CompleteReferralSchema, "The recipient reports the outcome."
    ),
    CommandContract(
        "WithdrawReferral",
        SOURCE,
        WithdrawReferralSchema,
        "The sender withdraws it, with a reason.",
    ),
]

# which field of each event says when it happened: the read sides date answers and endings by them
ANSWER_DATES = {
    REFERRAL_RECEIVED: "received_on",
    REFERRAL_ACCEPTED: "accepted_on",
    REFERRAL_REJECTED: "rejected_on",
}
ENDING_DATES = {
    REFERRAL_REJECTED: "rejected_on",
    REFERRAL_COMPLETED: "completed_on",
    REFERRAL_WITHDRAWN: "withdrawn_on",
    REFERRAL_EXPIRED: "expired_on",
}
