"""A beneficiary's case at the centres: every contact, service and consent on one stream per
person, whichever centre or mobile unit recorded it. Pure rules: no framework, no database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from contracts.names import (
    CASE_CLOSED,
    CASE_REOPENED,
    CASE_TRANSFERRED,
    CONSENT_RECORDED,
    CONSENT_WITHDRAWN,
    CONTACT_RECORDED,
    FOLLOW_UP_RECORDED,
    SERVICE_DELIVERED,
)
from services.common.domain import (
    DomainEvent,
    Rule,
    RuleViolated,
    deciding,
    happened_by,
    known_municipality,
)

from . import action_plan

CATEGORY = "case"
CHANNELS = ("centre", "mobile_unit_visit", "home_visit", "phone")
# looked up by the application, not sent by the client
FACTS = ("served_municipalities", "network_staff")
# the dates a case command may set ahead of today: a consent's last day, a step's due day
MAY_BE_LATER = frozenset({"until", "due_on"})


@dataclass(frozen=True)
class RecordContact:
    beneficiary_id: uuid.UUID
    occurred_on: date
    channel: str
    site: str
    municipality_code: str
    staff_id: str
    notes: str | None = None
    # the municipalities the recording mobile unit serves, from the registry (None: not a mobile unit)
    served_municipalities: frozenset[str] | None = None
    # who works in the recording site's network, from the registry (None: not checked, see
    # `known_staff`)
    network_staff: frozenset[str] | None = None


@dataclass(frozen=True)
class RecordService:
    beneficiary_id: uuid.UUID
    occurred_on: date
    service: str
    site: str
    staff_id: str
    notes: str | None = None
    network_staff: frozenset[str] | None = None  # as for a contact


@dataclass(frozen=True)
class RecordConsent:
    beneficiary_id: uuid.UUID
    recipient: str  # an agency or centre code
    purpose: str
    given_on: date
    until: date | None = None


@dataclass(frozen=True)
class WithdrawConsent:
    beneficiary_id: uuid.UUID
    recipient: str
    withdrawn_on: date


@dataclass(frozen=True)
class CloseCase:
    beneficiary_id: uuid.UUID
    reason: str
    closed_on: date
    situation_at_exit: str | None = None


@dataclass(frozen=True)
class RecordFollowUp:
    beneficiary_id: uuid.UUID
    followed_up_on: date
    employed: bool
    improved_situation: bool


@dataclass(frozen=True)
class ReopenCase:
    beneficiary_id: uuid.UUID
    reason: str
    reopened_on: date


@dataclass(frozen=True)
class TransferCase:
    beneficiary_id: uuid.UUID
    to_site: str
    reason: str
    transferred_on: date


@dataclass(frozen=True)
class Consent:
    given_on: date
    until: date | None

    def covers(self, on: date) -> bool:
        return self.given_on <= on and (self.until is None or on <= self.until)


@dataclass(frozen=True)
class Case:
    contacts: int = 0
    services: int = 0
    closed: bool = False
    site: str | None = None  # the centre holding the case
    consents: dict[str, Consent] = field(default_factory=dict)
    plan: action_plan.Plan | None = None  # the open individual action plan

    def may_share_with(self, recipient: str, on: date) -> bool:
        """Consent in force for that recipient on that day: withdrawal stops sharing from then on."""
        consent = self.consents.get(recipient)
        return consent is not None and consent.covers(on)


initial = Case()


def evolve(state: Case, event) -> Case:
    data = event.data if hasattr(event, "data") else event.payload
    if event.type == CONTACT_RECORDED:
        return replace(state, contacts=state.contacts + 1, site=state.site or data.get("site"))
    if event.type == SERVICE_DELIVERED:
        return replace(state, services=state.services + 1)
    if event.type == CONSENT_RECORDED:
        until = date.fromisoformat(data["until"]) if data.get("until") else None
        consent = Consent(date.fromisoformat(data["given_on"]), until)
        return replace(state, consents={**state.consents, data["recipient"]: consent})
    if event.type == CONSENT_WITHDRAWN:
        return replace(
            state, consents={k: v for k, v in state.consents.items() if k != data["recipient"]}
        )
    if event.type == CASE_CLOSED:
        return replace(state, closed=True)
    if event.type == CASE_REOPENED:
        return replace(state, closed=False)
    if event.type == CASE_TRANSFERRED:
        return replace(state, site=data["to_site"])
    plan = action_plan.evolve_plan(state.plan, event)
    return state if plan is state.plan else replace(state, plan=plan)


def _payload(command, *leave_out: str) -> dict:
    return {k: v for k, v in command.__dict__.items() if k not in leave_out}


def _open_case(state: Case) -> None:
    if state.closed:
        raise RuleViolated("the case is closed: reopen it before recording anything new")


def known_staff(command: RecordContact | RecordService) -> None:
    """Who recorded it is someone the network registry lists in the site's network now: a typo or
    an invented id would be counted as a worker's caseload. `network_staff` is None when nobody
    is to be checked: a site the registry does not know, or a municipal system's event, whose
    staff are the municipality's and vouched for by its publisher."""
    if command.network_staff is not None and command.staff_id not in command.network_staff:
        raise RuleViolated(
            "no staff member of this site's network has that id",
            field="staff_id",
            staff_id=command.staff_id,
        )


