"""Municipal systems publishing their own events over HTTP (with an API key), and the refused ones
for ops and the DPO. Each event is decided by application/municipal_events.py, the same piece the
AMQP consumer calls (entrypoints/municipal_consumer.py)."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from services.common.personal_data import SubjectErased
from services.portal_gateway.application import municipal_events
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()


class Posted(StrictSchema):
    # any JSON here: each event is checked on its own, so one bad item does not refuse the others
    events = fields.List(
        api_contract.ingest_item(), required=True, validate=validate.Length(min=1, max=500)
    )


@api.route(
    "POST",
    "/ingest/events",
    "Publish events from a municipal system (API key): each accepted or refused with reasons",
    body=Posted,
    auth="api_key",
    tag="municipal systems",
    answers=api_contract.IngestResults,
)
def ingest(call: Call):
    """Each event on its own (application/municipal_events.py, the same rules as over AMQP): one
    bad item does not refuse the others."""
    return {
        "results": [
            municipal_events.receive(call.backends, call.principal, e) for e in call.body["events"]
        ]
    }


@api.route(
    "GET",
    "/ingest/rejected",
    "Events from municipal systems that were refused (ops, the coordinator): publisher, time,"
    " reasons, type and digest; never the body",
    tag="municipal systems",
    allow=access.see_dead_letters,
    answers=api_contract.RefusedEvents,
)
def rejected(call: Call):
    return {"rejected": call.backends.ingest.rejected()}


@api.route(
    "GET",
    "/ingest/rejected/<int:rejected_id>",
    "A refused municipal event with its body, opened under its person's key (the DPO; audited)",
    tag="municipal systems",
    allow=access.read_refused_event,
    answers=api_contract.RefusedEvent,
    refuses=(410,),
)
def refused_event(call: Call):
    found = call.backends.ingest.find(call.args["rejected_id"])
    if found is None:
        raise ApiError(404, "no such refused event (or past its retention period)")
    try:
        if found["subject_id"]:  # audited before it is opened, like every read of a person's data
            call.backends.audit.record_viewed(
                call.principal,
                found["subject_id"],
                ["contacts"],
                None,
                False,
                purpose="ingest_rejected",
            )
        body = call.backends.ingest.body(found)
    except SubjectErased:  # the key is shredded; the timeline's consumer deletes the row
        raise ApiError(410, "the person this event named was erased") from None
    shown = {k: v for k, v in found.items() if k != "sealed"}
    return {**shown, "body_kept": body is not None, "body": body}
