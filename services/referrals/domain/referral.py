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
from services.common.domain import (
    Conflict,
    DomainError,
    DomainEvent,
    Rule,
    RuleViolated,
    deciding,
)

CATEGORY = "referral"
FACTS = ("consent_in_force", "response_days")  # looked up by the application, not sent by a client
DEFAULT_RESPONSE_DAYS = 10  # a centre, or an agency outside the registry


@dataclass(frozen=True)
class RequestReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    from_site: str
    need: str
    recipient_kind: str
    recipient_id: str
    recipient_name: str
    shares_personal_data: bool
    requested_on: date
    by: str
    notes: str | None = None
    # whose consent covers the recipient (a programme: its agency), from the registry
    consent_recipient: str | None = None
    # whether that consent is in force on requested_on (None: nothing personal is shared)
    consent_in_force: bool | None = None


@dataclass(frozen=True)
class SendReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    sent_on: date
    by: str
    consent_in_force: bool | None = None  # on sent_on (None: nothing personal is shared)
    response_days: int | None = None  # the recipient's, from the registry


@dataclass(frozen=True)
class AcknowledgeReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    received_on: date
    by: str


@dataclass(frozen=True)
class AcceptReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    accepted_on: date
    by: str


@dataclass(frozen=True)
class RejectReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    rejected_on: date
    by: str
    reason: str


@dataclass(frozen=True)
class CompleteReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    completed_on: date
    by: str
    outcome: str
    notes: str | None = None


@dataclass(frozen=True)
class WithdrawReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    withdrawn_on: date
    by: str
    reason: str


@dataclass(frozen=True)
class ExpireReferral:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    expired_on: date


@dataclass(frozen=True)
class StopSharing:
    referral_id: uuid.UUID
    beneficiary_id: uuid.UUID
    stopped_on: date
    reason: str


Command = (
    RequestReferral
    | SendReferral
    | AcknowledgeReferral
    | AcceptReferral
    | RejectReferral
    | CompleteReferral
    | WithdrawReferral
    | ExpireReferral
    | StopSharing
)

NEW, REQUESTED, SENT, RECEIVED, ACCEPTED = None, "requested", "sent", "received", "accepted"
REJECTED, COMPLETED, WITHDRAWN, EXPIRED = "rejected", "completed", "withdrawn", "expired"
# state -> {step: next state}. Anything not here is refused, naming the current state.
TRANSITIONS: dict[str | None, dict[type, str]] = {
    NEW: {RequestReferral: REQUESTED},
    REQUESTED: {SendReferral: SENT, WithdrawReferral: WITHDRAWN},
    SENT: {AcknowledgeReferral: RECEIVED, WithdrawReferral: WITHDRAWN, ExpireReferral: EXPIRED},
    RECEIVED: {
        AcceptReferral: ACCEPTED,
        RejectReferral: REJECTED,
        WithdrawReferral: WITHDRAWN,
        ExpireReferral: EXPIRED,
    },
    ACCEPTED: {CompleteReferral: COMPLETED, WithdrawReferral: WITHDRAWN},
    REJECTED: {},
    COMPLETED: {},
    WITHDRAWN: {},
    EXPIRED: {},
}
ACTIVE = (REQUESTED, SENT, RECEIVED, ACCEPTED)
EVENTS: dict[type, str] = {
    RequestReferral: REFERRAL_REQUESTED,
    SendReferral: REFERRAL_SENT,
    AcknowledgeReferral: REFERRAL_RECEIVED,
    AcceptReferral: REFERRAL_ACCEPTED,
    RejectReferral: REFERRAL_REJECTED,
    CompleteReferral: REFERRAL_COMPLETED,
    WithdrawReferral: REFERRAL_WITHDRAWN,
    ExpireReferral: REFERRAL_EXPIRED,
}
# how a refusal names each step: among the allowed ones, and in "... cannot be <done>"
NAMES: dict[type, tuple[str, str]] = {
    RequestReferral: ("request", "requested"),
    SendReferral: ("send", "sent"),
    AcknowledgeReferral: ("acknowledge", "acknowledged"),
    AcceptReferral: ("accept", "accepted"),
    RejectReferral: ("reject", "rejected"),
    CompleteReferral: ("complete", "completed"),
    WithdrawReferral: ("withdraw", "withdrawn"),
    ExpireReferral: ("expire", "expired"),
}
STATE_AFTER = {
    EVENTS[step]: to for transitions in TRANSITIONS.values() for step, to in transitions.items()
}


class TransitionRefused(DomainError):
    code = "conflict"  # a forbidden state transition is a 409 at the gateway


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


def _request(command: RequestReferral, state: Referral) -> list[DomainEvent]:
    if RequestReferral not in TRANSITIONS[state.state]:
        raise Conflict("this referral already exists", current_state=state.state)
    _consent_needed(command.consent_in_force, command.shares_personal_data)
    return [DomainEvent(REFERRAL_REQUESTED, _payload(command))]


def _send(command: SendReferral, state: Referral) -> list[DomainEvent]:
    _allowed(command, state)
    _consent_needed(
        command.consent_in_force, state.shares_personal_data and not state.sharing_stopped
    )
    due_on = command.sent_on + timedelta(days=command.response_days or DEFAULT_RESPONSE_DAYS)
    return [DomainEvent(REFERRAL_SENT, {**_payload(command), "due_on": due_on})]


def _expire(command: ExpireReferral, state: Referral) -> list[DomainEvent]:
    _allowed(command, state)
    if state.due_on is None or command.expired_on <= state.due_on:
        raise RuleViolated("the referral is not overdue yet", due_on=str(state.due_on))
    return [DomainEvent(REFERRAL_EXPIRED, {**_payload(command), "due_on": state.due_on})]


def _step(command: Command, state: Referral) -> list[DomainEvent]:
    """Acknowledge, accept, reject, complete, withdraw: allowed by the table, recorded as said."""
    _allowed(command, state)
    return [DomainEvent(EVENTS[type(command)], _payload(command))]


def _stop_sharing(command: StopSharing, state: Referral) -> list[DomainEvent]:
    if state.state not in (SENT, RECEIVED, ACCEPTED) or state.sharing_stopped:
        return []  # nothing was shared, or sharing already stopped
    return [DomainEvent(REFERRAL_SHARING_STOPPED, _payload(command))]


DECISIONS: dict[type, Rule] = {
    RequestReferral: _request,
    SendReferral: _send,
    AcknowledgeReferral: _step,
    AcceptReferral: _step,
    RejectReferral: _step,
    CompleteReferral: _step,
    WithdrawReferral: _step,
    ExpireReferral: _expire,
    StopSharing: _stop_sharing,
}
decide = deciding(DECISIONS)


def _allowed(command: Command, state: Referral) -> None:
    allowed = TRANSITIONS[state.state]
    if type(command) not in allowed:
        raise TransitionRefused(
            f"a referral that is {state.state or 'not requested'} cannot be "
            f"{NAMES[type(command)][1]}",
            current_state=state.state,
            allowed=sorted(NAMES[step][0] for step in allowed),
        )


def _consent_needed(consent_in_force: bool | None, shares: bool) -> None:
    if shares and not consent_in_force:
        raise RuleViolated(
            "the beneficiary's consent does not cover this recipient: record consent first,"
            " or refer without sharing personal data",
            field="recipient_id",
        )


def _payload(command: Command) -> dict:
    """The event's fields are the command's own, without the facts the application looked up."""
    return {k: v for k, v in command.__dict__.items() if k not in FACTS}
