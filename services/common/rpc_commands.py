"""The shape of a command over RPC, shared by every write-side entrypoint: validate the contract,
run the use case, answer with what was stored, and raise errors a client can tell apart."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError
from nameko.exceptions import deserialize_to_instance

from services.common import outages
from services.common.domain import DomainError
from services.common.eventstore import AppendResult, CommandIdReused, Metadata, WrongExpectedVersion
from services.common.metrics import COMMAND_SECONDS, COMMANDS
from services.common.personal_data import SubjectErased

# a case command sent with the caller's network (`acting_for`) whose case was not met there: the
# gateway then decides from every service's facts and sends it again (intake _met_in_network)
UNSETTLED = "unsettled"


@deserialize_to_instance
class CommandRejected(Exception):
    """Raised across RPC as itself (not a bare RemoteError): `code` and `details` survive the trip.
    Codes: invalid (422), not_found (404), conflict (409), rule_violated (422), erased (410)."""

    def __init__(self, code: str, message: str, details: dict | list | str | None = None):
        # nameko turns every scalar in exception args into a string: the details travel as one
        # JSON string, so a version comes back a number and a list of field errors a list
        if isinstance(details, str):
            details = json.loads(details)
        super().__init__(code, message, json.dumps(details or {}, ensure_ascii=False, default=str))
        self.code, self.message = code, message
        # field errors (a dict or a list), or what the refusal is about
        self.details: Any = details or {}


# a dependency that is away crosses RPC as itself, with whether the command was stored
deserialize_to_instance(outages.Unavailable)


@dataclass(frozen=True)
class Received:
    """A command as every entrypoint receives it: checked against its contract, with what the store
    needs (its id, the version the client saw, who and where) apart from what the decider decides on."""

    fields: dict[str, Any]
    command_id: str
    expected_version: int | None
    metadata: Metadata


def receive(schema: type[Schema], command: dict, context: dict) -> Received:
    """The one way a command comes in: validated (a ValidationError becomes `invalid` through
    `rejects_bad_commands`), its id and expected version set aside, its metadata made."""
    fields = schema().load(command)
    command_id = fields.pop("command_id")
    expected = fields.pop("expected_version", None)
    return Received(fields, command_id, expected, command_metadata(context, command_id))


def command_metadata(context: dict, command_id: str) -> Metadata:
    occurred_at = context.get("occurred_at")
    if occurred_at is not None and not _moment(occurred_at):
        # refused at the door: stored, it would stop every reader of the stream that parses it
        raise ValidationError({"occurred_at": ["a date and time with its offset (ISO 8601)"]})
    return Metadata(
        actor=context["actor"],
        site=context["site"],
        command_id=command_id,
        correlation_id=context.get("correlation_id") or command_id,
        causation_id=context.get("causation_id"),
        occurred_at=context.get("occurred_at"),
    )


def _moment(value) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except (TypeError, ValueError):
        return False


def answer(result: AppendResult) -> dict:
    return {
        "stream": result.stream,
        "version": result.version,
        "duplicate": result.duplicate,
        "events": [
            {"type": e.type, "version": e.version, "position": e.position} for e in result.events
        ],
    }


def rejects_bad_commands(method):
    """Every command entrypoint: its failures as CommandRejected, a dependency that is away as
    `Unavailable` saying whether the command was stored (services/common/outages.py), and its
    outcome counted (kentra_commands_total{service, command, outcome})."""
    method = _rejecting(method)

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        service = getattr(args[0], "name", "?") if args else "?"
        started = time.perf_counter()
        outages.command_begins()
        try:
            result = method(*args, **kwargs)
        except CommandRejected as exc:
            _count(service, method.__name__, exc.code)
            raise
        except Exception as exc:
            outage = outages.unavailable(exc)
            if outage is None:
                _count(service, method.__name__, "error")  # a bug: the error-rate alert's
                raise
            _count(service, method.__name__, "unavailable")
            if outage is exc:
                raise
            raise outage from exc
        finally:
            COMMAND_SECONDS.labels(service, method.__name__).observe(time.perf_counter() - started)
        _count(
            service,
            method.__name__,
            "duplicate" if isinstance(result, dict) and result.get("duplicate") else "accepted",
        )
        return result

    return wrapper


def _rejecting(method):
    """Turn the ways a command can fail into CommandRejected; anything else is a bug and stays loud."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except ValidationError as exc:
            raise CommandRejected(
                "invalid", "the command does not match its contract", exc.messages
            ) from exc
        except WrongExpectedVersion as exc:
            raise CommandRejected(
                "conflict", str(exc), {"stream": exc.stream, "current_version": exc.actual}
            ) from exc
        except CommandIdReused as exc:
            raise CommandRejected("conflict", str(exc), {"command_id": exc.command_id}) from exc
        except SubjectErased as exc:
            raise CommandRejected("erased", str(exc)) from exc
        except DomainError as exc:
            raise CommandRejected(exc.code, exc.message, exc.details) from exc

    return wrapper


def _count(service: str, command: str, outcome: str) -> None:
    COMMANDS.labels(service, command, outcome).inc()
