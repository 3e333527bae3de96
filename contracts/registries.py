"""Contracts of the registries service: the beneficiary registry."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from contracts.base import (
    CommandContract,
    EventContract,
    StrictSchema,
    Text,
    command_schema,
    personal,
)
from contracts.names import (
    BENEFICIARY_MERGED,
    BENEFICIARY_REGISTERED,
    BENEFICIARY_UNMERGED,
    MERGE_REQUEST_APPROVED,
    MERGE_REQUEST_DECLINED,
    MERGE_REQUESTED,
    PERSONAL_DATA_ERASED,
)

SOURCE = "registries"
MUNICIPALITY_CODE = validate.Regexp(
    r"^\d{4}$", error="a 4-digit municipality code (Ministry of Interior)"
)
SITE = validate.Regexp(
    r"^(KK|MU)-[A-Z0-9-]+$", error="a site code: KK-<centre> or MU-<mobile unit>"
)
GENDERS = ("woman", "man", "non_binary")
AMKA = validate.Regexp(r"^\d{11}$", error="11 digits")
AFM = validate.Regexp(r"^\d{9}$", error="9 digits")
PAAYPA = validate.Regexp(
    r"^[0-9A-Z]{6,20}$", error="6 to 20 letters or digits, as printed on the document"
)


def afm_check_digit(value: str) -> None:
    """(sum of d1..d8 weighted 256..2) mod 11 mod 10 (python-stdnum's gr.vat)."""
    from stdnum.gr import vat

    if value and value.isdigit() and not vat.is_valid(value):
        raise ValidationError("the AFM check digit is wrong: please check the number")


def amka_check_digit(value: str) -> None:
    """The last digit is a Luhn check over all eleven (python-stdnum's gr.amka)."""
    from stdnum import luhn

    if value and value.isdigit() and not luhn.is_valid(value):
        raise ValidationError("the AMKA check digit is wrong: please check the number")


class BeneficiaryRegisteredV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)
    site = fields.String(required=True, validate=SITE)
    given_name = personal(Text(required=True, validate=validate.Length(min=1, max=100)))
    family_name = personal(Text(required=True, validate=validate.Length(min=1, max=100)))
    birth_date = personal(fields.Date(allow_none=True, load_default=None))
    amka = personal(
        fields.String(allow_none=True, load_default=None, validate=[AMKA, amka_check_digit])
    )
    phone = personal(
        fields.String(allow_none=True, load_default=None, validate=validate.Length(max=30))
    )
    afm = personal(
        fields.String(allow_none=True, load_default=None, validate=[AFM, afm_check_digit])
    )
    paaypa = personal(
        fields.String(allow_none=True, load_default=None, validate=PAAYPA)
    )  # temporary number
    # as the ESF+ indicators break participants down (Reg. 2021/1057, Annex I); optional
    gender = personal(
        fields.String(allow_none=True, load_default=None, validate=validate.OneOf(GENDERS))
    )


class PersonalDataErasedV1(StrictSchema):
    beneficiary_id = fields.UUID(required=True)
    # sealed under the key this very erasure deletes: the why goes with the rest of the person
    reason = personal(Text(required=True, validate=validate.Length(min=1, max=500)))
    requested_by = fields.String(required=True)


SEARCH_LIMIT = 100  # a search by name answers at most this many records, the best matches first


class RegisterBeneficiarySchema(BeneficiaryRegisteredV1):
    command_id = fields.String(required=True, validate=validate.Length(min=8, max=100))
    beneficiary_id = fields.UUID(
        load_default=None
    )  # none: derived from command_id, so a retry finds it


class ErasePersonalDataSchema(PersonalDataErasedV1):
    command_id = fields.String(required=True, validate=validate.Length(min=8, max=100))


