"""Merge requests: a worker who sees that two records are one person asks; the head of centre
approves (the registry merges them then) or declines. The registry decides every rule (one
request at a time, who asked never approves, the merge's own rules); the gateway checks that
both records are the caller's network's and routes."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema, Text
from services.portal_gateway.application.people import people, person_facts
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.beneficiaries import (
    ReasonBody,
    command_id,
    described,
    refused,
)
from services.portal_gateway.entrypoints.api.framework import Call, Routes

api = Routes()

TAG = "beneficiaries"


class MergeRequestBody(StrictSchema):
    command_id = fields.String(validate=validate.Length(min=8, max=100))
    survivor_id = fields.UUID(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


def ours(call: Call, *records: str) -> None:
    """Both records the caller's network may see, else the same audited 404 as any record."""
    for record in records:
        if not access.in_network(call.principal, person_facts(call.backends, record)):
            raise refused(call, record, "merge")


@api.route(
    "POST",
    "/beneficiaries/<uuid:beneficiary_id>/merge-requests",
    "Ask the head of centre to merge this record (the duplicate) into another",
    body=MergeRequestBody,
    tag=TAG,
    allow=access.is_staff,
    answers=api_contract.CommandAnswer,
)
def request_merge(call: Call):
    duplicate, survivor = str(call.args["beneficiary_id"]), str(call.body["survivor_id"])
    ours(call, duplicate, survivor)
    command = {
        "command_id": command_id(call, "merge-request", duplicate, survivor, call.body["reason"]),
        "beneficiary_id": duplicate,
        "survivor_id": survivor,
        "reason": call.body["reason"],
        "requested_by": call.principal.username,
    }
    return call.backends.registries.request_merge(command, call.principal.context)


@api.route(
    "GET",
    "/merge-requests",
    "The merge requests waiting for the head of centre, made in their network",
    tag=TAG,
    allow=access.decide_merges,
    answers=api_contract.MergeRequests,
)
def pending(call: Call):
    waiting = call.backends.registries.merge_requests(sorted(call.principal.network))
    records = [b for r in waiting for b in (r["beneficiary_id"], r["survivor_id"])]
    visible = {
        b: access.in_network(call.principal, found.facts)
        for b, found in zip(records, people(call.backends, records), strict=True)
    }
    return {
        "requests": [
            {
                "duplicate": described(call, r["beneficiary_id"]),
                "survivor": described(call, r["survivor_id"]),
                "requested_by": r["requested_by"],
                "site": r["site"],
                "requested_at": r["requested_at"],
            }
            for r in waiting
            # a record that has since left the network (a transfer) is not shown
            if visible[r["beneficiary_id"]] and visible[r["survivor_id"]]
        ]
    }


def _decision(rpc: str, step: str):
    def decide(call: Call):
        duplicate = str(call.args["beneficiary_id"])
        ours(call, duplicate)
        command = {
            "command_id": command_id(call, step, duplicate, call.body["reason"]),
            "beneficiary_id": duplicate,
            "reason": call.body["reason"],
            "decided_by": call.principal.username,
        }
        return getattr(call.backends.registries, rpc)(command, call.principal.context)

    return decide


for _rpc, _step, _summary in (
    (
        "approve_merge_request",
        "merge-approval",
        "Approve the record's merge request (head of centre)",
    ),
    (
        "decline_merge_request",
        "merge-decline",
        "Decline the record's merge request (head of centre)",
    ),
):
    api.route(
        "POST",
        f"/beneficiaries/<uuid:beneficiary_id>/{_step}",
        _summary,
        body=ReasonBody,
        tag=TAG,
        allow=access.decide_merges,
        answers=api_contract.CommandAnswer,
    )(_decision(_rpc, _step))
