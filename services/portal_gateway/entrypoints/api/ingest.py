"""Municipal systems publishing their own events over HTTP: each is checked against the published
contract (JSON Schema, contracts/published), accepted idempotently (its event id is the command
id) or refused with the reasons and kept for the ops team to review (the body sealed under its
person's key, for the DPO alone: adapters/ingest_store.py). A reason never quotes a value of the
event: it is kept in clear."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from contracts.names import CONTACT_RECORDED, SERVICE_DELIVERED
from services.common.personal_data import SubjectErased
from services.common.rpc_commands import CommandRejected
from services.portal_gateway.application.people import known_subject, person_facts
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()

PUBLISHED = Path(__file__).resolve().parents[4] / "contracts" / "published" / "schemas" / "events"
# what a municipal system may publish, and the intake command each becomes
ACCEPTED = {CONTACT_RECORDED: "record_contact", SERVICE_DELIVERED: "record_service"}


class Posted(StrictSchema):
    # any JSON here: each event is checked on its own, so one bad item does not refuse the others
    events = fields.List(
        api_contract.ingest_item(), required=True, validate=validate.Length(min=1, max=500)
    )


@cache
def validator(type_: str, version: int) -> Draft202012Validator | None:
    path = PUBLISHED / f"{type_}.v{version}.json"
    return (
        Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))
        if path.exists()
        else None
    )


def problems(event) -> list[str]:
    if not isinstance(event, dict):
        return ["an event is a JSON object with event_id, type, schema_version and data"]
    missing = [k for k in ("event_id", "type", "schema_version", "data") if k not in event]
    if missing:
        return [f"missing {', '.join(missing)}"]
    if not isinstance(event["type"], str) or event["type"] not in ACCEPTED:
        return [f"type: not an event municipal systems publish (accepted: {', '.join(ACCEPTED)})"]
    found = (
        validator(event["type"], event["schema_version"])
        if isinstance(event["schema_version"], int)
        else None
    )
    if found is None:
        return [f"schema_version: no published contract of {event['type']} in that version"]
    return [_schema_problem(e) for e in found.iter_errors(event["data"])] + _envelope_problems(
        event
    )


def _schema_problem(error) -> str:
    """Where and which rule of the contract, never the value (jsonschema's own message quotes it:
    a too-long note would be kept whole)."""
    where = "data/" + "/".join(map(str, error.absolute_path))
    if error.validator == "required":  # names a property of the contract, not a value
        return f"{where}: {error.message}"
    rule = json.dumps(error.validator_value, ensure_ascii=False)
    return f"{where}: does not satisfy {error.validator} {rule[:200]}"


def _envelope_problems(event: dict) -> list[str]:
    """What is around the data, checked here too: a bad `occurred_at` stored would stop every
    reader of the person's case that parses it."""
    found = []
    if not isinstance(event["event_id"], str) or not 8 <= len(event["event_id"]) <= 100:
        found.append("event_id: a string of 8 to 100 characters")
    when = event.get("occurred_at")
    if when is not None and not _aware_moment(when):
        found.append("occurred_at: a date and time with its offset (ISO 8601)")
    return found


def _aware_moment(value) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


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
    results = []
    for event in call.body["events"]:
        reasons = problems(event) or _refused_by_policy(call, event["data"])
        if not reasons:
            try:
                results.append(_accept(call, event))
                continue
            except CommandRejected as exc:
                reasons = [
                    f"{exc.code}: {exc.message} {json.dumps(exc.details, ensure_ascii=False)}"
                ]
        subject = known_subject(call.backends, _claimed(event))
        digest = call.backends.ingest.reject(call.principal.username, event, reasons, subject)
        results.append(
            {
                "event_id": event.get("event_id") if isinstance(event, dict) else None,
                "status": "rejected",
                "reasons": reasons,
                "digest": digest,  # how ops find it: the body is not shown to them
            }
        )
    return {"results": results}


def _refused_by_policy(call: Call, data: dict) -> list[str]:
    """The access policy, on the facts of this moment: a key records only for its own site and
    for people its centre's network already knows (an unknown id is refused in the same words)."""
    if data.get("site") != call.principal.site:
        return [f"data/site: this key publishes for {call.principal.site} only"]
    facts = person_facts(call.backends, str(data["beneficiary_id"]))
    decision = access.publish_event(call.principal, facts, data.get("site"))
    return [] if decision.allowed else [f"data/beneficiary_id: {decision.why}"]


def _accept(call: Call, event: dict) -> dict:
    data = event["data"]
    version = call.backends.intake.case_version(data["beneficiary_id"])
    command = {**data, "command_id": str(event["event_id"]), "expected_version": version}
    context = {**call.principal.context, "occurred_at": event.get("occurred_at")}
    answer = getattr(call.backends.intake, ACCEPTED[event["type"]])(command, context)
    return {
        "event_id": event["event_id"],
        "status": "duplicate" if answer["duplicate"] else "accepted",
        "stream": answer["stream"],
        "version": answer["version"],
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


def _claimed(event) -> str | None:
    """Whose event a refused one claims to be (a well-formed id only: the payload may be anything)."""
    data = event.get("data") if isinstance(event, dict) else None
    claimed = data.get("beneficiary_id") if isinstance(data, dict) else None
    try:
        return str(uuid.UUID(claimed)) if isinstance(claimed, str) else None
    except ValueError:
        return None
