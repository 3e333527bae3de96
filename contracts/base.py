"""The registry of contracts: every event and command once, with its version, its personal
fields and the upcasters that bring older stored versions to the current one."""

from __future__ import annotations

import builtins
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import Schema, ValidationError, fields, pre_load, validate

Upcaster = Callable[[dict], dict]


class Text(fields.String):
    """A string kept as typed but in NFC, so 'Γιώργος' typed on any keyboard is one string."""

    def _deserialize(self, value, attr, data, **kwargs):
        return unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))


def personal(field_: fields.Field) -> fields.Field:
    """Mark a field as personal data: sealed under the beneficiary's key, erasable."""
    field_.metadata = {**field_.metadata, "personal": True}
    return field_


class StrictSchema(Schema):
    class Meta:
        ordered = True  # published schemas list fields in the order they are declared

    @pre_load
    def no_nul_characters(self, data, **kwargs):
        """PostgreSQL text cannot hold U+0000: refused here, naming the field, not deep in a query."""
        if isinstance(data, dict):
            bad = {
                k: ["must not contain NUL (U+0000) characters"]
                for k, v in data.items()
                if has_nul(v)
            }
            if bad:
                raise ValidationError(bad)
        return data


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    return False


@dataclass(frozen=True)
class EventContract:
    type: str
    source: str  # the service whose store records it; its exchange is `<source>.events`
    version: int
    schema: builtins.type[Schema]  # (`type` is a field here: the builtin by its full name)
    description: str = ""
    history: dict[int, builtins.type[Schema]] = field(
        default_factory=dict
    )  # older versions, as stored
    upcasters: dict[int, Upcaster] = field(default_factory=dict)  # n -> n+1

    @property
    def personal_fields(self) -> frozenset[str]:
        return personal_fields(self.schema)


@dataclass(frozen=True)
class CommandContract:
    name: str
    service: str
    schema: type[Schema]
    description: str = ""


class UnknownEventType(KeyError):
    def __init__(self, type_: str):
        super().__init__(f"no contract for event type {type_!r}")


class UnknownCommand(KeyError):
    def __init__(self, name: str):
        super().__init__(f"no contract for command {name!r}")


def personal_fields(schema: type[Schema]) -> frozenset[str]:
    return frozenset(
        name for name, f in schema._declared_fields.items() if f.metadata.get("personal")
    )


def _catalogue():
    from contracts import catalogue  # every contract module, imported once on first use

    return catalogue


def event_contract(type_: str) -> EventContract:
    try:
        return _catalogue().EVENTS[type_]
    except KeyError:
        raise UnknownEventType(type_) from None


def all_event_contracts() -> list[EventContract]:
    return list(_catalogue().EVENTS.values())


def command_contract(name: str) -> CommandContract:
    try:
        return _catalogue().COMMANDS[name]
    except KeyError:
        raise UnknownCommand(name) from None


def all_command_contracts() -> list[CommandContract]:
    return list(_catalogue().COMMANDS.values())


def upcast(type_: str, version: int, payload: dict) -> tuple[int, dict]:
    """Bring a stored payload to the current version; an unknown type passes through. An upcaster
    must change only public fields: what leaves a store for the bus is `data` upcast alone, its
    personal fields still sealed as they were written (contracts/envelope.py)."""
    contract = _catalogue().EVENTS.get(type_)
    if contract is None:
        return version, payload
    while version < contract.version:
        payload = contract.upcasters[version](dict(payload))
        version += 1
    return version, payload


def split_personal(type_: str, payload: dict) -> tuple[dict, dict | None]:
    keys = event_contract(type_).personal_fields
    data = {k: v for k, v in payload.items() if k not in keys}
    sealed = {k: v for k, v in payload.items() if k in keys and v is not None}
    return data, sealed or None


def validate_event(type_: str, payload: dict) -> dict:
    """Load with the current schema; raises marshmallow.ValidationError naming each bad field."""
    return event_contract(type_).schema().load(payload)


def command_schema(event_schema, name: str, stream: str | None = None):
    """A command carries its event's fields, a client-made command_id and, when it is appended to
    a stream whose version it must have seen, that `stream` (named for the reader: "the
    beneficiary's case, case-<beneficiary_id>") and the version it saw."""
    extra: dict[str, fields.Field] = {
        "command_id": fields.String(
            required=True,
            validate=validate.Length(min=8, max=100),
            metadata={"description": "made by the client: the same command sent twice is one"},
        )
    }
    if stream:
        extra["expected_version"] = fields.Integer(
            required=True,
            validate=validate.Range(min=0),
            metadata={
                "description": f"the version of {stream} this command was decided on (0 for a"
                " stream not yet written; each answer gives the next one): a stale version is"
                " refused with 409 and the current version"
            },
        )
    return type(name, (event_schema,), extra)
