"""Beneficiaries: search, register, the record (authorised, audited), merge, erase, who saw it."""

from __future__ import annotations

import hashlib

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema, Text
from contracts.registries import RegisterBeneficiarySchema
from services.portal_gateway.adapters import timeline
from services.portal_gateway.application.people import person, person_facts, visible_only
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes, forbidden

api = Routes()

TAG = "beneficiaries"
# an unknown id and a person the caller may not see get this same 404 on every route that takes a
# beneficiary id: neither status nor words tell whether the person exists elsewhere
NO_SUCH_BENEFICIARY = "no_such_beneficiary"  # a key of the words (web/i18n.py)


class MergeBody(StrictSchema):
    command_id = fields.String(
        validate=validate.Length(min=8, max=100)
    )  # else derived from the request
    survivor_id = fields.UUID(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class SearchBody(StrictSchema):
    q = Text(
        required=True,
        validate=validate.Length(max=200),
        metadata={"description": "AMKA, or one or more words of the name"},
    )


class ReasonBody(StrictSchema):
    command_id = fields.String(validate=validate.Length(min=8, max=100))
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


def command_id(call: Call, *parts) -> str:
    """The client's, or one derived from what it asked: the same request twice is one command."""
    return (
        call.body.get("command_id")
        or hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:40]
    )


def refused(call: Call, beneficiary_id: str, asked: str | None = None) -> ApiError:
    """A refused attempt on a person, audited (`asked`: what was asked, if not to read the record);
    an id that does not exist is refused and audited exactly as another network's person, so a
    refusal reveals nothing about who exists elsewhere."""
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, [], asked, False, purpose="record", refused=True
    )
    return ApiError(404, NO_SUCH_BENEFICIARY)


def registration(call: Call, beneficiary_id: str) -> dict:
    found = call.backends.registries.beneficiary(beneficiary_id)
    if found is None:
        raise ApiError(404, NO_SUCH_BENEFICIARY)
    return found


@api.route(
    "POST",
    "/beneficiaries/search",
    "Search by AMKA or name (Greek or Greeklish, accents ignored): people your role and site may"
    " see. A POST with the words in its JSON body, never in the URL, which access logs and"
    " browsers' histories keep",
    body=SearchBody,
    tag=TAG,
    allow=access.is_staff,
    answers=api_contract.SearchResults,
)
def search(call: Call):
    """Only people the caller may see come back, each row audited (a name and a birth date are
    personal data read); the others are not mentioned, not even as a count."""
    found = []
    for beneficiary_id in call.backends.registries.search(call.body["q"]):
        if access.in_network(call.principal, person_facts(call.backends, beneficiary_id)):
            found.append(described(call, beneficiary_id))
    return {"results": found}


def described(call: Call, beneficiary_id: str) -> dict:
    """A record as a row that names a person (a search result, a possible duplicate, a merge
    request): name, birth date and the site that registered them, the read audited. Only for a
    record the caller's network may see: the callers check that first."""
    first = registration(call, beneficiary_id)
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["identity"], None, False, purpose="search"
    )
    registered = first["registered"]
    return {
        "beneficiary_id": beneficiary_id,
        "given_name": registered.get("given_name"),
        "family_name": registered.get("family_name"),
        "birth_date": registered.get("birth_date"),
        "registered_at": first["site"],
    }


@api.route(
    "POST",
    "/beneficiaries",
    "Register a beneficiary (with or without AMKA): duplicates your network may see come back "
    "as warnings",
    body=RegisterBeneficiarySchema,
    tag=TAG,
    allow=access.is_staff,
    answers=api_contract.Registration,
    created=True,
)
def register(call: Call):
    decision = access.act_on_case(call.principal, None, call.body.get("site"))
    if not decision.allowed:
        raise forbidden(decision.why)
    # a number held only by another network comes back as a new registration: the registry made
    # a record of this site's own and linked it to the person's regional record, unseen here;
    # `found_existing` names only a record the caller's own network registered
    answer = call.backends.registries.register_beneficiary(call.body, call.principal.context)
    duplicates = [  # enough to decide whether it is the same person: never a bare id
        {**d, **described(call, d["beneficiary_id"])}
        for d in visible_only(call.backends, call.principal, answer["possible_duplicates"])
    ]
    beneficiary_id = answer["stream"].removeprefix("beneficiary-")  # the person's own stream
    return {**answer, "beneficiary_id": beneficiary_id, "possible_duplicates": duplicates}


