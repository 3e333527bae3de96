"""Ops look after the read models from the portal: their open dead letters, a retry after a fix,
a refused message discarded with a reason, and the consistency check against the sources. The
steps are the consumers' own (services/common/consumer/operations.py): reporting's over its RPC,
the timeline's over the gateway's own connections (adapters/read_models.py)."""

from __future__ import annotations

from marshmallow import validate

from contracts import api as api_contract
from contracts.base import StrictSchema, Text
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()

TAG = "operations"
MAX_ID = 2**63 - 1  # a dead letter's id is a bigint: a larger one is no letter's


class DiscardBody(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=3, max=500))


def _read_model(call: Call):
    found = call.backends.read_models.get(call.args["consumer"])
    if found is None:
        raise ApiError(404, "no_such_read_model")
    return found


@api.route(
    "GET",
    "/operations/dead-letters",
    "Every read model's open dead letters (ops): where each event sits, its type, digest and"
    " error; never its body",
    tag=TAG,
    allow=access.operate_read_models,
    answers=api_contract.DeadLetters,
)
def dead_letters(call: Call):
    return {
        "dead_letters": [d for m in call.backends.read_models.values() for d in m.dead_letters()]
    }


@api.route(
    "POST",
    "/operations/dead-letters/<consumer>/retry",
    "Retry a read model's dead letters after a fix (ops): parked streams applied again, refused"
    " messages closed once their source has been read again",
    tag=TAG,
    allow=access.operate_read_models,
    answers=api_contract.DeadLettersRetried,
)
def retry(call: Call):
    return _read_model(call).retry(call.principal.username)


@api.route(
    "POST",
    "/operations/dead-letters/<consumer>/<int:letter_id>/discard",
    "Close a refused message by hand, with the reason (ops); an event of a stream is retried,"
    " never discarded",
    body=DiscardBody,
    tag=TAG,
    allow=access.operate_read_models,
    answers=api_contract.DeadLetterDiscarded,
)
def discard(call: Call):
    model, letter, reason = _read_model(call), call.args["letter_id"], call.body["reason"].strip()
    if not reason:  # kept with the letter for whoever looks later: spaces say nothing
        raise ApiError(422, "discard_reason_needed")
    if letter > MAX_ID or not model.discard(letter, reason, call.principal.username):
        raise ApiError(404, "no_such_dead_letter")
    return {"consumer": call.args["consumer"], "id": letter}


@api.route(
    "GET",
    "/operations/consistency",
    "Each read model against its sources, run now (ops): consistent, or the streams that differ"
    " (a stream only behind may be lag)",
    tag=TAG,
    allow=access.operate_read_models,
    answers=api_contract.Consistency,
)
def consistency(call: Call):
    return {"read_models": [m.consistency() for m in call.backends.read_models.values()]}
