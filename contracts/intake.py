"""Contracts of the intake service: a beneficiary's case."""

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
from contracts.names import (
    ACTION_PLAN_CLOSED,
    ACTION_PLAN_OPENED,
    ACTION_STEP_ADDED,
    ACTION_STEP_DONE,
    CASE_CLOSED,
    CASE_REOPENED,
    CASE_TRANSFERRED,
    CONSENT_RECORDED,
    CONSENT_WITHDRAWN,
    CONTACT_RECORDED,
    FOLLOW_UP_RECORDED,
    NEEDS_ASSESSED,
    SERVICE_DELIVERED,
)
from contracts.registries import MUNICIPALITY_CODE, SITE
from contracts.vocabulary import VULNERABLE_GROUPS

SOURCE = "intake"
CHANNELS = ("centre", "mobile_unit_visit", "home_visit", "phone")
SERVICES = (
    "information",
    "minimum_income_application",
    "psychosocial_counselling",
    "learning_support",
    "goods_distributed",
    "legal_information",
    "vocational_guidance",
    "help_to_enrol",
)
# an agency or programme of the registry by its id, a centre by its site code, an agency outside
# the registry by a code the worker gives it (the same code the referral names)
RECIPIENT = validate.Regexp(
    r"^([A-Z0-9][A-Z0-9-]{1,60}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$",
    error="an agency id from the registry, or a centre or agency code, e.g. KK-SPARTI",
)
REASON = validate.Length(min=1, max=1000)
LABOUR_STATUS = ("employed", "unemployed", "long_term_unemployed", "inactive")
EXIT_SITUATIONS = (
    "job_searching",
    "in_education_or_training",
    "gained_qualification",
    "employed",
    "none_of_these",
)
ISCED = ("0-2", "3-4", "5-8")


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


class ServiceDeliveredV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    occurred_on = fields.Date(required=True)
    service = fields.String(required=True, validate=validate.OneOf(SERVICES))
    site = fields.String(required=True, validate=SITE)
    staff_id = fields.String(required=True)
    notes = personal(Text(allow_none=True, load_default=None, validate=validate.Length(max=4000)))


class ConsentRecordedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    recipient = fields.String(required=True, validate=RECIPIENT)
    # a consent's purpose is free text ("psychiatric follow-up"): sealed
    purpose = personal(Text(required=True, validate=validate.Length(min=1, max=200)))
    given_on = fields.Date(required=True)
    until = fields.Date(allow_none=True, load_default=None)


class ConsentWithdrawnV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    recipient = fields.String(required=True, validate=RECIPIENT)
    withdrawn_on = fields.Date(required=True)


class CaseClosedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    closed_on = fields.Date(required=True)
    reason = personal(Text(required=True, validate=REASON))  # free text may tell about the person
    # leaving the operation: the ESF+ immediate result (Reg. 2021/1057, Annex I); optional, and
    # absent from closures recorded before it existed
    situation_at_exit = personal(
        fields.String(allow_none=True, load_default=None, validate=validate.OneOf(EXIT_SITUATIONS))
    )


class FollowUpRecordedV1(StrictSchema):
    """Six months after leaving: the ESF+ longer-term result."""

    beneficiary_id = fields.UUID(required=True)
    followed_up_on = fields.Date(required=True)
    employed = personal(fields.Boolean(required=True))
    improved_situation = personal(fields.Boolean(required=True))  # on the labour market


class CaseReopenedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    reopened_on = fields.Date(required=True)
    reason = personal(Text(required=True, validate=REASON))