@api.route(
    "GET",
    "/beneficiaries/<uuid:beneficiary_id>",
    "A beneficiary's record and timeline (every read is audited; a head's emergency grant, "
    "if live, opens it in full)",
    tag=TAG,
    answers=api_contract.Record,
)
def record(call: Call):
    beneficiary_id = str(call.args["beneficiary_id"])
    # access from the services' own facts at this moment; the timeline (which may lag) is only shown
    found = person(call.backends, beneficiary_id)
    records = found.records
    grant = call.backends.emergency.live(call.principal.username, records) if found.known else None
    decision = access.view_record(call.principal, found.facts, grant is not None)
    if not found.known or not decision.allowed:  # not even the glass opens a record that is none
        raise refused(call, beneficiary_id)
    first = registration(call, records[0])
    steps = timeline.path(call.backends.timeline_db, records)
    categories = ["identity", "contacts", "referrals"] + (
        ["special_category"] if decision.special_categories else []
    )
    reason = grant.reason if grant and decision.break_glass else None
    call.backends.audit.record_viewed(
        call.principal, records[0], categories, reason, decision.break_glass
    )
    case = call.backends.intake.case_summary(records[0], records[1:])
    referrals = call.backends.referrals.referrals_of(records)
    assessment = case.pop("assessment")  # special-category fields: for case workers only
    return {
        "beneficiary_id": records[0],
        "records": records,
        "erased": first["erased"],
        "registered": first["registered"],
        "timeline": timeline.named(steps, referrals),
        "case": case,
        "assessment": assessment if decision.special_categories else None,
        "referrals": referrals,
        "break_glass": decision.break_glass,
        "emergency_until": grant.expires_at.isoformat() if decision.break_glass and grant else None,
    }


@api.route(
    "POST",
    "/beneficiaries/<uuid:beneficiary_id>/merge",
    "Merge this duplicate record into the survivor (head of centre)",
    body=MergeBody,
    tag=TAG,
    allow=access.decide_merges,
    answers=api_contract.CommandAnswer,
)
def merge(call: Call):
    beneficiary_id = str(call.args["beneficiary_id"])
    for record_id in (beneficiary_id, str(call.body["survivor_id"])):
        if not access.in_network(call.principal, person_facts(call.backends, record_id)):
            raise refused(call, record_id, "merge")
    command = {
        "command_id": command_id(call, "merge", beneficiary_id, call.body["survivor_id"]),
        "beneficiary_id": beneficiary_id,
        "survivor_id": str(call.body["survivor_id"]),
        "reason": call.body["reason"],
        "decided_by": call.principal.username,
    }
    return call.backends.registries.merge_beneficiaries(command, call.principal.context)


@api.route(
    "POST",
    "/beneficiaries/<uuid:beneficiary_id>/unmerge",
    "Undo a merge (head of centre)",
    body=ReasonBody,
    tag=TAG,
    allow=access.decide_merges,
    answers=api_contract.CommandAnswer,
)
def unmerge(call: Call):
    beneficiary_id = str(call.args["beneficiary_id"])
    if not access.in_network(call.principal, person_facts(call.backends, beneficiary_id)):
        raise refused(call, beneficiary_id, "unmerge")
    command = {
        "command_id": command_id(call, "unmerge", beneficiary_id, call.body["reason"]),
        "beneficiary_id": beneficiary_id,
        "reason": call.body["reason"],
        "decided_by": call.principal.username,
    }
    return call.backends.registries.unmerge_beneficiary(command, call.principal.context)


@api.route(
    "POST",
    "/beneficiaries/<uuid:beneficiary_id>/erasure",
    "Erase the personal data (DPO): history and counts stay",
    body=ReasonBody,
    tag=TAG,
    allow=access.erase,
    answers=api_contract.CommandAnswer,
)
def erase(call: Call):
    beneficiary_id = str(call.args["beneficiary_id"])
    command = {
        "command_id": command_id(call, "erase", beneficiary_id),
        "beneficiary_id": beneficiary_id,
        "reason": call.body["reason"],
        "requested_by": call.principal.username,
    }
    return call.backends.registries.erase_personal_data(command, call.principal.context)


@api.route(
    "GET",
    "/beneficiaries/<uuid:beneficiary_id>/audit",
    "Who read this record, when, where and why (DPO)",
    tag=TAG,
    allow=access.read_audit,
    answers=api_contract.Views,
)
def who_saw(call: Call):
    """The DPO's own reading is a read too: recorded before the list is taken, so it lists itself."""
    beneficiary_id = str(call.args["beneficiary_id"])
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["audit"], None, False, purpose="audit"
    )
    return {"views": call.backends.audit.who_saw(beneficiary_id)}