def _contact(command: RecordContact, state: Case) -> list[DomainEvent]:
    _open_case(state)
    known_staff(command)
    if command.channel == "mobile_unit_visit":
        served = command.served_municipalities
        if served is None:
            raise RuleViolated(
                "this site is not a mobile unit in the network registry",
                field="site",
                site=command.site,
            )
        if command.municipality_code not in served:
            raise RuleViolated(
                "this mobile unit does not serve that municipality",
                municipality_code=command.municipality_code,
                site=command.site,
            )
    return [DomainEvent(CONTACT_RECORDED, _payload(command, *FACTS))]


def _service(command: RecordService, state: Case) -> list[DomainEvent]:
    _open_case(state)
    known_staff(command)
    return [DomainEvent(SERVICE_DELIVERED, _payload(command, *FACTS))]


def _consent(command: RecordConsent, state: Case) -> list[DomainEvent]:
    if command.until is not None and command.until < command.given_on:
        raise RuleViolated("consent cannot end before it is given", until=str(command.until))
    return [DomainEvent(CONSENT_RECORDED, _payload(command))]


def _withdraw(command: WithdrawConsent, state: Case) -> list[DomainEvent]:
    if command.recipient not in state.consents:
        return []  # nothing to withdraw: sharing was never allowed
    return [DomainEvent(CONSENT_WITHDRAWN, _payload(command))]


def _close(command: CloseCase, state: Case) -> list[DomainEvent]:
    if state.closed:
        return []
    return [DomainEvent(CASE_CLOSED, _payload(command))]


def _reopen(command: ReopenCase, state: Case) -> list[DomainEvent]:
    if not state.closed:
        raise RuleViolated("the case is open: there is nothing to reopen")
    return [DomainEvent(CASE_REOPENED, _payload(command))]


def _assess(command: action_plan.RecordNeedsAssessment, state: Case) -> list[DomainEvent]:
    _open_case(state)
    return action_plan.assess(command)


def _plan(command, state: Case) -> list[DomainEvent]:
    _open_case(state)
    return action_plan.plan_decision(command, state.plan)


def _transfer(command: TransferCase, state: Case) -> list[DomainEvent]:
    _open_case(state)
    if command.to_site == state.site:
        raise RuleViolated("the case is already held by that centre", to_site=command.to_site)
    return [DomainEvent(CASE_TRANSFERRED, {**_payload(command), "from_site": state.site})]


def _follow_up(command: RecordFollowUp, state: Case) -> list[DomainEvent]:
    if not state.closed:
        raise RuleViolated("a follow-up is for someone who has left: close the case first")
    return [DomainEvent(FOLLOW_UP_RECORDED, _payload(command))]


def admissible(command, today: date) -> None:
    """Whatever the case holds, a command that records something dated after today (Greece's
    day) or in a municipality the region does not have is refused, the field named: the
    application asks this before deciding, with the clock's today."""
    happened_by(today, command, MAY_BE_LATER)
    known_municipality(getattr(command, "municipality_code", None))


DECISIONS: dict[type, Rule] = {
    RecordContact: _contact,
    RecordFollowUp: _follow_up,
    RecordService: _service,
    RecordConsent: _consent,
    WithdrawConsent: _withdraw,
    CloseCase: _close,
    ReopenCase: _reopen,
    TransferCase: _transfer,
    action_plan.RecordNeedsAssessment: _assess,
    action_plan.OpenActionPlan: _plan,
    action_plan.AddActionStep: _plan,
    action_plan.MarkStepDone: _plan,
    action_plan.CloseActionPlan: _plan,
}
decide = deciding(DECISIONS)
