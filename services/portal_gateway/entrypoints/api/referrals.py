"""Referrals: proposals, the lifecycle on both sides, inboxes and overdue ones."""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts import referrals as contract
from contracts.base import StrictSchema
from services.portal_gateway.application.people import visible_only
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


@api.route(
    "GET",
    "/referrals/inbox",
    "Open referrals: sent to your agency, or from and to your network",
    tag=TAG,
    allow=access.take_part_in_referrals,
    answers=api_contract.Referrals,
)
def inbox(call: Call):
    p = call.principal  # an agency's own referrals are asked for by its id; staff's are filtered
    found = call.backends.referrals.open_referrals(p.agency_id, None)
    return {"referrals": [r for r in found if access.see_referral(p, r)]}


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