EVENTS = [
    EventContract(
        BENEFICIARY_REGISTERED,
        SOURCE,
        1,
        BeneficiaryRegisteredV1,
        "A person entered the beneficiary registry (with or without AMKA).",
    ),
    EventContract(
        PERSONAL_DATA_ERASED,
        SOURCE,
        1,
        PersonalDataErasedV1,
        "The beneficiary's personal data was erased on request; history and counts stay.",
    ),
]
COMMANDS = [
    CommandContract("RegisterBeneficiary", SOURCE, RegisterBeneficiarySchema, "Register a person."),
    CommandContract(
        "ErasePersonalData", SOURCE, ErasePersonalDataSchema, "Erase a person's personal data."
    ),
]


class MergeDecision(StrictSchema):
    beneficiary_id = fields.UUID(
        required=True
    )  # the duplicate: its history now belongs to the survivor
    reason = personal(Text(required=True, validate=validate.Length(min=1, max=500)))  # free text
    decided_by = fields.String(required=True, validate=validate.Length(min=1, max=100))


class BeneficiaryMergedV1(MergeDecision):
    survivor_id = fields.UUID(required=True)


class BeneficiaryUnmergedV1(BeneficiaryMergedV1):
    pass


MergeBeneficiarySchema = command_schema(BeneficiaryMergedV1, "MergeBeneficiarySchema")
UnmergeBeneficiarySchema = command_schema(MergeDecision, "UnmergeBeneficiarySchema")
EVENTS += [
    EventContract(
        BENEFICIARY_MERGED,
        SOURCE,
        1,
        BeneficiaryMergedV1,
        "Two records were the same person: the duplicate's history now belongs to the survivor.",
    ),
    EventContract(
        BENEFICIARY_UNMERGED,
        SOURCE,
        1,
        BeneficiaryUnmergedV1,
        "A merge was undone: the two records are two people again, each with its own history.",
    ),
]


class MergeRequestedV1(StrictSchema):
    """A worker who found two records of one person asks the head of centre to merge them."""

    beneficiary_id = fields.UUID(required=True)  # the duplicate, asked to join the survivor
    survivor_id = fields.UUID(required=True)
    reason = personal(Text(required=True, validate=validate.Length(min=1, max=500)))  # free text
    requested_by = fields.String(required=True, validate=validate.Length(min=1, max=100))


class MergeRequestDecidedV1(BeneficiaryMergedV1):
    """The head's answer to a merge request: the survivor it named, who decided and why."""


RequestMergeSchema = command_schema(MergeRequestedV1, "RequestMergeSchema")
ApproveMergeRequestSchema = command_schema(MergeDecision, "ApproveMergeRequestSchema")
DeclineMergeRequestSchema = command_schema(MergeDecision, "DeclineMergeRequestSchema")
EVENTS += [
    EventContract(
        MERGE_REQUESTED,
        SOURCE,
        1,
        MergeRequestedV1,
        "A worker asked the head of centre to merge a duplicate record into another.",
    ),
    EventContract(
        MERGE_REQUEST_APPROVED,
        SOURCE,
        1,
        MergeRequestDecidedV1,
        "The head of centre approved a merge request: the merge is stored with it.",
    ),
    EventContract(
        MERGE_REQUEST_DECLINED,
        SOURCE,
        1,
        MergeRequestDecidedV1,
        "The head of centre declined a merge request: the records stay two.",
    ),
]
COMMANDS += [
    CommandContract(
        "RequestMerge",
        SOURCE,
        RequestMergeSchema,
        "Ask the head of centre to merge a duplicate record into another.",
    ),
    CommandContract(
        "ApproveMergeRequest",
        SOURCE,
        ApproveMergeRequestSchema,
        "Approve the pending merge request of a record: the merge runs.",
    ),
    CommandContract(
        "DeclineMergeRequest",
        SOURCE,
        DeclineMergeRequestSchema,
        "Decline the pending merge request of a record.",
    ),
    CommandContract(
        "MergeBeneficiary",
        SOURCE,
        MergeBeneficiarySchema,
        "Merge a duplicate record into the surviving one (never done silently).",
    ),
    CommandContract("UnmergeBeneficiary", SOURCE, UnmergeBeneficiarySchema, "Undo a merge."),
]
