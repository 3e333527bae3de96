"""Referrals: proposals, the lifecycle on both sides, inboxes and overdue ones."""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts import referrals as contract
from contracts.base import StrictSchema
from services.common.clock import today_in_greece
from services.portal_gateway.application.people import person_facts, visible_only
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.cases import act_for
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes, forbidden

api = Routes()


class ProposalsQuery(StrictSchema):
    need = fields.String(required=True, metadata={"description": "employment, food, shelter, ..."})
    municipality = fields.String(required=True, metadata={"description": "the municipality code"})
    groups = fields.String(
        load_default="", metadata={"description": "comma-separated vulnerable groups"}
    )
    age = fields.Integer(validate=validate.Range(0, 130), metadata={"description": "years"})


TAG = "referrals"
PER_PAGE = 20
# what an inbox may be filtered by: every state but "requested" (not sent: nobody was asked yet)
ANSWERABLE_STATES = tuple(s for s in contract.STATES if s != "requested")
SENDER_STEPS = {
    "sending": ("send_referral", contract.SendReferralSchema, "Send it to the recipient"),
    "withdrawal": ("withdraw_referral", contract.WithdrawReferralSchema, "Withdraw it (sender)"),
}
RECIPIENT_STEPS = {
    "receipt": (
        "acknowledge_referral",
        contract.AcknowledgeReferralSchema,
        "Acknowledge receipt (recipient)",
    ),
    "acceptance": ("accept_referral", contract.AcceptReferralSchema, "Accept (recipient)"),
    "rejection": (
        "reject_referral",
        contract.RejectReferralSchema,
        "Reject, with a reason (recipient)",
    ),
    "completion": (
        "complete_referral",
        contract.CompleteReferralSchema,
        "Report the outcome (recipient)",
    ),
}


@api.route(
    "GET",
    "/referrals/proposals",
    "Agencies and programmes that could take this need where the person lives",
    query=ProposalsQuery,
    tag=TAG,
    allow=access.propose_recipients,
    answers=api_contract.Proposals,
)
def proposals(call: Call):
    q = call.query
    groups = [g for g in q["groups"].split(",") if g]
    found = call.backends.referrals.propose_recipients(
        q["need"], q["municipality"], groups, q.get("age")
    )
    return {"proposals": found}


@api.route(
    "POST",
    "/referrals",
    "Request a referral (consent is checked if it shares personal data)",
    body=contract.RequestReferralSchema,
    tag=TAG,
    fills=("by", "consent_recipient"),
    allow=access.is_staff,
    answers=api_contract.CommandAnswer,
    created=True,
)
def request(call: Call):
    act_for(call, str(call.body["beneficiary_id"]), call.body.get("from_site"), "request_referral")
    answer = call.backends.referrals.request_referral(
        {**call.body, "by": call.principal.username}, call.principal.context
    )
    if "warnings" in answer:  # who may already be at the receiving centre: theirs to know
        answer["warnings"] = visible_only(call.backends, call.principal, answer["warnings"])
    return answer


def _referral(call: Call) -> dict:
    found = call.backends.referrals.referral(str(call.args["referral_id"]))
    if found is None:
        raise ApiError(404, "no_such_referral")
    return found


def _step(method: str, may) -> Callable[[Call], dict]:
    def handle(call: Call):
        referral = _referral(call)
        if not may(call.principal, referral):
            raise forbidden("this step belongs to the other side of the referral")
        command = {
            **call.body,
            "referral_id": str(call.args["referral_id"]),
            "beneficiary_id": referral["beneficiary_id"],
            "by": call.principal.username,
        }
        return getattr(call.backends.referrals, method)(command, call.principal.context)

    return handle


for segment, (method, schema, summary) in SENDER_STEPS.items():
    api.route(
        "POST",
        f"/referrals/<uuid:referral_id>/{segment}",
        summary,
        body=schema,
        tag=TAG,
        fills=("beneficiary_id", "by"),
        allow=access.is_staff,
        answers=api_contract.CommandAnswer,
        refuses=(403,),
    )(_step(method, access.send_referral))
for segment, (method, schema, summary) in RECIPIENT_STEPS.items():
    api.route(
        "POST",
        f"/referrals/<uuid:referral_id>/{segment}",
        summary,
        body=schema,
        tag=TAG,
        fills=("beneficiary_id", "by"),
        allow=access.take_part_in_referrals,
        answers=api_contract.CommandAnswer,
        refuses=(403,),
    )(_step(method, access.answer_referral))


class InboxQuery(StrictSchema):
    state = fields.String(
        validate=validate.OneOf(ANSWERABLE_STATES),
        metadata={"description": "only referrals in this state (else the open ones)"},
    )
    due_by = fields.Date(metadata={"description": "only those due on or before this day"})
    overdue = fields.Boolean(
        load_default=False, metadata={"description": "only those past due and unanswered"}
    )
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))


@api.route(
    "GET",
    "/referrals/inbox",
    "Sent referrals, a page at a time: to your agency, or from and to your network; each with the"
    " person's name and phone where you may see them (an agency: their consent in force covers"
    " it), every such read audited",
    query=InboxQuery,
    tag=TAG,
    allow=access.take_part_in_referrals,
    answers=api_contract.Inbox,
)
def inbox(call: Call):
    p, q = call.principal, call.query
    parties = [p.agency_id] if p.role == "agency_officer" else sorted(p.network)
    found = call.backends.referrals.inbox(
        parties,
        q.get("state"),
        q["due_by"].isoformat() if q.get("due_by") else None,
        q["overdue"],
        q["page"],
        PER_PAGE,
    )
    mine = [r for r in found["referrals"] if access.see_referral(p, r)]
    return {
        "referrals": [{**r, "person": _person(call, r)} for r in mine],
        "total": found["total"],
        "page": q["page"],
        "per_page": PER_PAGE,
    }


def _person(call: Call, referral: dict) -> dict | None:
    """Who the referral is about, decided now from the services' facts: an agency sees the person
    only while their consent covers it (a programme's agency included) and sharing has not been
    stopped; staff, a person of their network. What is shown is audited as a read."""
    p, beneficiary_id = call.principal, referral["beneficiary_id"]
    if p.role == "agency_officer":
        today = today_in_greece().isoformat()
        allowed = not referral["sharing_stopped"] and call.backends.intake.may_share_with(
            beneficiary_id, p.agency_id, today
        )
    else:
        allowed = access.in_network(p, person_facts(call.backends, beneficiary_id))
    found = call.backends.registries.beneficiary(beneficiary_id) if allowed else None
    if found is None or found["erased"]:
        return None
    call.backends.audit.record_viewed(
        p, beneficiary_id, ["identity"], None, False, purpose="referral_inbox"
    )
    registered = found["registered"]
    return {k: registered.get(k) for k in ("given_name", "family_name", "phone")}


@api.route(
    "GET",
    "/referrals/overdue",
    "Referrals past their due date with no answer",
    tag=TAG,
    allow=access.follow_referrals,
    answers=api_contract.Referrals,
)
def overdue(call: Call):
    found = call.backends.referrals.overdue_referrals()
    return {"referrals": [r for r in found if access.see_referral_in_a_list(call.principal, r)]}
