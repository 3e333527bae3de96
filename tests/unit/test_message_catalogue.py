"""The message catalogue (services/portal_gateway/entrypoints/web/messages.py): every message a
service, a contract or the gateway can raise, and every message marshmallow's fields and
validators give, has its Greek; English passes through; the varying parts are kept and told in
the person's words. The messages are found in the source, so a refusal added tomorrow without its
translation fails here."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
from marshmallow import Schema, fields, validate

from services.portal_gateway.application import municipal_events
from services.portal_gateway.domain import emergency
from services.portal_gateway.entrypoints.web.i18n import WORDS
from services.portal_gateway.entrypoints.web.messages import (
    PLACEHOLDER,
    catalogue,
    known,
    say,
    translated,
    translated_details,
)
from services.portal_gateway.entrypoints.web.names import Names

ROOT = Path(__file__).resolve().parents[2]
# what raises a message a person may be shown: the domain's errors, the RPC and API refusals, the
# access policy's reasons, failed logins, and the contracts' checks (ValidationError, error=...)
RAISERS = {
    "NotFound",
    "Conflict",
    "RuleViolated",
    "TransitionRefused",
    "DomainError",
    "NotReleased",
    "BadPeriod",
    "CommandRejected",
    "ApiError",
    "forbidden",
    "Unauthenticated",
    "ValidationError",
}
MESSAGE_KEYWORDS = {"error", "why"}  # validate.Regexp(error=...), Decision(why=...)


def _text(node: ast.AST) -> str | None:
    """A literal message, an f-string's varying parts as {…}, or None for anything computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _raised_in(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        messages = [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
        if name in ("CommandRejected", "ApiError"):  # (code or status, message, ...)
            messages += node.args[1:2]
        elif name == "Problem":  # an HSDS package's problem: (file, row, field, message)
            messages += node.args[3:4]
        elif name in RAISERS:
            messages += node.args[:1]
        found |= {t for t in map(_text, messages) if t}
    return found


def raised_messages() -> set[str]:
    found: set[str] = set()
    for folder in ("services", "contracts"):
        for path in (ROOT / folder).rglob("*.py"):
            if "tests" not in path.parts:
                found |= _raised_in(path)
    # WORDS keys are the gateway's own (i18n.py); a message of nothing but its parts ("{field}:
    # {messages}") has no words of its own to translate
    return {m for m in found if m not in WORDS and re.search("[a-z]", PLACEHOLDER.sub("", m))}


def sample(template: str) -> str:
    """A message as a service would raise it: each varying part filled in."""
    return PLACEHOLDER.sub("7", template)


def test_the_scan_finds_the_messages_the_issue_names():
    found = raised_messages()
    assert "this mobile unit does not serve that municipality" in found
    assert "the AMKA check digit is wrong: please check the number" in found
    assert any(m.startswith("a referral that is {") for m in found)


@pytest.mark.parametrize("message", sorted(raised_messages()))
def test_every_message_a_service_raises_has_its_greek(message):
    assert known(sample(message)), f"no Greek for {message!r} (add it to messages.po)"


def marshmallow_messages() -> set[str]:
    """marshmallow's own messages, as its fields and validators word them."""
    found = set(Schema._default_error_messages.values())
    for _, cls in inspect.getmembers(fields, inspect.isclass):
        if issubclass(cls, fields.Field):
            found |= set(cls.default_error_messages.values())
    for _, cls in inspect.getmembers(validate, inspect.isclass):
        for attr in ("default_message", "message_min", "message_max", "message_all"):
            if cls is not validate.Range and isinstance(getattr(cls, attr, None), str):
                found.add(getattr(cls, attr))
    return found


@pytest.mark.parametrize("message", sorted(marshmallow_messages()))
def test_every_marshmallow_message_has_its_greek(message):
    assert known(sample(message)), f"no Greek for marshmallow's {message!r}"


@pytest.mark.parametrize(
    "check",
    [
        validate.Range(min=0),
        validate.Range(max=10),
        validate.Range(0, 10),
        validate.Range(0, 10, min_inclusive=False, max_inclusive=False),
        validate.Range(0, 10, min_inclusive=False),
        validate.Range(0, 10, max_inclusive=False),
        validate.Length(3, 200),
        validate.OneOf(["employment", "training"]),
        validate.Regexp("^x$"),
    ],
)
def test_marshmallow_validators_refusals_are_told_in_greek(check):
    with pytest.raises(Exception) as refused:
        if isinstance(check, validate.Range):
            check(100 if check.min is None else -1)
        else:
            check("@@" * 200)
    (message,) = refused.value.messages
    assert known(message), message