class TransferFields(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    to_site = fields.String(required=True, validate=SITE)
    transferred_on = fields.Date(required=True)
    reason = personal(Text(required=True, validate=REASON))


class CaseTransferredV1(TransferFields):
    from_site = fields.String(allow_none=True, load_default=None)  # decided from the case, not sent


class NeedsAssessedV1(StrictSchema):
    """What the ESF+ indicators need. Special-category data (health, disability, ethnicity such as
    Roma) and everything else about the person is personal: sealed, erasable."""

    beneficiary_id = fields.UUID(required=True)
    assessed_on = fields.Date(required=True)
    groups = personal(
        fields.List(fields.String(validate=validate.OneOf(VULNERABLE_GROUPS)), required=True)
    )
    needs = personal(fields.List(Text(validate=validate.Length(min=1, max=200)), required=True))
    household_size = personal(fields.Integer(required=True, validate=validate.Range(min=1, max=30)))
    labour_status = personal(fields.String(required=True, validate=validate.OneOf(LABOUR_STATUS)))
    education = personal(fields.String(required=True, validate=validate.OneOf(ISCED)))
    disability = personal(fields.Boolean(required=True))
    citizenship = personal(fields.String(required=True, validate=validate.Length(min=2, max=3)))
    foreign_background = personal(fields.Boolean(required=True))
    housing = personal(fields.String(required=True, validate=validate.Length(min=1, max=100)))
    rural = personal(fields.Boolean(required=True))


class ActionPlanOpenedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    opened_on = fields.Date(required=True)
    goals = personal(Text(required=True, validate=REASON))


class ActionStepAddedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    step_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    due_on = fields.Date(allow_none=True, load_default=None)
    description = personal(Text(required=True, validate=REASON))


class ActionStepDoneV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    step_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    done_on = fields.Date(required=True)


class ActionPlanClosedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    plan_id = fields.UUID(required=True)
    closed_on = fields.Date(required=True)
    outcome = personal(Text(required=True, validate=REASON))


# what a case command's expected_version is the version of
CASE_STREAM = "the beneficiary's case stream (case-<beneficiary_id>)"
RecordContactSchema = command_schema(ContactRecordedV2, "RecordContactSchema", CASE_STREAM)
RecordServiceSchema = command_schema(ServiceDeliveredV1, "RecordServiceSchema", CASE_STREAM)
RecordConsentSchema = command_schema(ConsentRecordedV1, "RecordConsentSchema", CASE_STREAM)
WithdrawConsentSchema = command_schema(ConsentWithdrawnV1, "WithdrawConsentSchema", CASE_STREAM)
CloseCaseSchema = command_schema(CaseClosedV1, "CloseCaseSchema", CASE_STREAM)
ReopenCaseSchema = command_schema(CaseReopenedV1, "ReopenCaseSchema", CASE_STREAM)
TransferCaseSchema = command_schema(TransferFields, "TransferCaseSchema", CASE_STREAM)
RecordNeedsAssessmentSchema = command_schema(
    NeedsAssessedV1, "RecordNeedsAssessmentSchema", CASE_STREAM
)
OpenActionPlanSchema = command_schema(ActionPlanOpenedV1, "OpenActionPlanSchema", CASE_STREAM)
AddActionStepSchema = command_schema(ActionStepAddedV1, "AddActionStepSchema", CASE_STREAM)
MarkStepDoneSchema = command_schema(ActionStepDoneV1, "MarkStepDoneSchema", CASE_STREAM)
CloseActionPlanSchema = command_schema(ActionPlanClosedV1, "CloseActionPlanSchema", CASE_STREAM)
RecordFollowUpSchema = command_schema(FollowUpRecordedV1, "RecordFollowUpSchema", CASE_STREAM)

EVENTS = [
    EventContract(
        SERVICE_DELIVERED, SOURCE, 1, ServiceDeliveredV1, "A service delivered to a beneficiary."
    ),
    EventContract(
        FOLLOW_UP_RECORDED,
        SOURCE,
        1,
        FollowUpRecordedV1,
        "Six months after leaving: in employment, and whether the labour-market situation improved.",
    ),
    EventContract(
        CONSENT_RECORDED,
        SOURCE,
        1,
        ConsentRecordedV1,
        "The beneficiary agreed that their data be shared with a recipient, for a purpose, until a date.",
    ),
    EventContract(
        CONSENT_WITHDRAWN,
        SOURCE,
        1,
        ConsentWithdrawnV1,
        "Sharing with that recipient stops from now.",
    ),
    EventContract(
        CASE_CLOSED,
        SOURCE,
        1,
        CaseClosedV1,
        "The case was closed; nothing new until it is reopened.",
    ),
    EventContract(CASE_REOPENED, SOURCE, 1, CaseReopenedV1, "A closed case was opened again."),
    EventContract(
        CASE_TRANSFERRED, SOURCE, 1, CaseTransferredV1, "Another centre now holds the case."
    ),
    EventContract(
        NEEDS_ASSESSED,
        SOURCE,
        1,
        NeedsAssessedV1,
        "The beneficiary's needs and situation were assessed.",
    ),
    EventContract(
        ACTION_PLAN_OPENED, SOURCE, 1, ActionPlanOpenedV1, "An individual action plan was opened."
    ),
    EventContract(
        ACTION_STEP_ADDED, SOURCE, 1, ActionStepAddedV1, "A step was added to the action plan."
    ),
    EventContract(
        ACTION_STEP_DONE, SOURCE, 1, ActionStepDoneV1, "A step of the action plan was done."
    ),
    EventContract(
        ACTION_PLAN_CLOSED,
        SOURCE,
        1,
        ActionPlanClosedV1,
        "The action plan was closed with an outcome.",
    ),
    EventContract(
        CONTACT_RECORDED,
        SOURCE,
        2,
        ContactRecordedV2,
        "A contact with a beneficiary: at the centre, a mobile unit visit, a home visit or by phone.",
        history={1: ContactRecordedV1},
        upcasters={1: upcast_contact_v1_to_v2},
    ),
]
COMMANDS = [
    CommandContract("RecordContact", SOURCE, RecordContactSchema, "Record a contact on the case."),
    CommandContract(
        "RecordFollowUp",
        SOURCE,
        RecordFollowUpSchema,
        "Record the six-month follow-up after leaving.",
    ),
    CommandContract("RecordService", SOURCE, RecordServiceSchema, "Record a service delivered."),
    CommandContract(
        "RecordConsent", SOURCE, RecordConsentSchema, "Record consent to share with a recipient."
    ),
    CommandContract(
        "WithdrawConsent", SOURCE, WithdrawConsentSchema, "Withdraw consent for a recipient."
    ),
    CommandContract("CloseCase", SOURCE, CloseCaseSchema, "Close the case."),
    CommandContract("ReopenCase", SOURCE, ReopenCaseSchema, "Reopen a closed case."),
    CommandContract(
        "TransferCase", SOURCE, TransferCaseSchema, "Transfer the case to another centre."
    ),
    CommandContract(
        "RecordNeedsAssessment", SOURCE, RecordNeedsAssessmentSchema, "Assess needs and situation."
    ),
    CommandContract(
        "OpenActionPlan", SOURCE, OpenActionPlanSchema, "Open an individual action plan."
    ),
    CommandContract("AddActionStep", SOURCE, AddActionStepSchema, "Add a step to the action plan."),
    CommandContract("MarkStepDone", SOURCE, MarkStepDoneSchema, "Mark a step of the plan done."),
    CommandContract("CloseActionPlan", SOURCE, CloseActionPlanSchema, "Close the action plan."),
]
