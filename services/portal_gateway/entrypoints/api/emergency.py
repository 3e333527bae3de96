"""Breaking the glass: a head asks for an emergency grant on one person (a POST: the reason never
travels in a URL), the DPO lists the grants and marks each reviewed with a note."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema, Text
from contracts.gateway import EMERGENCY_DETAILS
from contracts.vocabulary import EMERGENCY_REASONS
from services.common.metrics import EMERGENCY_ACCESS
from services.portal_gateway.application.people import records_of
from services.portal_gateway.domain import access, emergency
from services.portal_gateway.entrypoints.api import beneficiaries
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()

TAG = "emergency access"


class EmergencyBody(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(EMERGENCY_REASONS))
    details = Text(
        required=True,
        validate=EMERGENCY_DETAILS,
        metadata={"description": "what happened, in words (sealed in the audit)"},
    )


class ReviewBody(StrictSchema):
    note = Text(required=True, validate=validate.Length(min=1, max=2000))


@api.route(
    "POST",
    "/beneficiaries/<uuid:beneficiary_id>/emergency-access",
    "Break the glass (head of centre): one hour on this person's whole file, for you alone; "
    "the DPO is told at once",
    body=EmergencyBody,
    tag=TAG,
    allow=access.break_the_glass,
    answers=api_contract.Grant,
    created=True,
)
def grant(call: Call):
    why = emergency.refusal(call.body["reason"], call.body["details"])
    if why:
        raise ApiError(422, why, {"details": [why]})
    records = records_of(call.backends, str(call.args["beneficiary_id"]))
    if call.backends.registries.beneficiary(records[0]) is None:
        # the glass opens any real person's file (that is its purpose, and each grant alerts the
        # DPO); an id that is no one's is refused, audited like every refusal
        raise beneficiaries.refused(call, records[0], "emergency_access")
    found = call.backends.emergency.grant(
        call.principal, records[0], call.body["reason"], call.body["details"]
    )
    EMERGENCY_ACCESS.inc()
    return {
        "grant_id": found.grant_id,
        "beneficiary_id": found.beneficiary_id,
        "granted_at": found.granted_at.isoformat(),
        "expires_at": found.expires_at.isoformat(),
    }


@api.route(
    "GET",
    "/emergency-access",
    "Every emergency grant, newest first, with its reviews (DPO)",
    tag=TAG,
    allow=access.read_audit,
    answers=api_contract.Grants,
)
def grants(call: Call):
    return {"grants": call.backends.emergency.all()}


@api.route(
    "POST",
    "/emergency-access/<uuid:grant_id>/review",
    "Mark an emergency grant reviewed, with a note (DPO)",
    body=ReviewBody,
    tag=TAG,
    allow=access.read_audit,
    answers=api_contract.Review,
)
def review(call: Call):
    found = call.backends.emergency.review(
        call.principal, str(call.args["grant_id"]), call.body["note"]
    )
    if found is None:
        raise ApiError(404, "no_such_grant")
    return found
