"""Needs assessment and the individual action plan, each rule as a sentence."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest

from contracts.names import ACTION_PLAN_OPENED, ACTION_STEP_DONE, NEEDS_ASSESSED
from services.common.domain import RuleViolated
from services.intake.domain.action_plan import (
    AddActionStep,
    CloseActionPlan,
    MarkStepDone,
    OpenActionPlan,
    RecordNeedsAssessment,
)
from services.intake.domain.case import CloseCase, decide, evolve, initial

ID, PLAN = uuid.uuid4(), uuid.uuid4()
DAY = date(2026, 11, 20)


def after(*commands):
    state = initial
    for command in commands:
        for e in decide(command, state):
            data = {
                k: v.isoformat()
                if isinstance(v, date)
                else str(v)
                if isinstance(v, uuid.UUID)
                else v
                for k, v in e.payload.items()
            }
            state = evolve(state, SimpleNamespace(type=e.type, data=data))
    return state


def assessment(**overrides):
    fields = dict(
        beneficiary_id=ID,
        assessed_on=DAY,
        groups=("minimum_income", "roma"),
        needs=("housing",),
        household_size=4,
        labour_status="long_term_unemployed",
        education="0-2",
        disability=False,
        citizenship="GR",
        foreign_background=False,
        housing="inadequate",
        rural=True,
    )
    return RecordNeedsAssessment(**{**fields, **overrides})


def test_a_needs_assessment_records_what_the_esf_indicators_need():
    (event,) = decide(assessment(), initial)
    assert event.type == NEEDS_ASSESSED and event.payload["groups"] == ["minimum_income", "roma"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("labour_status", "astronaut"),
        ("education", "9"),
        ("groups", ("aliens",)),
        ("household_size", 0),
    ],
)
def test_an_assessment_with_an_unknown_value_is_refused_naming_the_field(field, value):
    with pytest.raises(RuleViolated) as raised:
        decide(assessment(**{field: value}), initial)
    assert raised.value.details["field"] == field


def test_an_action_plan_is_opened_and_its_steps_followed_to_done():
    state = after(
        OpenActionPlan(ID, PLAN, "εργασία σε 6 μήνες", DAY),
        AddActionStep(ID, PLAN, "cv", "βιογραφικό", date(2026, 12, 1)),
    )
    (event,) = decide(MarkStepDone(ID, PLAN, "cv", date(2026, 11, 28)), state)
    assert event.type == ACTION_STEP_DONE


def test_only_one_action_plan_is_open_at_a_time():
    state = after(OpenActionPlan(ID, PLAN, "goals", DAY))
    with pytest.raises(RuleViolated, match="already open"):
        decide(OpenActionPlan(ID, uuid.uuid4(), "other", DAY), state)


def test_a_closed_plan_makes_room_for_a_new_one():
    state = after(
        OpenActionPlan(ID, PLAN, "goals", DAY), CloseActionPlan(ID, PLAN, "achieved", DAY)
    )
    assert [e.type for e in decide(OpenActionPlan(ID, uuid.uuid4(), "next", DAY), state)] == [
        ACTION_PLAN_OPENED
    ]


def test_a_step_is_added_once_and_only_to_the_open_plan():
    state = after(
        OpenActionPlan(ID, PLAN, "goals", DAY), AddActionStep(ID, PLAN, "cv", "βιογραφικό")
    )
    with pytest.raises(RuleViolated, match="already"):
        decide(AddActionStep(ID, PLAN, "cv", "again"), state)
    with pytest.raises(RuleViolated, match="no such open action plan"):
        decide(AddActionStep(ID, uuid.uuid4(), "x", "y"), state)


def test_marking_an_unknown_step_done_is_refused_and_done_twice_is_done_once():
    state = after(
        OpenActionPlan(ID, PLAN, "goals", DAY),
        AddActionStep(ID, PLAN, "cv", "βιογραφικό"),
        MarkStepDone(ID, PLAN, "cv", DAY),
    )
    with pytest.raises(RuleViolated, match="no such step"):
        decide(MarkStepDone(ID, PLAN, "interview", DAY), state)
    assert decide(MarkStepDone(ID, PLAN, "cv", DAY), state) == []


def test_a_closed_case_takes_no_plan_and_no_assessment():
    closed = after(CloseCase(ID, "moved away", DAY))
    with pytest.raises(RuleViolated, match="closed"):
        decide(OpenActionPlan(ID, PLAN, "goals", DAY), closed)
    with pytest.raises(RuleViolated, match="closed"):
        decide(assessment(), closed)


def test_the_domain_and_the_contract_speak_the_same_vocabularies():
    from contracts import intake as contract
    from services.intake.domain import action_plan

    assert action_plan.VULNERABLE_GROUPS == contract.VULNERABLE_GROUPS
    assert (
        action_plan.LABOUR_STATUS == contract.LABOUR_STATUS and action_plan.ISCED == contract.ISCED
    )
