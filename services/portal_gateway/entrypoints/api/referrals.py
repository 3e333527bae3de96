"""Referrals: proposals, the lifecycle on both sides, inboxes and overdue ones."""

from __future__ import annotations

from collections.abc import Callable

from contracts import referrals as contract
from services.portal_gateway.application.people import person_facts
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, forbidden, route

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


@route(
    "GET",
    "/referrals/proposals",
    "Agencies and programmes that could take this need where the person lives",
    query={
        "need": "employment, food, shelter, ...",
        "municipality": "the municipality code",
        "groups": "comma-separated vulnerable groups",
        "age": "years",
    },
    tag=TAG,
)
def proposals(call: Call):
    if call.principal.role not in (*access.STAFF, "regional_coordinator"):
        raise forbidden()
    need, municipality = call.query.get("need"), call.query.get("municipality")
    if not need or not municipality:
        raise ApiError(
            422, "need and municipality are required", {"need": need, "municipality": municipality}
        )
    age = call.query.get("age")
    if age is not None and not age.isdigit():
        raise ApiError(422, "age must be a whole number of years", {"age": age})
    groups = [g for g in call.query.get("groups", "").split(",") if g]
    return {
        "proposals": call.backends.referrals.propose_recipients(
            need, municipality, groups, int(age) if age else None
        )
    }


@route(
    "POST",
    "/referrals",
    "Request a referral (consent is checked if it shares personal data)",
    body=contract.RequestReferralSchema,
    tag=TAG,
    fills=("by", "consent_recipient"),
    roles=access.STAFF,
)
def request(call: Call):
    facts = person_facts(call.backends, str(call.body["beneficiary_id"]))
    decision = access.act_on_case(call.principal, facts, call.body.get("from_site"))
    if not decision.allowed:
        raise forbidden(decision.why)
    return call.backends.referrals.request_referral(
        {**call.body, "by": call.principal.username}, call.principal.context
    )


def _referral(call: Call) -> dict:
    found = call.backends.referrals.referral(str(call.args["referral_id"]))
    if found is None:
        raise ApiError(404, "no such referral")
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
    route(
        "POST",
        f"/referrals/<uuid:referral_id>/{segment}",
        summary,
        body=schema,
        tag=TAG,
        fills=("beneficiary_id", "by"),
        roles=access.STAFF,
    )(_step(method, access.send_referral))
for segment, (method, schema, summary) in RECIPIENT_STEPS.items():
    route(
        "POST",
        f"/referrals/<uuid:referral_id>/{segment}",
        summary,
        body=schema,
        tag=TAG,
        fills=("beneficiary_id", "by"),
        roles=(*access.STAFF, "agency_officer"),
    )(_step(method, access.answer_referral))


@route(
    "GET",
    "/referrals/inbox",
    "Open referrals: sent to your agency, or from and to your network",
    tag=TAG,
)
def inbox(call: Call):
    p = call.principal
    if p.role == "agency_officer":
        found = call.backends.referrals.open_referrals(p.agency_id, None)
    elif p.role in access.STAFF:
        found = [
            r
            for r in call.backends.referrals.open_referrals(None, None)
            if access.see_referral(p, r)
        ]
    else:
        raise forbidden()
    return {"referrals": found}


@route("GET", "/referrals/overdue", "Referrals past their due date with no answer", tag=TAG)
def overdue(call: Call):
    p = call.principal
    found = call.backends.referrals.overdue_referrals()
    if p.role == "regional_coordinator":
        return {"referrals": found}
    if p.role in (*access.STAFF, "agency_officer"):
        return {"referrals": [r for r in found if access.see_referral(p, r)]}
    raise forbidden()
