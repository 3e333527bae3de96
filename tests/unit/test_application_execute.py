"""The command pipeline (read, fold, decide, append) on the in-memory store."""

import uuid
from dataclasses import dataclass

import pytest

from services.common.application import execute
from services.common.domain import DomainEvent
from services.common.eventstore import CommandIdReused, Metadata, NewEvent, WrongExpectedVersion
from services.common.eventstore.memory import InMemoryEventStore


@dataclass(frozen=True)
class Count:
    by: int


class Counter:
    initial = 0

    @staticmethod
    def evolve(state, event):
        return state + event.data["by"]

    @staticmethod
    def decide(command, state):
        if state + command.by > 10:
            raise ValueError("too many")
        return [DomainEvent("Counted", {"by": command.by})]


def encode(e: DomainEvent) -> NewEvent:
    return NewEvent(e.type, e.payload)


def run(store, by, command_id=None, expected=None, actor="sw", trip=None):
    return execute(
        store,
        "counter-1",
        Counter,
        Count(by),
        Metadata(actor, "KK", correlation_id=trip, command_id=command_id),
        {"by": by},
        encode,
        expected_version=expected,
    )


def test_a_command_appends_the_decided_events_at_the_version_it_decided_on():
    store = InMemoryEventStore()
    run(store, 2)
    result = run(store, 3)
    assert result.version == 2 and [e.data for e in result.events] == [{"by": 3}]


def test_a_retried_command_returns_its_first_result_without_deciding_again():
    store = InMemoryEventStore()
    first = run(store, 6, command_id="c-1")
    again = run(store, 6, command_id="c-1")  # deciding again would say "too many"
    assert again.duplicate and again.events == first.events
    assert store.last_position() == 1


def test_a_command_id_reused_for_another_command_is_refused():
    store = InMemoryEventStore()
    run(store, 1, command_id="c-1")
    with pytest.raises(CommandIdReused):
        run(store, 2, command_id="c-1")


def test_a_client_that_read_an_old_version_gets_a_conflict():
    store = InMemoryEventStore()
    run(store, 1)
    with pytest.raises(WrongExpectedVersion) as raised:
        run(store, 1, expected=0)
    assert raised.value.actual == 1


def test_commands_of_one_trip_from_one_version_chain_on_each_other():
    store = InMemoryEventStore()
    run(store, 1)
    for n in range(3):  # all decided offline on version 1
        result = run(store, 1, command_id=f"c-{n}", expected=1, trip="trip-1")
    assert result.version == 4 and store.last_position() == 4


def test_someone_elses_event_since_the_version_still_conflicts_whatever_came_of_the_trip():
    store = InMemoryEventStore()
    run(store, 1, command_id="c-1", expected=0, trip="trip-1")
    run(store, 1, command_id="at-the-centre")  # a colleague, meanwhile
    with pytest.raises(WrongExpectedVersion) as raised:
        run(store, 1, command_id="c-2", expected=0, trip="trip-1")
    assert raised.value.actual == 2


@pytest.mark.parametrize(("actor", "trip"), [("sw", "trip-2"), ("another", "trip-1")])
def test_another_trip_or_another_actor_naming_the_trip_is_not_the_clients_own(actor, trip):
    store = InMemoryEventStore()
    run(store, 1, command_id="c-1", expected=0, actor=actor, trip=trip)
    with pytest.raises(WrongExpectedVersion):
        run(store, 1, command_id="c-2", expected=0, trip="trip-1")


def test_a_rule_that_says_no_stores_nothing():
    store = InMemoryEventStore()
    with pytest.raises(ValueError):
        run(store, 11, command_id=str(uuid.uuid4()))
    assert store.last_position() == 0


class LookUpsCounted(InMemoryEventStore):
    def __init__(self):
        super().__init__()
        self.look_ups = 0

    def earlier_result(self, command_id, stream, fingerprint=None):
        self.look_ups += 1
        return super().earlier_result(command_id, stream, fingerprint)


def test_a_new_command_is_looked_up_only_by_the_append():
    store = LookUpsCounted()
    run(store, 1, command_id="c-1")
    assert store.look_ups == 0 and store.last_position() == 1


def test_a_retry_is_recognised_in_its_stream_and_looked_up_once():
    store = LookUpsCounted()
    first = run(store, 1, command_id="c-1")
    again = run(store, 1, command_id="c-1")
    assert again.duplicate and again.events == first.events and store.look_ups == 1


class OpensOnce:
    """Opening an open case records nothing; after a close, opening it again is refused."""

    initial = "new"

    @staticmethod
    def evolve(state, event):
        return event.data["to"]

    @staticmethod
    def decide(command, state):
        if state == "closed":
            raise ValueError("closed")
        return [] if state == "open" else [DomainEvent("Moved", {"to": command.by})]


def test_a_retry_of_a_command_that_recorded_nothing_keeps_its_first_answer():
    store = InMemoryEventStore()

    def send(to, command_id):
        return execute(
            store,
            "case-1",
            OpensOnce,
            Count(to),
            Metadata("sw", "KK", command_id=command_id),
            {"to": to},
            encode,
        )

    send("open", "c-1")
    nothing = send("open", "c-2")  # already open: nothing recorded
    send("closed", "c-3")
    again = send("open", "c-2")  # deciding again would now refuse it
    assert again.duplicate and again.events == () == nothing.events
