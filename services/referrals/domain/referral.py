"""A referral's lifecycle as an explicit transition table, enforced here for every party: the
sender, the recipient, the expiry check and the reactions to intake. Pure rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from contracts.names import (
    REFERRAL_ACCEPTED,
    REFERRAL_COMPLETED,
    REFERRAL_EXPIRED,
    REFERRAL_RECEIVED,
    REFERRAL_REJECTED,
    REFERRAL_REQUESTED,
    REFERRAL_SENT,
    REFERRAL_SHARING_STOPPED,
    REFERRAL_WITHDRAWN,
)
from services.common.domain import Conflict, DomainError, DomainEvent, RuleViolated

CATEGORY = "referral"
NEW, REQUESTED, SENT, RECEIVED, ACCEPTED = None, "requested", "sent", "received", "accepted"
REJECTED, COMPLETED, WITHDRAWN, EXPIRED = "rejected", "completed", "withdrawn", "expired"
# state -> {action: next state}. Anything not here is refused, naming the current state.
TRANSITIONS: dict[str | None, dict[str, str]] = {
    NEW: {"request": REQUESTED},
    REQUESTED: {"send": SENT, "withdraw": WITHDRAWN},
    SENT: {"acknowledge": RECEIVED, "withdraw": WITHDRAWN, "expire": EXPIRED},
    RECEIVED: {"accept": ACCEPTED, "reject": REJECTED, "withdraw": WITHDRAWN, "expire": EXPIRED},
    ACCEPTED: {"complete": COMPLETED, "withdraw": WITHDRAWN},
    REJECTED: {},
    COMPLETED: {},
    WITHDRAWN: {},
    EXPIRED: {},
}
ACTIVE = (REQUESTED, SENT, RECEIVED, ACCEPTED)
EVENTS = {
    "request": REFERRAL_REQUESTED,
    "send": REFERRAL_SENT,
    "acknowledge": REFERRAL_RECEIVED,
    "accept": REFERRAL_ACCEPTED,
    "reject": REFERRAL_REJECTED,
    "complete": REFERRAL_COMPLETED,
    "withdraw": REFERRAL_WITHDRAWN,
    "expire": REFERRAL_EXPIRED,
}
STATE_AFTER = {
    EVENTS[action]: to for transitions in TRANSITIONS.values() for action, to in transitions.items()
}
FACTS = ("consent_in_force", "response_days")


class TransitionRefused(DomainError):
    code = "conflict"  # a forbidden state transition is a 409 at the gateway


@dataclass(frozen=True)
class Act:
    """One step of the lifecycle. `fields` are the event's own (dates, who, reason, outcome...)."""

    action: str
    referral_id: uuid.UUID
    fields: dict
    # facts the application looks up: consent in force for the recipient today (None: not needed),
    # and the recipient's response days (for "send")
    consent_in_force: bool | None = None
    response_days: int | None = None


@dataclass(frozen=True)
class StopSharing:
    referral_id: uuid.UUID
    stopped_on: date
    reason: str


@dataclass(frozen=True)
class Referral:
    state: str | None = NEW
    shares_personal_data: bool = False
    recipient_id: str | None = None
    due_on: date | None = None
    sharing_stopped: bool = False


initial = Referral()


def evolve(state: Referral, event) -> Referral:
    data = event.data
    if event.type == REFERRAL_REQUESTED:
        return Referral(REQUESTED, data["shares_personal_data"], data["recipient_id"])
    if event.type == REFERRAL_SENT:
        return replace(state, state=SENT, due_on=date.fromisoformat(data["due_on"]))
    if event.type == REFERRAL_SHARING_STOPPED:
        return replace(state, sharing_stopped=True)
    if event.type in STATE_AFTER:
        return replace(state, state=STATE_AFTER[event.type])
    return state


def decide(command, state: Referral) -> list[DomainEvent]:
    if isinstance(command, StopSharing):
        if state.state not in (SENT, RECEIVED, ACCEPTED) or state.sharing_stopped:
            return []  # nothing was shared, or sharing already stopped
        return [DomainEvent(REFERRAL_SHARING_STOPPED, dict(command.__dict__))]
    allowed = TRANSITIONS[state.state]
    if command.action not in allowed:
        if command.action == "request":
            raise Conflict("this referral already exists", current_state=state.state)
        raise TransitionRefused(
            f"a referral that is {state.state or 'not requested'} cannot be "
            f"{_past(command.action)}",
            current_state=state.state,
            allowed=sorted(allowed),
        )
    payload = {"referral_id": command.referral_id, **command.fields}
    if command.action == "request":
        _consent_needed(command, command.fields["shares_personal_data"])
    elif command.action == "send":
        _consent_needed(command, state.shares_personal_data and not state.sharing_stopped)
        payload["due_on"] = command.fields["sent_on"] + timedelta(days=command.response_days or 10)
    elif command.action == "expire":
        today = command.fields["expired_on"]
        if state.due_on is None or today <= state.due_on:
            raise RuleViolated("the referral is not overdue yet", due_on=str(state.due_on))
        payload["due_on"] = state.due_on
    return [DomainEvent(EVENTS[command.action], payload)]


def _consent_needed(command: Act, shares: bool) -> None:
    if shares and not command.consent_in_force:
        raise RuleViolated(
            "the beneficiary's consent does not cover this recipient: record consent first,"
            " or refer without sharing personal data",
            field="recipient_id",
        )


def _past(action: str) -> str:
    return {
        "send": "sent",
        "acknowledge": "acknowledged",
        "accept": "accepted",
        "reject": "rejected",
        "complete": "completed",
        "withdraw": "withdrawn",
        "expire": "expired",
    }[action]
