"""A beneficiary's case: every intake command, for the staff of the network the person is known in."""

from __future__ import annotations

from contracts import api as api_contract
from contracts import intake as contract
from services.common.rpc_commands import UNSETTLED, CommandRejected
from services.portal_gateway.application.people import person_facts, visible_only
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api import beneficiaries
from services.portal_gateway.entrypoints.api.framework import Call, Routes, forbidden

api = Routes()

TAG = "case"
# path segment -> (intake RPC, contract, what it does)
ACTIONS = {
    "contacts": (
        "record_contact",
        contract.RecordContactSchema,
        "Record a contact (centre, mobile unit visit, home visit, phone)",
    ),
    "services": ("record_service", contract.RecordServiceSchema, "Record a service delivered"),
    "consents": (
        "record_consent",
        contract.RecordConsentSchema,
        "Record consent to share with a recipient",
    ),
    "consent-withdrawals": (
        "withdraw_consent",
        contract.WithdrawConsentSchema,
        "Withdraw consent: sharing stops",
    ),
    "assessments": (
        "record_needs_assessment",
        contract.RecordNeedsAssessmentSchema,
        "Record a needs assessment",
    ),
    "action-plans": (
        "open_action_plan",
        contract.OpenActionPlanSchema,
        "Open the individual action plan",
    ),
    "action-steps": (
        "add_action_step",
        contract.AddActionStepSchema,
        "Add a step to the action plan",
    ),
    "action-steps-done": (
        "mark_step_done",
        contract.MarkStepDoneSchema,
        "Mark a step of the plan done",
    ),
    "action-plan-closures": (
        "close_action_plan",
        contract.CloseActionPlanSchema,
        "Close the action plan",
    ),
    "case-closures": (
        "close_case",
        contract.CloseCaseSchema,
        "Close the case (leaving: the situation at exit)",
    ),
    "follow-ups": (
        "record_follow_up",
        contract.RecordFollowUpSchema,
        "Six months after leaving: the follow-up",
    ),
    "case-reopenings": ("reopen_case", contract.ReopenCaseSchema, "Reopen the case"),
    "case-transfers": (
        "transfer_case",
        contract.TransferCaseSchema,
        "Transfer the case to another centre",
    ),
}


def run_case_command(call: Call, method: str, command: dict) -> dict:
    """Shared with the mobile-unit sync: the same checks for a command sent now or recorded
    offline. Most commands are on a case the caller's network has already met: intake sees that
    in its own facts, in the same call (`acting_for`), so the three facts RPCs are asked only for
    the rest (a person new to the case, another network's, no one's), as before."""
    beneficiary_id, site = str(command["beneficiary_id"]), command.get("site")
    decision = access.act_on_case(call.principal, None, site)
    if not decision.allowed:
        raise forbidden(decision.why)
    send = getattr(call.backends.intake, method)
    try:
        answer = send(
            command, {**call.principal.context, "acting_for": sorted(call.principal.network)}
        )
    except CommandRejected as exc:
        if exc.code != UNSETTLED:
            raise
        act_for(call, beneficiary_id, site, method)
        answer = send(command, call.principal.context)
    if "warnings" in answer:  # a transfer's: who may already be at the receiving centre
        answer["warnings"] = visible_only(call.backends, call.principal, answer["warnings"])
    return answer


def act_for(call: Call, beneficiary_id: str, site: str | None, asked: str) -> None:
    """May the caller act on this person's case for this site? A site outside their network is
    refused in its own words (403: it is about them, not the person); a person they may not act
    on, or an id that is no one's, is the same audited 404 (beneficiaries.refused)."""
    decision = access.act_on_case(call.principal, None, site)
    if not decision.allowed:
        raise forbidden(decision.why)
    if not access.act_on_case(
        call.principal, person_facts(call.backends, beneficiary_id), site
    ).allowed:
        raise beneficiaries.refused(call, beneficiary_id, asked)


def _handler(method: str):
    def handle(call: Call):
        return run_case_command(
            call, method, {**call.body, "beneficiary_id": str(call.args["beneficiary_id"])}
        )

    return handle


for segment, (method, schema, summary) in ACTIONS.items():
    api.route(
        "POST",
        f"/beneficiaries/<uuid:beneficiary_id>/{segment}",
        summary,
        body=schema,
        tag=TAG,
        allow=access.is_staff,
        answers=api_contract.CommandAnswer,
        refuses=(403,),  # a site outside the caller's network
    )(_handler(method))
