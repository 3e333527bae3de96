"""Mobile-unit sync: commands recorded offline, applied in order, each reported as applied,
already applied, conflict (with the current state, for the worker to decide) or refused. Nothing
recorded offline is silently lost: a conflict is never resolved by last-write-wins."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from contracts.referrals import RequestReferralSchema
from contracts.registries import RegisterBeneficiarySchema
from services.common.rpc_commands import CommandRejected
from services.portal_gateway.application.people import person_facts
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api import beneficiaries, referrals
from services.portal_gateway.entrypoints.api.cases import ACTIONS, run_case_command
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes
from services.portal_gateway.entrypoints.web.messages import translated, translated_details

KINDS = ("beneficiaries", "referrals", *ACTIONS)


api = Routes()


class OfflineCommand(StrictSchema):
    command_id = fields.String(required=True, validate=validate.Length(min=8, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    beneficiary_id = fields.UUID(required=True)
    base_version = fields.Integer(
        required=True,
        validate=validate.Range(min=0),
        metadata={
            "description": "the version it was decided on: of the beneficiary's case stream"
            " (case-<beneficiary_id>) for a case command, of the referral's stream for a"
            " referral (0: a new one); unused for a registration"
        },
    )
    occurred_at = fields.AwareDateTime(required=True)  # when it happened, offline
    fields_ = api_contract.command_fields(
        {
            "beneficiaries": RegisterBeneficiarySchema,
            "referrals": RequestReferralSchema,
            **{kind: schema for kind, (_, schema, _) in ACTIONS.items()},
        },
        filled=("by", "consent_recipient"),  # a referral's: the gateway's
    )


class Batch(StrictSchema):
    commands = fields.List(
        fields.Nested(OfflineCommand), required=True, validate=validate.Length(min=1, max=500)
    )


@api.route(
    "POST",
    "/sync",
    "Apply commands recorded offline by a mobile unit, in order, idempotently",
    body=Batch,
    tag="mobile unit",
    allow=access.is_staff,
    answers=api_contract.SyncResults,
)
def sync(call: Call):
    return {"results": [_apply(call, c) for c in Batch().load(call.body)["commands"]]}


def _apply(call: Call, c: dict) -> dict:
    beneficiary_id = str(c["beneficiary_id"])
    command = {**c["fields_"], "command_id": c["command_id"], "beneficiary_id": beneficiary_id}
    context = {**call.principal.context, "occurred_at": c["occurred_at"].isoformat()}
    acting = _Acting(call.principal, context)
    offline = Call(call.args, command, call.query, acting, call.backends, call.client, call.lang)
    try:
        if c["kind"] == "beneficiaries":
            answer = beneficiaries.register(offline)
        elif c["kind"] == "referrals":
            offline.body = {**command, "expected_version": c["base_version"]}
            answer = referrals.request(offline)
        else:
            versioned = {**command, "expected_version": c["base_version"]}
            answer = run_case_command(offline, ACTIONS[c["kind"]][0], versioned)
    except CommandRejected as exc:
        if exc.code == "conflict":
            return _conflict(call, c, exc)
        return {
            "command_id": c["command_id"],
            "status": "refused",
            "code": exc.code,
            "message": translated(exc.message, call.lang),
            "details": translated_details(exc.details, call.lang),
        }
    except ApiError as exc:
        return {
            "command_id": c["command_id"],
            "status": "refused",
            "code": str(exc.status),
            "message": exc.said(call.lang),
        }
    status = "already_applied" if answer["duplicate"] else "applied"
    return {"command_id": c["command_id"], "status": status, "version": answer["version"]}


def _conflict(call: Call, c: dict, exc: CommandRejected) -> dict:
    """What was recorded since the client's version, for the worker to decide on: only about a
    person they may act on (an id of another network's person, or one that collides with it, is
    refused like any of their commands), and audited as a read."""
    beneficiary_id = str(c["beneficiary_id"])
    decision = access.act_on_case(call.principal, person_facts(call.backends, beneficiary_id), None)
    if not decision.allowed:  # as every refusal on a person: the same audited 404
        refusal = beneficiaries.refused(call, beneficiary_id, "sync_conflict")
        return {
            "command_id": c["command_id"],
            "status": "refused",
            "code": str(refusal.status),
            "message": refusal.said(call.lang),
        }
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["contacts"], None, False, purpose="sync_conflict"
    )
    return {
        "command_id": c["command_id"],
        "status": "conflict",
        "message": translated(exc.message, call.lang),
        "current_version": exc.details.get("current_version"),
        "since_your_version": call.backends.intake.case_history(beneficiary_id, c["base_version"]),
    }


class _Acting:
    """The worker as they were when offline: same rights, their own moment in the metadata."""

    def __init__(self, principal, context: dict):
        self._principal, self.context = principal, context

    def __getattr__(self, name):
        return getattr(self._principal, name)
