"""What tests/unit/test_application_execute.py leaves out of services/common/application.py:
reading a long stream page by page, the fingerprint that tells a retry from a reused command id,
the facts a fingerprint leaves out, and erasure riding on the append that records it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from services.common.application import execute, fingerprint, load, sent_by_client
from services.common.domain import DomainEvent
from services.common.eventstore import Metadata, NewEvent
from services.common.eventstore.memory import InMemoryEventStore
from services.common.personal_data import SubjectErased

STREAM = "counter-1"
PERSON = uuid.UUID("2c9a7e14-5b3d-4f60-8a1e-9d0c7b6a5f43")


@dataclass(frozen=True)
class Count:
    by: int
    person: uuid.UUID | None = None


class Counter:
    """A decider small enough to see through: a count, and no event for a count of nothing."""

    initial = 0

    @staticmethod
    def evolve(state, event):
        return state + event.data["by"]

    @staticmethod
    def decide(command, state):
        return [DomainEvent("Counted", {"by": command.by})] if command.by else []


def encode(e: DomainEvent) -> NewEvent:
    return NewEvent(e.type, e.payload)


def meta(command_id: str | None = None) -> Metadata:
    return Metadata("sw-1", "KK-KALAMATA", command_id=command_id)


def counted(store, *amounts) -> None:
    store.append(STREAM, 0, [NewEvent("Counted", {"by": by}) for by in amounts], meta())


def run(store, command, command_id=None, forget_subject=None):
    return execute(
        store,
        STREAM,
        Counter,
        command,
        meta(command_id),
        {"by": command.by},
        encode,
        forget_subject=forget_subject,
    )


# --- load ------------------------------------------------------------------------------------


def test_a_stream_never_written_loads_as_the_initial_state_at_version_zero():
    loaded = load(InMemoryEventStore(), STREAM, Counter)
    assert (loaded.state, loaded.version) == (0, 0)


def test_load_folds_every_event_of_a_stream_longer_than_a_page():
    store = InMemoryEventStore()
    counted(store, *([1] * 7))
    loaded = load(store, STREAM, Counter, page=3)
    assert (loaded.state, loaded.version) == (7, 7)


def test_load_reads_on_when_the_stream_ends_exactly_at_a_page_boundary():
    # a full last page could hide more events: only a short (here empty) page ends the read
    store = InMemoryEventStore()
    counted(store, *([2] * 6))
    loaded = load(store, STREAM, Counter, page=3)
    assert (loaded.state, loaded.version) == (12, 6)


def test_load_reads_one_stream_only():
    store = InMemoryEventStore()
    counted(store, 5)
    store.append("counter-2", 0, [NewEvent("Counted", {"by": 100})], meta())
    assert load(store, STREAM, Counter).state == 5


# --- fingerprint and the facts it leaves out --------------------------------------------------


def test_the_fingerprint_leaves_out_the_command_id():
    assert fingerprint({"by": 1, "command_id": "a"}) == fingerprint({"by": 1, "command_id": "b"})


def test_the_fingerprint_does_not_depend_on_the_order_of_the_fields():
    assert fingerprint({"by": 1, "note": "x"}) == fingerprint({"note": "x", "by": 1})


def test_commands_that_differ_in_any_field_have_different_fingerprints():
    assert fingerprint({"by": 1, "note": "x"}) != fingerprint({"by": 1, "note": "y"})


def test_the_fingerprint_of_dates_and_ids_is_that_of_their_text():
    # a command's dataclass fields and its JSON form must fingerprint alike
    assert fingerprint({"person": PERSON}) == fingerprint({"person": str(PERSON)})


def test_what_the_client_sent_leaves_out_the_facts_the_application_looked_up():
    assert sent_by_client(Count(3, PERSON), facts=("person",)) == {"by": 3}


def test_what_the_client_sent_is_every_field_when_nothing_was_looked_up():
    assert sent_by_client(Count(3, PERSON)) == {"by": 3, "person": PERSON}


# --- execute: decisions of nothing and erasure ------------------------------------------------


def test_a_command_that_decides_nothing_stores_nothing_and_answers_the_current_version():
    store = InMemoryEventStore()
    counted(store, 4, 4)
    result = run(store, Count(0))
    assert result.events == () and result.version == 2 and store.last_position() == 2


def test_a_retry_of_a_command_that_decided_nothing_is_answered_as_a_duplicate():
    store = InMemoryEventStore()
    run(store, Count(0), command_id="cmd-0001")
    again = run(store, Count(0), command_id="cmd-0001")
    assert again.duplicate and again.events == ()


def test_erasure_forgets_the_subject_in_the_append_that_records_it():
    store = InMemoryEventStore()
    run(store, Count(1), forget_subject=PERSON)
    with pytest.raises(SubjectErased):
        store.append(
            "other-1", 0, [NewEvent("X", {}, personal={"a": 1}, subject_id=PERSON)], meta()
        )


def test_a_decision_of_nothing_forgets_no_one():
    # an erasure the rules turned into nothing (already erased, or refused) must not delete a key
    store = InMemoryEventStore()
    run(store, Count(0), forget_subject=PERSON)
    result = store.append(
        "other-1", 0, [NewEvent("X", {}, personal={"a": 1}, subject_id=PERSON)], meta()
    )
    assert result.events[0].personal == {"a": 1}
