"""Municipal events, over HTTP (an API key) or AMQP (the broker's `user_id`), decided in one place.

Given the publisher as its registry says at this moment (the caller looked it up: the key's or the
broker user's) and one event, the event is checked against the published contract
(contracts/published, JSON Schema), the publisher must publish for the event's site and the person
must be one that site may act on (the access policy, on the facts of this moment); then it is
applied once through intake (its event id is the command id: a second copy is `duplicate` and
changes nothing) or refused with the reasons, kept for ops (adapters/ingest_store.py: the body
sealed under its person's key, for the DPO alone). A reason never quotes a value of the event: it
is kept in clear. A backend that fails is no refusal: the error goes up (HTTP answers 5xx, AMQP
redelivers)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from contracts.municipal import EVENT_ID_LENGTH, EVENT_TYPES, routing_key
from contracts.names import CONTACT_RECORDED, SERVICE_DELIVERED
from services.common.rpc_commands import CommandRejected
from services.portal_gateway.application.people import known_subject, person_facts
from services.portal_gateway.domain import access

PUBLISHED = Path(__file__).resolve().parents[3] / "contracts" / "published" / "schemas" / "events"
# the intake command each published type becomes
COMMANDS = {CONTACT_RECORDED: "record_contact", SERVICE_DELIVERED: "record_service"}
JSON_TYPES = ("application/json", "application/json; charset=utf-8")


@dataclass(frozen=True)
class Message:
    """An AMQP delivery as it came: the body unparsed and what the broker says of it."""

    body: bytes
    user_id: str | None  # the publisher's broker user, vouched for by the broker
    routing_key: str
    content_type: str | None


def receive(
    backends, publisher: access.Principal, event, transport: str = "http", key: str | None = None
) -> dict:
    """One event from a publisher found active in the registry: applied once, or refused.
    `key` is the AMQP routing key it came with (None over HTTP)."""
    reasons = (
        problems(event)
        or _routing_problems(event, key)
        or _refused_by_policy(backends, publisher, event["data"])
    )
    if not reasons:
        try:
            return _apply(backends, publisher, event)
        except CommandRejected as exc:
            reasons = [f"{exc.code}: {exc.message} {json.dumps(exc.details, ensure_ascii=False)}"]
    return refuse(backends, publisher.username, event, reasons, transport)


def receive_message(
    backends, message: Message, publisher_named: Callable[[str], access.Principal | None]
) -> dict:
    """One AMQP message: who published it is the broker's word (`user_id`), read against the
    registry of municipal publishers now; then the same rules as over HTTP."""
    event, unreadable = _parsed(message)
    if not message.user_id:
        reason = "user_id: a message names its publisher's broker user (AMQP property user_id)"
        return refuse(backends, "", event, [reason], "amqp")
    publisher = publisher_named(message.user_id)
    if publisher is None:
        reason = "user_id: not an active municipal publisher"
        return refuse(backends, message.user_id, event, [reason], "amqp")
    if unreadable:
        return refuse(backends, message.user_id, event, [unreadable], "amqp")
    return receive(backends, publisher, event, "amqp", message.routing_key)


def dead_lettered(backends, message: Message) -> dict:
    """A message the broker dead-lettered after its delivery limit (the platform could not
    process it, e.g. a backend was down for minutes): kept with the refused events, so ops see it
    beside the others and the publisher can send it again (its event id makes that safe)."""
    event, _ = _parsed(message)
    reason = (
        "not processed within the queue's delivery limit (the platform could not take it):"
        " publish it again, with the same event_id"
    )
    return refuse(backends, message.user_id or "", event, [reason], "amqp")


def refuse(backends, publisher: str, event, reasons: list[str], transport: str) -> dict:
    subject = known_subject(backends, _claimed(event))
    digest = backends.ingest.reject(publisher, event, reasons, subject, transport)
    return {
        "event_id": event.get("event_id") if isinstance(event, dict) else None,
        "status": "rejected",
        "reasons": reasons,
        "digest": digest,  # how ops find it: the body is not shown to them
    }


def _parsed(message: Message) -> tuple[object, str | None]:
    """The body as JSON, or as text with the reason it is no event (kept only as a digest)."""
    if message.content_type not in (None, *JSON_TYPES):
        return _text(message.body), "content_type: application/json"
    try:
        return json.loads(message.body.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError):
        return _text(message.body), "body: not a JSON object in UTF-8"


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


@cache
def validator(type_: str, version: int) -> Draft202012Validator | None:
    path = PUBLISHED / f"{type_}.v{version}.json"
    return (
        Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))
        if path.exists()
        else None
    )


def problems(event) -> list[str]:
    """What is wrong with the event against the published contract (nothing: [])."""
    if not isinstance(event, dict):
        return ["an event is a JSON object with event_id, type, schema_version and data"]
    missing = [k for k in ("event_id", "type", "schema_version", "data") if k not in event]
    if missing:
        return [f"missing {', '.join(missing)}"]
    if not isinstance(event["type"], str) or event["type"] not in EVENT_TYPES:
        accepted = ", ".join(EVENT_TYPES)
        return [f"type: not an event municipal systems publish (accepted: {accepted})"]
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
    low, high = EVENT_ID_LENGTH
    if not isinstance(event["event_id"], str) or not low <= len(event["event_id"]) <= high:
        found.append(f"event_id: a string of {low} to {high} characters")
    when = event.get("occurred_at")
    if when is not None and not _aware_moment(when):
        found.append("occurred_at: a date and time with its offset (ISO 8601)")
    return found


def _aware_moment(value) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _routing_problems(event: dict, key: str | None) -> list[str]:
    """Over AMQP the broker checked the routing key against the publisher's centre; the payload
    must say the same (its site and type), or the broker's check would vouch for nothing."""
    if key is None or key == routing_key(event["data"]["site"], event["type"]):
        return []
    return ["routing key: not <site>.<type> of this event (its data/site and type)"]


def _refused_by_policy(backends, publisher: access.Principal, data: dict) -> list[str]:
    """The access policy, on the facts of this moment: a publisher records only for its own site
    and for people its centre's network already knows (an unknown id is refused in the same
    words)."""
    if data.get("site") != publisher.site:
        return [f"data/site: this publisher publishes for {publisher.site} only"]
    facts = person_facts(backends, str(data["beneficiary_id"]))
    decision = access.publish_event(publisher, facts, data.get("site"))
    return [] if decision.allowed else [f"data/beneficiary_id: {decision.why}"]


def _apply(backends, publisher: access.Principal, event: dict) -> dict:
    data = event["data"]
    version = backends.intake.case_version(data["beneficiary_id"])
    command = {**data, "command_id": str(event["event_id"]), "expected_version": version}
    # `publisher`: intake takes the event's staff id on the publisher's word (a municipality's
    # employee is in no network registry)
    context = {
        **publisher.context,
        "occurred_at": event.get("occurred_at"),
        "publisher": publisher.username,
    }
    answer = getattr(backends.intake, COMMANDS[event["type"]])(command, context)
    return {
        "event_id": event["event_id"],
        "status": "duplicate" if answer["duplicate"] else "accepted",
        "stream": answer["stream"],
        "version": answer["version"],
    }


def _claimed(event) -> str | None:
    """Whose event a refused one claims to be (a well-formed id only: the payload may be anything)."""
    data = event.get("data") if isinstance(event, dict) else None
    claimed = data.get("beneficiary_id") if isinstance(data, dict) else None
    try:
        return str(uuid.UUID(claimed)) if isinstance(claimed, str) else None
    except ValueError:
        return None
