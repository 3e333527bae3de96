"""Handling a command against an event-sourced stream: read, fold, decide, append.

The decider is plain Python (`initial`, `evolve(state, event)`, `decide(command, state)`); this
module only moves events between it and the store."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from services.common.domain import DomainEvent
from services.common.eventstore import (
    AppendResult,
    EventStore,
    Metadata,
    NewEvent,
    RecordedEvent,
)
from services.common.eventstore.hashing import canonical_json


class Decider(Protocol):
    initial: Any

    def evolve(self, state: Any, event: RecordedEvent) -> Any: ...

    def decide(self, command: Any, state: Any) -> Sequence[DomainEvent]: ...


@dataclass(frozen=True)
class Loaded:
    state: Any
    version: int
    handled: bool = False  # an event read was recorded by the command_id asked about


def load(
    store: EventStore,
    stream: str,
    decider: Decider,
    page: int = 1000,
    command_id: str | None = None,
) -> Loaded:
    state, version, handled = decider.initial, 0, False
    while True:
        events = store.read_stream(stream, version + 1, page)
        for e in events:
            state, version = decider.evolve(state, e), e.version
            handled = handled or (
                command_id is not None and e.metadata.get("command_id") == command_id
            )
        if len(events) < page:
            return Loaded(state, version, handled)


def fingerprint(command_fields: dict) -> str:
    """Tells a retried command (same fields) from a client reusing a command_id by mistake."""
    fields = {k: v for k, v in command_fields.items() if k != "command_id"}
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def execute(
    store: EventStore,
    stream: str,
    decider: Decider,
    command: Any,
    metadata: Metadata,
    command_fields: dict,
    encode: Callable[[DomainEvent], NewEvent],
    expected_version: int | None = None,
    forget_subject: Any = None,
) -> AppendResult:
    """Decide on the current state and append at the version the decision was made on.
    `expected_version` (a client's) makes a stale client get a conflict instead of a decision on
    state it never saw; the client's own later work in the same flow does not make it stale."""
    fields_hash = fingerprint(command_fields)
    loaded = load(store, stream, decider, command_id=metadata.command_id)
    # a retry is seen in the stream it recorded to, and looked up (fingerprint checked) only then
    if loaded.handled and (
        earlier := store.earlier_result(str(metadata.command_id), stream, fields_hash)
    ):
        return earlier  # the same answer, nothing decided or stored again
    if expected_version is not None and _only_its_own_since(
        store, stream, expected_version, loaded.version, metadata
    ):
        expected_version = loaded.version  # decided on what the client saw, its own work included
    try:
        events = [encode(e) for e in decider.decide(command, loaded.state)]
    except Exception:
        # a retry of a command that recorded nothing is not in the stream: deciding again may
        # refuse what was first accepted, and the first answer stands
        if metadata.command_id and (
            earlier := store.earlier_result(metadata.command_id, stream, fields_hash)
        ):
            return earlier
        raise
    # the command_id is looked up once more only inside the append, in the same statement: it
    # catches the same command sent twice at once, and answers it before any version check
    return store.append(
        stream,
        loaded.version if expected_version is None else expected_version,
        events,
        metadata,
        fingerprint=fields_hash,
        forget_subject=forget_subject if events else None,
    )


def _only_its_own_since(
    store: EventStore, stream: str, seen: int, current: int, metadata: Metadata
) -> bool:
    """Was everything recorded after the version the client saw recorded by that same client, in
    the same flow (one actor, one correlation id the client named: a mobile unit's offline trip)?
    Then its version is still current: a day of offline work on one person chains on itself and
    never conflicts with itself. Anyone else's event since (a colleague at the centre, a municipal
    system, a reaction) leaves the client stale, and the append refuses it: nothing overwritten."""
    if current <= seen or metadata.correlation_id in (None, metadata.command_id):
        return False
    since = store.read_stream(stream, seen + 1, current - seen)
    return len(since) == current - seen and all(
        e.metadata.get("actor") == metadata.actor
        and e.metadata.get("correlation_id") == metadata.correlation_id
        for e in since
    )


def sent_by_client(command: Any, facts: Sequence[str] = ()) -> dict:
    """The command's fields without the facts the application looked up for it: a retry must
    fingerprint the same even when those facts changed meanwhile."""
    return {k: v for k, v in dataclasses.asdict(command).items() if k not in facts}
