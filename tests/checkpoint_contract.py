"""One test suite for a consumer's checkpoint store (services/common/consumer/checkpoints.py), to
run against every implementation. Subclasses provide three fixtures over storage that is empty when
the test starts:
- `checkpoints`: makes a consumer's store from the consumer's name;
- `transaction`: opens the transaction the store's methods run in, the one the read model's changes
  are made in (a context manager yielding the cursor they take; commit on success, rollback on an
  exception);
- `stored_letters`: given that cursor, the dead letters' kept events as stored (text), so the suite
  can see what a person reading the table would see.

What the consumer relies on (services/common/consumer/consumer.py): a position per (consumer,
source) that starts at 0, is locked for the length of a batch and commits or rolls back with it;
each stream's applied head (version, hash) for the consistency check; dead letters that park their
stream until it is resolved."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime

from services.common.consumer import SourceEvent

SOURCE, OTHER_SOURCE = "registries", "intake"


class Rollback(Exception):
    """Raised inside a transaction to undo it, as a failing batch would."""


def event(
    position: int, stream: str | None = None, version: int = 1, source: str = SOURCE
) -> SourceEvent:
    """An event as a source delivered it, with a personal field a dead letter must not keep."""
    return SourceEvent(
        source=source,
        position=position,
        prev_position=position - 1,
        stream=stream or f"beneficiary-{uuid.uuid4()}",
        version=version,
        event_id=str(uuid.uuid4()),
        type="ContractProbed",
        schema_version=1,
        recorded_at=datetime.now(UTC),
        metadata={"actor": "sw-1"},
        data={"i": position},
        personal={"given_name": "Ελένη"},
        subject_id=str(uuid.uuid4()),
        erased=False,
        hash=f"hash-{position}",
    )


class CheckpointContract:
    # -- positions: how far a consumer applied each source ---------------------------------------
    def test_a_consumer_that_never_ran_has_no_positions(self, checkpoints, transaction):
        with transaction() as cur:
            assert checkpoints("roster").positions(cur) == {}

    def test_a_source_never_applied_starts_at_position_zero(self, checkpoints, transaction):
        with transaction() as cur:
            assert checkpoints("roster").lock_position(cur, SOURCE) == 0

    def test_a_saved_position_is_read_back_in_the_same_transaction(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            roster.save_position(cur, SOURCE, 42)
            assert roster.lock_position(cur, SOURCE) == 42 and roster.positions(cur) == {SOURCE: 42}

    def test_a_saved_position_outlives_its_transaction(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            roster.save_position(cur, SOURCE, 42)
        with transaction() as cur:
            assert roster.lock_position(cur, SOURCE) == 42 and roster.positions(cur) == {SOURCE: 42}

    def test_a_position_saved_in_a_transaction_that_rolls_back_is_forgotten(
        self, checkpoints, transaction
    ):
        # the read model's change and the checkpoint commit together: a failed batch is read again
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            roster.save_position(cur, SOURCE, 10)
        try:
            with transaction() as cur:
                roster.lock_position(cur, SOURCE)
                roster.save_position(cur, SOURCE, 42)
                raise Rollback
        except Rollback:
            pass
        with transaction() as cur:
            assert roster.lock_position(cur, SOURCE) == 10

    def test_saving_the_same_position_twice_leaves_it_as_saved_once(self, checkpoints, transaction):
        # a redelivered batch saves the position it already saved
        roster = checkpoints("roster")
        for _ in range(2):
            with transaction() as cur:
                roster.lock_position(cur, SOURCE)
                roster.save_position(cur, SOURCE, 7)
        with transaction() as cur:
            assert roster.positions(cur) == {SOURCE: 7}

    def test_each_source_keeps_its_own_position(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            roster.lock_position(cur, OTHER_SOURCE)
            roster.save_position(cur, SOURCE, 5)
            roster.save_position(cur, OTHER_SOURCE, 9)
        with transaction() as cur:
            assert roster.positions(cur) == {SOURCE: 5, OTHER_SOURCE: 9}

    def test_each_consumer_keeps_its_own_position_in_the_same_source(
        self, checkpoints, transaction
    ):
        # read models of a service share its schema: one consumer's progress must not move another's
        roster, caseload = checkpoints("roster"), checkpoints("caseload")
        with transaction() as cur:
            caseload.lock_position(cur, SOURCE)
            caseload.save_position(cur, SOURCE, 3)
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            roster.save_position(cur, SOURCE, 5)
        with transaction() as cur:
            locked = (caseload.lock_position(cur, SOURCE), roster.lock_position(cur, SOURCE))
            assert locked == (3, 5)
            assert (caseload.positions(cur), roster.positions(cur)) == ({SOURCE: 3}, {SOURCE: 5})

    def test_a_locked_position_holds_back_a_second_batch_of_the_same_source_until_commit(
        self, checkpoints, transaction
    ):
        # live deliveries, catch-up and repairs of one source may run at once: one batch at a time,
        # and the second starts from where the first ended
        roster = checkpoints("roster")
        second = BatchAside(lambda cur: roster.lock_position(cur, SOURCE), transaction)
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            second.start()
            held_back = not second.done.wait(0.5)
            assert held_back, "a second batch read the position while the first held it"
            roster.save_position(cur, SOURCE, 42)
        assert second.done.wait(10) and second.result == 42

    def test_a_locked_position_does_not_hold_back_another_source(self, checkpoints, transaction):
        roster = checkpoints("roster")
        other = BatchAside(lambda cur: roster.lock_position(cur, OTHER_SOURCE), transaction)
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            other.start()
            assert other.done.wait(10) and other.result == 0

    # -- stream heads: what the consistency check compares with the source -----------------------
    def test_a_source_never_applied_has_no_stream_heads(self, checkpoints, transaction):
        with transaction() as cur:
            roster = checkpoints("roster")
            assert roster.all_heads(cur, SOURCE) == {}
            assert roster.heads(cur, SOURCE, ["beneficiary-1"]) == {}

    def test_saved_stream_heads_are_read_back_with_version_and_hash(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {"stream-1": (3, "h3"), "stream-2": (1, "h1")})
        with transaction() as cur:
            assert roster.all_heads(cur, SOURCE) == {"stream-1": (3, "h3"), "stream-2": (1, "h1")}

    def test_heads_answers_only_for_the_streams_asked(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {"stream-1": (3, "h3"), "stream-2": (1, "h1")})
            assert roster.heads(cur, SOURCE, ["stream-1", "stream-9"]) == {"stream-1": 3}

    def test_a_streams_newer_head_replaces_the_older_one(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {"beneficiary-1": (1, "h1")})
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {"beneficiary-1": (2, "h2")})
        with transaction() as cur:
            assert roster.all_heads(cur, SOURCE) == {"beneficiary-1": (2, "h2")}

    def test_saving_the_same_heads_twice_leaves_them_as_saved_once(self, checkpoints, transaction):
        roster = checkpoints("roster")
        for _ in range(2):
            with transaction() as cur:
                roster.save_heads(cur, SOURCE, {"beneficiary-1": (2, "h2")})
        with transaction() as cur:
            assert roster.all_heads(cur, SOURCE) == {"beneficiary-1": (2, "h2")}

    def test_saving_no_heads_changes_nothing(self, checkpoints, transaction):
        # a batch made only of duplicates applies nothing, and saves no head
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {"beneficiary-1": (2, "h2")})
            roster.save_heads(cur, SOURCE, {})
            assert roster.all_heads(cur, SOURCE) == {"beneficiary-1": (2, "h2")}

    def test_stream_heads_saved_in_a_transaction_that_rolls_back_are_forgotten(
        self, checkpoints, transaction
    ):
        roster = checkpoints("roster")
        try:
            with transaction() as cur:
                roster.save_heads(cur, SOURCE, {"beneficiary-1": (2, "h2")})
                raise Rollback
        except Rollback:
            pass
        with transaction() as cur:
            assert roster.all_heads(cur, SOURCE) == {}

    def test_stream_heads_are_kept_per_source_and_per_consumer(self, checkpoints, transaction):
        roster, caseload = checkpoints("roster"), checkpoints("caseload")
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {"stream-1": (2, "a")})
            roster.save_heads(cur, OTHER_SOURCE, {"stream-1": (5, "b")})
            caseload.save_heads(cur, SOURCE, {"stream-1": (1, "c")})
        with transaction() as cur:
            assert roster.all_heads(cur, SOURCE) == {"stream-1": (2, "a")}
            assert roster.all_heads(cur, OTHER_SOURCE) == {"stream-1": (5, "b")}
            assert caseload.heads(cur, SOURCE, ["stream-1"]) == {"stream-1": 1}

    def test_a_batch_saves_its_heads_and_position_together_or_not_at_all(
        self, checkpoints, transaction
    ):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.lock_position(cur, SOURCE)
            roster.save(cur, SOURCE, {"stream-1": (2, "a"), "stream-2": (1, "b")}, 7)
        try:
            with transaction() as cur:
                roster.lock_position(cur, SOURCE)
                roster.save(cur, SOURCE, {"stream-1": (3, "c")}, 9)
                raise Rollback
        except Rollback:
            pass
        with transaction() as cur:
            roster.save(cur, SOURCE, {}, None)  # a batch of duplicates: nothing moves
            assert roster.lock_position(cur, SOURCE) == 7
            assert roster.all_heads(cur, SOURCE) == {"stream-1": (2, "a"), "stream-2": (1, "b")}
            roster.save(cur, SOURCE, {"stream-1": (3, "c")}, None)  # a head, the position stays
            assert roster.lock_position(cur, SOURCE) == 7
            assert roster.heads(cur, SOURCE, ["stream-1"]) == {"stream-1": 3}

    def test_heads_and_parked_streams_come_back_together(self, checkpoints, transaction):
        roster, sick = checkpoints("roster"), event(3)
        with transaction() as cur:
            roster.save_heads(cur, SOURCE, {sick.stream: (2, "a"), "stream-well": (4, "b")})
            roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
        with transaction() as cur:
            asked = [sick.stream, "stream-well", "stream-unknown"]
            assert roster.heads_and_parked(cur, SOURCE, asked) == (
                {sick.stream: 2, "stream-well": 4},
                {sick.stream},
            )

    # -- dead letters: an event a read model cannot apply parks its stream -----------------------
    def test_nothing_is_parked_before_a_dead_letter(self, checkpoints, transaction):
        with transaction() as cur:
            roster = checkpoints("roster")
            assert roster.open_dead_letters(cur) == []
            assert roster.parked_streams(cur, ["beneficiary-1"]) == set()

    def test_a_dead_lettered_event_parks_its_stream_and_no_other(self, checkpoints, transaction):
        roster, sick = checkpoints("roster"), event(3)
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
        with transaction() as cur:
            assert roster.parked_streams(cur, [sick.stream, "beneficiary-well"]) == {sick.stream}

    def test_a_dead_letter_names_the_event_and_the_error(self, checkpoints, transaction):
        roster, sick = checkpoints("roster"), event(3, version=2)
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
        with transaction() as cur:
            (letter,) = roster.open_dead_letters(cur)
        expected = {
            "source": SOURCE,
            "position": 3,
            "stream": sick.stream,
            "version": 2,
            "event_type": "ContractProbed",
            "error": "ValueError: poison",
        }
        assert {k: letter[k] for k in expected} == expected

    def test_the_same_event_dead_lettered_twice_is_kept_once(self, checkpoints, transaction):
        # a redelivered batch meets the same poison again: one letter per (source, position)
        roster, sick = checkpoints("roster"), event(3)
        for _ in range(2):
            with transaction() as cur:
                roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
        with transaction() as cur:
            assert len(roster.open_dead_letters(cur)) == 1

    def test_the_same_position_in_two_sources_makes_two_dead_letters(
        self, checkpoints, transaction
    ):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, event(3), "ValueError: poison")
            elsewhere = event(3, source=OTHER_SOURCE)
            roster.dead_letter(cur, OTHER_SOURCE, elsewhere, "ValueError: poison")
            letters = roster.open_dead_letters(cur)
            assert sorted(d["source"] for d in letters) == sorted([SOURCE, OTHER_SOURCE])

    def test_open_dead_letters_are_listed_in_the_order_they_failed(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            for position in (9, 4, 6):
                roster.dead_letter(cur, SOURCE, event(position), "ValueError: poison")
            assert [d["position"] for d in roster.open_dead_letters(cur)] == [9, 4, 6]

    def test_a_dead_letter_keeps_no_personal_field(self, checkpoints, transaction, stored_letters):
        # personal fields stay erasable in the source alone: a retry reads the event from there
        roster, sick = checkpoints("roster"), event(3)
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
            (stored,) = stored_letters(cur)
        assert "Ελένη" not in stored and "given_name" not in stored and sick.event_id in stored

    def test_a_long_error_is_cut_to_four_thousand_characters(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, event(3), "x" * 10_000)
            assert len(roster.open_dead_letters(cur)[0]["error"]) == 4000

    def test_resolving_a_stream_closes_its_letters_and_unparks_it(self, checkpoints, transaction):
        roster, sick = checkpoints("roster"), event(3)
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
            roster.dead_letter(cur, SOURCE, event(4, stream=sick.stream, version=2), "waiting")
        with transaction() as cur:
            roster.resolve(cur, SOURCE, sick.stream, "retried", "ops")
        with transaction() as cur:
            assert (
                roster.open_dead_letters(cur) == []
                and roster.parked_streams(cur, [sick.stream]) == set()
            )

    def test_resolving_one_stream_leaves_the_others_parked(self, checkpoints, transaction):
        roster, fixed, still_sick = checkpoints("roster"), event(3), event(4)
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, fixed, "ValueError: poison")
            roster.dead_letter(cur, SOURCE, still_sick, "ValueError: poison")
            roster.resolve(cur, SOURCE, fixed.stream, "retried", "ops")
            assert roster.parked_streams(cur, [fixed.stream, still_sick.stream]) == {
                still_sick.stream
            }
            assert [d["stream"] for d in roster.open_dead_letters(cur)] == [still_sick.stream]

    def test_a_refused_message_keeps_its_digest_not_its_body_and_parks_no_stream(
        self, checkpoints, transaction, stored_letters
    ):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.refuse(
                cur, SOURCE, {"type": "ContactRecorded"}, "ab" * 32, "publisher not vouched for"
            )
            (letter,) = roster.open_dead_letters(cur)
            assert (letter["source"], letter["stream"], letter["position"]) == (SOURCE, None, None)
            assert (letter["digest"], letter["event_type"]) == ("ab" * 32, "ContactRecorded")
            (stored,) = stored_letters(cur)
        assert json.loads(stored) == {"type": "ContactRecorded"}

    def test_a_refused_message_is_resolved_once_its_source_was_read_again(
        self, checkpoints, transaction
    ):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.refuse(cur, SOURCE, {}, "cd" * 32, "not an envelope")
            roster.dead_letter(cur, SOURCE, event(3), "ValueError: poison")
            assert roster.resolve_refused(cur, SOURCE, "source read again", "ops") == 1
            assert [d["position"] for d in roster.open_dead_letters(cur)] == [3]

    def test_a_discarded_letter_keeps_why_and_who(self, checkpoints, transaction):
        roster = checkpoints("roster")
        with transaction() as cur:
            roster.refuse(cur, SOURCE, {}, "ef" * 32, "not an envelope")
            (letter,) = roster.open_dead_letters(cur)
            assert roster.discard(cur, letter["id"], "a test message", "maria")
            assert not roster.discard(cur, letter["id"], "twice", "maria")
            assert roster.open_dead_letters(cur) == []
            cur.execute(
                "SELECT resolution, resolved_by FROM dead_letters WHERE id = %s", (letter["id"],)
            )
            assert cur.fetchone() == ("discarded: a test message", "maria")

    def test_dead_letters_are_kept_per_consumer(self, checkpoints, transaction):
        roster, caseload, sick = checkpoints("roster"), checkpoints("caseload"), event(3)
        with transaction() as cur:
            roster.dead_letter(cur, SOURCE, sick, "ValueError: poison")
            assert caseload.open_dead_letters(cur) == []
            assert caseload.parked_streams(cur, [sick.stream]) == set()

    # -- a rebuild starts from nothing ---------------------------------------------------------
    def test_a_reset_forgets_the_consumers_positions_heads_and_dead_letters(
        self, checkpoints, transaction
    ):
        roster = checkpoints("roster")
        with transaction() as cur:
            remember_everything(roster, cur)
        with transaction() as cur:
            roster.reset(cur)
        with transaction() as cur:
            assert roster.positions(cur) == {} and roster.all_heads(cur, SOURCE) == {}
            assert roster.open_dead_letters(cur) == [] and roster.lock_position(cur, SOURCE) == 0

    def test_a_reset_leaves_other_consumers_untouched(self, checkpoints, transaction):
        roster, caseload = checkpoints("roster"), checkpoints("caseload")
        with transaction() as cur:
            remember_everything(roster, cur)
            remember_everything(caseload, cur)
        with transaction() as cur:
            roster.reset(cur)
        with transaction() as cur:
            assert caseload.positions(cur) == {SOURCE: 5}
            assert caseload.all_heads(cur, SOURCE) == {"stream-1": (2, "a")}
            assert len(caseload.open_dead_letters(cur)) == 1


def remember_everything(checkpoints, cur) -> None:
    """A position, a stream head and a dead letter for one consumer."""
    checkpoints.lock_position(cur, SOURCE)
    checkpoints.save_position(cur, SOURCE, 5)
    checkpoints.save_heads(cur, SOURCE, {"stream-1": (2, "a")})
    checkpoints.dead_letter(cur, SOURCE, event(3), "ValueError: poison")


class BatchAside(threading.Thread):
    """Runs `step(cur)` in a transaction of its own on another thread, as a concurrent batch."""

    def __init__(self, step, transaction):
        super().__init__(daemon=True)
        self.step, self.transaction = step, transaction
        self.done, self.result = threading.Event(), None

    def run(self):
        try:
            with self.transaction() as cur:
                self.result = self.step(cur)
        finally:
            self.done.set()
