"""The needs assessment and the individual action plan (ατομικό πλάνο) on a beneficiary's case:
the steps of their path towards inclusion or employment, followed up one by one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from contracts.names import (
    ACTION_PLAN_CLOSED,
    ACTION_PLAN_OPENED,
    ACTION_STEP_ADDED,
    ACTION_STEP_DONE,
    NEEDS_ASSESSED,
)
from contracts.vocabulary import VULNERABLE_GROUPS
from services.common.domain import DomainEvent, RuleViolated

LABOUR_STATUS = ("employed", "unemployed", "long_term_unemployed", "inactive")
ISCED = ("0-2", "3-4", "5-8")


@dataclass(frozen=True)
class RecordNeedsAssessment:
    beneficiary_id: uuid.UUID
    assessed_on: date
    groups: tuple[str, ...]
    needs: tuple[str, ...]
    household_size: int
    labour_status: str
    education: str
    disability: bool
    citizenship: str
    foreign_background: bool
    housing: str
    rural: bool


@dataclass(frozen=True)
class OpenActionPlan:
    beneficiary_id: uuid.UUID
    plan_id: uuid.UUID
    goals: str
    opened_on: date


@dataclass(frozen=True)
class AddActionStep:
    beneficiary_id: uuid.UUID
    plan_id: uuid.UUID
    step_id: str
    description: str
    due_on: date | None = None


@dataclass(frozen=True)
class MarkStepDone:
    beneficiary_id: uuid.UUID
    plan_id: uuid.UUID
    step_id: str
    done_on: date


@dataclass(frozen=True)
class CloseActionPlan:
    beneficiary_id: uuid.UUID
    plan_id: uuid.UUID
    outcome: str
    closed_on: date


@dataclass(frozen=True)
class Plan:
    plan_id: str
    steps: frozenset[str] = frozenset()
    done: frozenset[str] = frozenset()


def evolve_plan(plan: Plan | None, event) -> Plan | None:
    """The open plan after an event (None: no plan open)."""
    data = event.data if hasattr(event, "data") else event.payload
    if event.type == ACTION_PLAN_OPENED:
        return Plan(str(data["plan_id"]))
    if event.type == ACTION_STEP_ADDED and plan:
        return replace(plan, steps=plan.steps | {data["step_id"]})
    if event.type == ACTION_STEP_DONE and plan:
        return replace(plan, done=plan.done | {data["step_id"]})
    if event.type == ACTION_PLAN_CLOSED:
        return None
    return plan


def assess(command: RecordNeedsAssessment) -> list[DomainEvent]:
    for name, value, allowed in (
        ("labour_status", command.labour_status, LABOUR_STATUS),
        ("education", command.education, ISCED),
    ):
        if value not in allowed:
            raise RuleViolated(f"{name} must be one of {', '.join(allowed)}", field=name)
    unknown = sorted(set(command.groups) - set(VULNERABLE_GROUPS))
    if unknown:
        raise RuleViolated("unknown vulnerable group", field="groups", groups=unknown)
    if command.household_size < 1:
        raise RuleViolated("a household has at least one person", field="household_size")
    return [
        DomainEvent(
            NEEDS_ASSESSED,
            {**command.__dict__, "groups": list(command.groups), "needs": list(command.needs)},
        )
    ]


def plan_decision(command, plan: Plan | None) -> list[DomainEvent]:
    if isinstance(command, OpenActionPlan):
        if plan is not None:
            raise RuleViolated(
                "an action plan is already open: close it before opening another",
                plan_id=plan.plan_id,
            )
        return [DomainEvent(ACTION_PLAN_OPENED, {**command.__dict__})]
    if plan is None or plan.plan_id != str(command.plan_id):
        raise RuleViolated("no such open action plan", plan_id=str(command.plan_id))
    if isinstance(command, AddActionStep):
        if command.step_id in plan.steps:
            raise RuleViolated("that step is already in the plan", step_id=command.step_id)
        return [DomainEvent(ACTION_STEP_ADDED, {**command.__dict__})]
    if isinstance(command, MarkStepDone):
        if command.step_id not in plan.steps:
            raise RuleViolated("no such step in the plan", step_id=command.step_id)
        if command.step_id in plan.done:
            return []  # done twice is done once
        return [DomainEvent(ACTION_STEP_DONE, {**command.__dict__})]
    if isinstance(command, CloseActionPlan):
        return [DomainEvent(ACTION_PLAN_CLOSED, {**command.__dict__})]
    raise TypeError(f"not an action-plan command: {command!r}")
