"""The intake application (services/intake/application/cases.py) on the in-memory event store:
how a command on a case is stored, retried and refused, and what the record page's summary and an
offline client's history are folded from."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from contracts.names import (
    ACTION_PLAN_OPENED,
    CASE_CLOSED,
    CONTACT_RECORDED,
    NEEDS_ASSESSED,
    SERVICE_DELIVERED,
)
from services.common.domain import RuleViolated
from services.common.eventstore import (
    CommandIdReused,
    EventStore,
    Metadata,
    NewEvent,
    WrongExpectedVersion,
    stream_name,
)
from services.common.eventstore.memory import InMemoryEventStore
from services.intake.application.cases import Cases
from services.intake.domain.action_plan import (
    AddActionStep,
    CloseActionPlan,
    MarkStepDone,
    OpenActionPlan,
    RecordNeedsAssessment,
)
from services.intake.domain.case import (
    CloseCase,
    RecordConsent,
    RecordContact,
    RecordService,
    ReopenCase,
)

PERSON = uuid.UUID("5a0c3e1e-8d0b-4c55-9a61-2f7d1b6e0a11")
DUPLICATE = uuid.UUID("c41f0d7a-3b6e-4f8a-8e21-7a9d5c0b2e33")
PLAN = uuid.UUID("9e2b7c10-4a5d-4e6f-b1c2-d3e4f5a6b7c8")


def meta(command_id: str | None = None) -> Metadata:
    return Metadata("sw-1", "KK-KALAMATA", command_id=command_id)


def contact(person=PERSON, notes: str | None = None, **changes) -> RecordContact:
    fields = {
        "beneficiary_id": person,
        "occurred_on": date(2025, 3, 3),
        "channel": "centre",
        "site": "KK-KALAMATA",
        "municipality_code": "9254",
        "staff_id": "sw-1",
        "notes": notes,
    }
    return RecordContact(**{**fields, **changes})


def visit(served: frozenset[str]) -> RecordContact:
    return contact(
        channel="mobile_unit_visit",
        site="MU-KALAMATA",
        municipality_code="9258",
        served_municipalities=served,
    )


def assessment(person=PERSON, labour_status="long_term_unemployed") -> RecordNeedsAssessment:
    return RecordNeedsAssessment(
        person,
        date(2025, 3, 10),
        ("long_term_unemployed",),
        ("employment",),
        2,
        labour_status,
        "3-4",
        False,
        "GR",
        False,
        "rented",
        False,
    )


def service(person=PERSON) -> RecordService:
    return RecordService(
        person, date(2025, 3, 4), "psychosocial_counselling", "KK-KALAMATA", "sw-2"
    )


def close(person=PERSON) -> CloseCase:
    return CloseCase(person, "found work", date(2025, 6, 30))


def recorded(cases: Cases, *commands) -> None:
    """Each command as an up-to-date client sends it: at the version it last saw."""
    for command in commands:
        cases.run(command, meta(), cases.version(command.beneficiary_id))


def a_moment_later(cases: Cases, person) -> None:
    """The memory store stamps events with the wall clock: wait until it has moved past the last
    event, so which assessment is "latest" is decided by the order of the test, never by a tie."""
    last = cases.history(person, cases.version(person) - 1)[-1].recorded_at
    while datetime.now(UTC) <= last:
        pass


# --- running a command ---------------------------------------------------------------------


def test_a_command_at_the_version_the_client_saw_stores_its_events():
    cases = Cases(InMemoryEventStore())
    result = cases.run(contact(), meta(), expected_version=0)
    assert result.version == 1 and [e.type for e in result.events] == [CONTACT_RECORDED]
    assert [e.type for e in cases.history(PERSON, 0)] == [CONTACT_RECORDED]


def test_commands_land_on_the_beneficiarys_case_stream():
    cases = Cases(InMemoryEventStore())
    result = cases.run(contact(), meta(), expected_version=0)
    assert result.stream == stream_name("case", PERSON)


def test_a_client_that_missed_an_event_gets_a_conflict_naming_the_current_version():
    cases = Cases(InMemoryEventStore())
    cases.run(contact(), meta(), expected_version=0)
    with pytest.raises(WrongExpectedVersion) as raised:
        cases.run(service(), meta(), 0)
    assert (raised.value.expected, raised.value.actual) == (0, 1)


def test_a_stale_command_stores_nothing():
    cases = Cases(InMemoryEventStore())
    cases.run(contact(), meta(), expected_version=0)
    with pytest.raises(WrongExpectedVersion):
        cases.run(contact(notes="second"), meta(), expected_version=0)
    assert cases.store.last_position() == 1


def test_a_command_the_rules_refuse_stores_nothing():
    cases = Cases(InMemoryEventStore())
    recorded(cases, close())
    with pytest.raises(RuleViolated):
        cases.run(contact(), meta(), expected_version=1)
    assert cases.version(PERSON) == 1


def test_a_retried_command_gets_its_first_answer_and_nothing_is_stored_again():
    cases = Cases(InMemoryEventStore())
    first = cases.run(contact(), meta("cmd-0001"), expected_version=0)
    again = cases.run(contact(), meta("cmd-0001"), expected_version=0)
    assert again.duplicate and again.events == first.events and again.version == first.version
    assert cases.store.last_position() == 1


def test_a_retry_after_others_wrote_to_the_case_is_answered_not_refused_as_stale():
    # the first answer was lost and a colleague recorded a service meanwhile: the retry still
    # states version 0, and must get the answer it missed, not a conflict
    cases = Cases(InMemoryEventStore())
    first = cases.run(contact(), meta("cmd-0001"), expected_version=0)
    recorded(cases, service())
    again = cases.run(contact(), meta("cmd-0001"), expected_version=0)
    assert again.duplicate and again.events == first.events
    assert cases.version(PERSON) == 2


def test_a_retry_that_learnt_a_newer_version_is_still_the_same_command():
    # a municipal system re-posting an event it had already sent, with the version it now knows
    cases = Cases(InMemoryEventStore())
    first = cases.run(contact(), meta("cmd-0001"), expected_version=0)
    recorded(cases, service())
    again = cases.run(contact(), meta("cmd-0001"), expected_version=2)
    assert again.duplicate and again.events == first.events
    assert cases.store.last_position() == 2


def test_a_retry_is_the_same_command_even_when_the_units_served_municipalities_changed():
    # the municipalities a mobile unit serves are looked up, not sent: a change in the registry
    # between the first try and the retry must not turn the retry into a reused command id
    cases = Cases(InMemoryEventStore())
    first = cases.run(visit(frozenset({"9256", "9258"})), meta("cmd-0001"), 0)
    again = cases.run(visit(frozenset({"9254", "9256", "9258"})), meta("cmd-0001"), 0)
    assert again.duplicate and again.events == first.events


def test_a_command_id_reused_for_a_different_command_is_refused():
    cases = Cases(InMemoryEventStore())
    cases.run(contact(notes="first"), meta("cmd-0001"), expected_version=0)
    with pytest.raises(CommandIdReused):
        cases.run(contact(notes="something else"), meta("cmd-0001"), expected_version=1)


def test_the_served_municipalities_are_not_stored_with_the_contact():
    cases = Cases(InMemoryEventStore())
    result = cases.run(visit(frozenset({"9256", "9258"})), meta(), 0)
    assert "served_municipalities" not in result.events[0].payload


def test_personal_notes_are_stored_apart_under_the_beneficiarys_subject():
    cases = Cases(InMemoryEventStore())
    (event,) = cases.run(contact(notes="lives alone"), meta(), 0).events
    assert event.personal == {"notes": "lives alone"} and "notes" not in event.data
    assert event.subject_id == PERSON


# --- version and state ---------------------------------------------------------------------


def test_a_case_never_recorded_is_at_version_zero():
    assert Cases(InMemoryEventStore()).version(PERSON) == 0


def test_the_version_is_that_of_the_last_event_on_the_case():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), contact(notes="again"), close())
    assert cases.version(PERSON) == 3


def test_the_loaded_case_knows_whom_the_beneficiary_consented_to_share_with():
    cases = Cases(InMemoryEventStore())
    recorded(cases, RecordConsent(PERSON, "DYPA-KALAMATA", "referral", date(2025, 3, 1)))
    case = cases.load(PERSON)
    assert case.may_share_with("DYPA-KALAMATA", date(2025, 3, 2))
    assert not case.may_share_with("KK-SPARTI", date(2025, 3, 2))


def test_one_beneficiarys_commands_do_not_touch_anothers_case():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), contact(person=DUPLICATE))
    assert (cases.version(PERSON), cases.version(DUPLICATE)) == (1, 1)


# --- the summary the record page shows -----------------------------------------------------


def test_the_summary_of_a_case_never_recorded_is_empty_at_version_zero():
    summary = Cases(InMemoryEventStore()).summary(PERSON)
    assert summary == {"version": 0, "closed": False, "plan": None, "assessment": None}


def test_the_summary_carries_the_version_the_next_command_must_state():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), contact(notes="again"))
    assert cases.summary(PERSON)["version"] == cases.version(PERSON) == 2


def test_the_summary_shows_the_open_plan_with_its_steps_and_which_are_done():
    cases = Cases(InMemoryEventStore())
    recorded(
        cases,
        OpenActionPlan(PERSON, PLAN, "a job within a year", date(2025, 3, 10)),
        AddActionStep(PERSON, PLAN, "cv", "write a CV", date(2025, 4, 1)),
        AddActionStep(PERSON, PLAN, "course", "ICT course"),
        MarkStepDone(PERSON, PLAN, "cv", date(2025, 3, 20)),
    )
    assert cases.summary(PERSON)["plan"] == {
        "plan_id": str(PLAN),
        "goals": "a job within a year",
        "opened_on": "2025-03-10",
        "steps": [
            {"step_id": "cv", "description": "write a CV", "due_on": "2025-04-01", "done": True},
            {"step_id": "course", "description": "ICT course", "due_on": None, "done": False},
        ],
    }


def test_a_closed_action_plan_leaves_no_plan_on_the_summary():
    cases = Cases(InMemoryEventStore())
    recorded(
        cases,
        OpenActionPlan(PERSON, PLAN, "a job within a year", date(2025, 3, 10)),
        CloseActionPlan(PERSON, PLAN, "employed", date(2025, 9, 1)),
    )
    assert cases.summary(PERSON)["plan"] is None


def test_the_summary_says_a_closed_case_is_closed():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), close())
    assert cases.summary(PERSON)["closed"] is True


def test_the_summary_says_a_reopened_case_is_open():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), close(), ReopenCase(PERSON, "lost the job", date(2025, 9, 1)))
    assert cases.summary(PERSON)["closed"] is False


def test_the_summary_carries_the_assessment_and_when_it_was_recorded():
    cases = Cases(InMemoryEventStore())
    recorded(cases, assessment())
    (event,) = cases.history(PERSON, 0)
    found = cases.summary(PERSON)["assessment"]
    assert found["labour_status"] == "long_term_unemployed" and found["groups"] == [
        "long_term_unemployed"
    ]
    assert datetime.fromisoformat(found["assessed_at"]) == event.recorded_at


def test_a_second_assessment_of_the_same_case_replaces_the_first():
    cases = Cases(InMemoryEventStore())
    recorded(cases, assessment(labour_status="long_term_unemployed"))
    recorded(cases, assessment(labour_status="employed"))
    assert cases.summary(PERSON)["assessment"]["labour_status"] == "employed"


def test_a_later_assessment_on_a_merged_record_wins_over_the_survivors_older_one():
    cases = Cases(InMemoryEventStore())
    recorded(cases, assessment(PERSON, labour_status="long_term_unemployed"))
    a_moment_later(cases, PERSON)
    recorded(cases, assessment(DUPLICATE, labour_status="employed"))
    found = cases.summary(PERSON, merged=[DUPLICATE])["assessment"]
    assert found["labour_status"] == "employed"


def test_the_survivors_later_assessment_wins_over_a_merged_records_older_one():
    cases = Cases(InMemoryEventStore())
    recorded(cases, assessment(DUPLICATE, labour_status="employed"))
    a_moment_later(cases, DUPLICATE)
    recorded(cases, assessment(PERSON, labour_status="inactive"))
    found = cases.summary(PERSON, merged=[DUPLICATE])["assessment"]
    assert found["labour_status"] == "inactive"


def test_a_merged_records_assessment_shows_when_the_survivor_has_none():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(PERSON), assessment(DUPLICATE, labour_status="employed"))
    found = cases.summary(PERSON, merged=[DUPLICATE])["assessment"]
    assert found["labour_status"] == "employed"


def test_a_merged_record_without_an_assessment_leaves_the_survivors_in_place():
    cases = Cases(InMemoryEventStore())
    recorded(cases, assessment(PERSON, labour_status="inactive"), contact(DUPLICATE))
    found = cases.summary(PERSON, merged=[DUPLICATE])["assessment"]
    assert found["labour_status"] == "inactive"


def test_the_plan_closure_and_version_of_a_merged_summary_are_the_survivors_own():
    # a merged record's plan and version belong to another stream: the next command on the
    # survivor's case states the survivor's version
    cases = Cases(InMemoryEventStore())
    recorded(
        cases,
        contact(PERSON),
        contact(DUPLICATE),
        OpenActionPlan(DUPLICATE, PLAN, "housing first", date(2025, 2, 1)),
        close(DUPLICATE),
    )
    summary = cases.summary(PERSON, merged=[DUPLICATE])
    assert (summary["version"], summary["closed"], summary["plan"]) == (1, False, None)


def test_the_summary_reads_a_long_case_past_its_first_page():
    # a case read page by page (1000 events a page): the plan opened after the first page shows
    store = InMemoryEventStore()
    stream = stream_name("case", PERSON)
    contacts = [NewEvent(CONTACT_RECORDED, {"site": "KK"}) for _ in range(1000)]
    opened = NewEvent(ACTION_PLAN_OPENED, {"plan_id": str(PLAN), "opened_on": "2025-03-10"})
    store.append(stream, 0, [*contacts, opened], meta())
    summary = Cases(store).summary(PERSON)
    assert summary["version"] == 1001 and summary["plan"]["plan_id"] == str(PLAN)


class ReportedInLocalTime(EventStore):
    """The event store port as PostgreSQL serves it to a session whose TimeZone is Europe/Athens:
    the same instants, written with the offset in force at each (+03:00 in summer, +02:00 after the
    last Sunday of October). The port promises an aware datetime, not UTC."""

    def __init__(self, store: EventStore, instants: list[datetime]):
        self._store, self._instants = store, instants

    def _local(self, events):
        out = []
        for e in events:
            instant = self._instants[e.position - 1]
            offset = timedelta(hours=3 if instant < datetime(2025, 10, 26, 1, tzinfo=UTC) else 2)
            out.append(replace(e, recorded_at=instant.astimezone(timezone(offset))))
        return out

    def append(self, *args, **kwargs):
        return self._store.append(*args, **kwargs)

    def earlier_result(self, *args, **kwargs):
        return self._store.earlier_result(*args, **kwargs)

    def read_stream(self, *args, **kwargs):
        return self._local(self._store.read_stream(*args, **kwargs))

    def read_all(self, *args, **kwargs):
        return self._local(self._store.read_all(*args, **kwargs))

    def head(self, stream):
        return self._store.head(stream)

    def heads(self, categories=None):
        return self._store.heads(categories)

    def last_position(self):
        return self._store.last_position()


def test_the_later_assessment_wins_even_when_the_clock_went_back_between_them():
    # a regression test: assessments were once compared as text, by their local clock reading
    # 00:30 UTC is 03:30+03:00; 01:10 UTC, forty minutes later, is 03:10+02:00
    store = ReportedInLocalTime(
        InMemoryEventStore(),
        [datetime(2025, 10, 26, 0, 30, tzinfo=UTC), datetime(2025, 10, 26, 1, 10, tzinfo=UTC)],
    )
    cases = Cases(store)
    recorded(cases, assessment(PERSON, labour_status="long_term_unemployed"))
    recorded(cases, assessment(DUPLICATE, labour_status="employed"))
    found = cases.summary(PERSON, merged=[DUPLICATE])["assessment"]
    assert found["labour_status"] == "employed"


# --- history since a version (an offline client's conflict) --------------------------------


def test_history_after_a_version_holds_only_what_was_recorded_since():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), assessment(), close())
    assert [(e.version, e.type) for e in cases.history(PERSON, 1)] == [
        (2, NEEDS_ASSESSED),
        (3, CASE_CLOSED),
    ]


def test_history_after_the_current_version_is_empty():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), close())
    assert cases.history(PERSON, 2) == []


def test_history_stops_at_the_limit():
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), contact(notes="again"), close())
    assert [e.version for e in cases.history(PERSON, 0, limit=2)] == [1, 2]


def test_history_of_a_case_never_recorded_is_empty():
    assert Cases(InMemoryEventStore()).history(PERSON, 0) == []


def test_history_shows_the_events_a_stale_client_missed_with_their_types():
    # the client saw version 1 and posted again; the conflict it gets is explained by history
    cases = Cases(InMemoryEventStore())
    recorded(cases, contact(), service())
    with pytest.raises(WrongExpectedVersion) as raised:
        cases.run(contact(notes="offline"), meta(), expected_version=1)
    missed = cases.history(PERSON, raised.value.expected)
    assert [e.type for e in missed] == [SERVICE_DELIVERED]
