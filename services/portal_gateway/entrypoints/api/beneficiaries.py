"""Beneficiaries: search, register, the record (authorised, audited), merge, erase, who saw it."""

from __future__ import annotations

import hashlib

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema, Text
from contracts.geography import municipality
from contracts.registries import SEARCH_LIMIT, RegisterBeneficiarySchema
from services.common.text import strip_accents
from services.portal_gateway.adapters import timeline
from services.portal_gateway.application.people import (
    people,
    person,
    person_facts,
    visible_only,
)
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes, forbidden

api = Routes()

TAG = "beneficiaries"
PER_PAGE = 20  # search results on one page
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
        metadata={"description": "AMKA, or the beginnings of one or more words of the name"},
    )
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": f"which page of {PER_PAGE} results"},
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
    """Only people the caller may see come back, and are counted; the others are not mentioned,
    not even in the count. Ordered by relevance (more whole words of the name matched first),
    then by family name, given name and birth date. Each row on the page returned is audited (a
    name and a birth year are personal data read); the names of the other pages' rows are read
    only to order them, never returned."""
    hits = call.backends.registries.search(call.body["q"])
    found = visible_rows(call, hits)
    rows = sorted(found, key=search_order)
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(call.body.get("page", 1), pages)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    sites = {s["site"]: s.get("name") for s in call.backends.registries.network()["sites"]}
    for row in shown:
        call.backends.audit.record_viewed(
            call.principal, row["beneficiary_id"], ["identity"], None, False, purpose="search"
        )
        row["site_name"] = sites.get(row["registered_at"])
        row.pop("exact")
    return {
        "results": shown,
        "count": len(rows),
        "page": page,
        "pages": pages,
        "per_page": PER_PAGE,
        # the registry answers at most SEARCH_LIMIT: only when all were the caller's can more exist
        # for them (a count of those dropped would tell that another network holds people)
        "capped": len(found) >= SEARCH_LIMIT,
    }


def visible_rows(call: Call, hits: list[dict]) -> list[dict]:
    """The hits the caller may see (decided from the services' facts now), as rows: the facts
    of every hit in one round of calls, the registrations of the visible ones in one call."""
    who = people(call.backends, [h["beneficiary_id"] for h in hits])
    visible = [
        h for h, p in zip(hits, who, strict=True) if access.in_network(call.principal, p.facts)
    ]
    registered = call.backends.registries.beneficiaries([h["beneficiary_id"] for h in visible])
    return [
        found_row(call, hit, first)
        for hit, first in zip(visible, registered, strict=True)
        if first is not None  # the registry found the record, so it has one: never None today
    ]


def found_row(call: Call, hit: dict, first: dict) -> dict:
    registered = first["registered"]
    born = registered.get("birth_date")
    place = municipality(registered.get("municipality_code") or "")
    return {
        "beneficiary_id": hit["beneficiary_id"],
        "exact": hit["exact"],
        "given_name": registered.get("given_name"),
        "family_name": registered.get("family_name"),
        "birth_date": born,
        "birth_year": int(born[:4]) if born else None,
        "municipality_code": registered.get("municipality_code"),
        "municipality_name": (place.name_en if call.lang == "en" else place.name_el)
        if place
        else None,
        "registered_at": first["site"],
    }


def search_order(row: dict) -> tuple:
    def folded(text: str | None) -> str:
        return strip_accents(text or "").casefold()

    names = (folded(row["family_name"]), folded(row["given_name"]), row["birth_date"] or "")
    return (-row["exact"], *names)


def described(call: Call, beneficiary_id: str) -> dict:
    """A record as a row that names a person (a possible duplicate, a merge request): a search
    result's row, the read audited. Only for a record the caller's network may see: the callers
    check that first."""
    hit = {"beneficiary_id": beneficiary_id, "exact": 0}
    row = found_row(call, hit, registration(call, beneficiary_id))
    row.pop("exact")
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["identity"], None, False, purpose="search"
    )
    return row


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
        "special_categories": decision.special_categories,
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