def test_the_emergency_form_refusals_have_their_greek():
    for reason, details in (("", "x" * 30), ("danger_to_life", "short")):
        assert known(emergency.refusal(reason, details))


def test_every_translation_keeps_only_the_parts_its_message_has():
    for message in catalogue("el"):
        if not message.id:
            continue
        assert message.string, f"{message.id!r} has no Greek"
        holes = {h.group(1) for h in PLACEHOLDER.finditer(message.string)}
        assert holes <= {h.group(1) for h in PLACEHOLDER.finditer(message.id)}, message.id


def test_english_is_the_services_own_words():
    assert say("this mobile unit does not serve that municipality", "en") == (
        "this mobile unit does not serve that municipality"
    )
    assert translated("Unknown field.", "en") == "Unknown field."


def test_greek_by_default_with_the_varying_parts_told_in_greek():
    assert translated("wrong username or password", "el") == "Λάθος όνομα χρήστη ή κωδικός."
    assert translated("a referral that is sent cannot be accepted", "el") == (
        "Η παραπομπή είναι «Στάλθηκε»: δεν μπορεί να γίνει «Έγινε δεκτή»."
    )
    assert "07/12/2026" in translated(
        "2026-11 is released on 2026-12-07, once it has ended and late records are in", "el"
    )
    assert translated("Must be one of: employment, training.", "el") == (
        "Επιτρέπονται μόνο: Απασχόληση, Κατάρτιση."
    )
    assert translated("2 of the 3 staff the rule asks for 72,906 residents", "el") == (
        "2 από τα 3 στελέχη που προβλέπονται για 72.906 κατοίκους."
    )


def test_a_version_conflict_names_no_stream_id():
    told = translated("stream case-1ede2d9b-0000 is at version 4, not the expected 3", "el")
    assert "1ede2d9b" not in told and re.search("[α-ω]", told)


def test_details_keep_their_fields_and_values_and_translate_their_messages():
    details = {
        "back": ["Unknown field."],
        "amka": ["the AMKA check digit is wrong: please check the number"],
        "items": {"0": {"need": ["Missing data for required field."]}},
        "current_version": 4,
        "outside": ["9252"],
    }
    told = translated_details(details, "el")
    assert told["back"] == ["Άγνωστο πεδίο."]
    assert told["items"]["0"]["need"] == ["Υποχρεωτικό πεδίο."]
    assert told["amka"][0].startswith("Το ψηφίο ελέγχου του ΑΜΚΑ")
    assert told["current_version"] == 4 and told["outside"] == ["9252"]


def test_a_text_the_catalogue_does_not_know_is_passed_on_as_it_is():
    assert say("something new", "el") == "something new"


def test_why_a_municipal_event_was_refused_is_told_in_greek():
    events = [
        [],
        {"type": "X"},
        {"event_id": "x", "type": "X", "schema_version": 1, "data": {}},
        {"event_id": "x", "type": "ServiceDelivered", "schema_version": 9, "data": {}},
        {
            "event_id": "x",
            "type": "ServiceDelivered",
            "schema_version": 1,
            "data": {"site": 5},
            "occurred_at": "yesterday",
        },
    ]
    reasons = [reason for event in events for reason in municipal_events.problems(event)]
    reasons += [
        "routing key: not <site>.<type> of this event (its data/site and type)",
        "data/site: this publisher publishes for KK-SPARTI only",
        "data/beneficiary_id: your role or site does not give access to this record",
    ]
    assert len(reasons) > 8
    for reason in reasons:
        assert known(reason), reason
    assert translated("data/: 'service' is a required property", "el") == (
        "data/: λείπει το υποχρεωτικό πεδίο «service»"
    )


def test_a_site_or_municipality_inside_a_message_is_told_by_its_name_where_the_page_knows_it():
    names = Names(
        "el",
        sites=lambda: [{"site": "KK-SPARTI", "name": "Κέντρο Κοινότητας Σπάρτης", "staff": []}],
    )
    told = translated("data/site: this publisher publishes for KK-SPARTI only", "el", names.code)
    assert "Κέντρο Κοινότητας Σπάρτης" in told and "KK-SPARTI" not in told
    assert "KK-SPARTI" in translated("data/site: this publisher publishes for KK-SPARTI only", "el")
    assert names.code("9256") == "Οιχαλία" and names.code("7") == "7"  # a number is no code


def test_why_a_read_model_refused_an_event_is_told_in_greek_without_its_id():
    event = "3c7db21b-5b00-4b67-8e03-4b39187a2eb6"
    told = translated(f"the source holds no event {event} at position 12", "el")
    assert told.startswith("Η πηγή δεν έχει τέτοιο γεγονός στη θέση 12") and event not in told
