"""One test suite for the EventStore port, run against every implementation (PostgreSQL and the
in-memory fake): subclasses provide the `store` fixture."""

from __future__ import annotations

import unicodedata
import uuid

import pytest

from services.common.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    CommandIdReused,
    Metadata,
    NewEvent,
    WrongExpectedVersion,
)
from services.common.personal_data import SubjectErased

META = Metadata("sw-1", "KK-KALAMATA")


def meta(command_id=None):
    return Metadata("sw-1", "KK-KALAMATA", command_id=command_id)


def events(n, **data):
    return [NewEvent("ContactNoted", {"i": i, **data}) for i in range(n)]


def stream():
    return f"case-{uuid.uuid4()}"


class EventStoreContract:
    def test_a_new_stream_starts_at_version_one(self, store):
        s = stream()
        result = store.append(s, NO_STREAM, events(3), META)
        assert result.version == 3 and [e.version for e in store.read_stream(s)] == [1, 2, 3]

    def test_versions_follow_each_other_without_holes(self, store):
        s = stream()
        store.append(s, NO_STREAM, events(2), META)
        store.append(s, 2, events(2), META)
        assert [e.version for e in store.read_stream(s)] == [1, 2, 3, 4]

    def test_a_stale_writer_gets_a_conflict_naming_the_current_version(self, store):
        s = stream()
        store.append(s, NO_STREAM, events(2), META)
        with pytest.raises(WrongExpectedVersion) as raised:
            store.append(s, 1, events(1), META)
        assert (raised.value.expected, raised.value.actual) == (1, 2)

    def test_appending_to_an_existing_stream_as_new_is_a_conflict(self, store):
        s = stream()
        store.append(s, NO_STREAM, events(1), META)
        with pytest.raises(WrongExpectedVersion):
            store.append(s, NO_STREAM, events(1), META)

    def test_any_version_skips_the_check(self, store):
        s = stream()
        store.append(s, NO_STREAM, events(1), META)
        assert store.append(s, ANY_VERSION, events(1), META).version == 2

    def test_the_same_command_twice_stores_nothing_new(self, store):
        s = stream()
        first = store.append(s, NO_STREAM, events(2), meta("cmd-1"), fingerprint="f")
        last = store.last_position()
        again = store.append(s, NO_STREAM, events(2), meta("cmd-1"), fingerprint="f")
        assert again.duplicate and [e.event_id for e in again.events] == [
            e.event_id for e in first.events
        ]
        assert store.last_position() == last

    def test_a_retry_is_answered_as_a_retry_before_its_version_is_checked(self, store):
        s = stream()
        first = store.append(s, NO_STREAM, events(1), meta("cmd-5"), fingerprint="f")
        # sent again with the version it was first decided on, which the stream has left
        again = store.append(s, NO_STREAM, events(1), meta("cmd-5"), fingerprint="f")
        assert again.duplicate and again.version == 1 and again.events == first.events

    def test_a_command_id_reused_with_another_command_is_refused(self, store):
        s = stream()
        store.append(s, NO_STREAM, events(1), meta("cmd-2"), fingerprint="a")
        with pytest.raises(CommandIdReused):
            store.append(s, 1, events(1), meta("cmd-2"), fingerprint="b")

    def test_a_command_id_reused_on_another_stream_is_refused(self, store):
        store.append(stream(), NO_STREAM, events(1), meta("cmd-3"))
        with pytest.raises(CommandIdReused):
            store.append(stream(), NO_STREAM, events(1), meta("cmd-3"))

    def test_a_command_that_decided_nothing_is_still_remembered(self, store):
        s = stream()
        store.append(s, NO_STREAM, [], meta("cmd-4"))
        assert store.earlier_result("cmd-4", s).duplicate

    def test_read_stream_pages_by_version(self, store):
        s = stream()
        store.append(s, NO_STREAM, events(5), META)
        assert [e.version for e in store.read_stream(s, from_version=2, limit=2)] == [2, 3]

    def test_read_all_is_in_position_order_and_filters_by_category(self, store):
        a, b = stream(), f"beneficiary-{uuid.uuid4()}"
        start = store.last_position()
        store.append(a, NO_STREAM, events(2), META)
        store.append(b, NO_STREAM, events(1), META)
        mine = store.read_all(start, 100)
        assert [e.stream for e in mine] == [a, a, b]
        assert [e.position for e in mine] == sorted(e.position for e in mine)
        assert [e.stream for e in store.read_all(start, 100, categories=["beneficiary"])] == [b]

    def test_heads_give_each_streams_last_version_and_hash(self, store):
        s = stream()
        result = store.append(s, NO_STREAM, events(3), META)
        assert store.head(s).version == 3 and store.head(s).hash == result.events[-1].hash
        assert {h.stream for h in store.heads(categories=["case"])} >= {s}

    def test_every_event_has_its_own_chained_hash(self, store):
        s = stream()
        recorded = store.append(s, NO_STREAM, events(3), META).events
        assert len({e.hash for e in recorded}) == 3

    def test_personal_fields_read_back_intact_in_greek(self, store):
        subject = uuid.uuid4()
        name = "Γιώργος Παπαδόπουλος"
        store.append(
            f"beneficiary-{subject}",
            NO_STREAM,
            [
                NewEvent(
                    "BeneficiaryRegistered",
                    {"site": "KK-X"},
                    personal={"name": name},
                    subject_id=subject,
                )
            ],
            META,
        )
        (event,) = store.read_stream(f"beneficiary-{subject}")
        assert event.personal == {"name": name} and unicodedata.is_normalized(
            "NFC", event.personal["name"]
        )

    def test_after_erasure_personal_fields_are_gone_and_history_stays(self, store):
        subject = uuid.uuid4()
        s = f"beneficiary-{subject}"
        before = store.append(
            s,
            NO_STREAM,
            [
                NewEvent(
                    "BeneficiaryRegistered",
                    {"site": "KK-X"},
                    personal={"name": "Άννα"},
                    subject_id=subject,
                )
            ],
            META,
        )
        store.append(
            s,
            1,
            [NewEvent("PersonalDataErased", {"reason": "request"})],
            META,
            forget_subject=subject,
        )
        first, second = store.read_stream(s)
        assert first.erased and first.personal is None and first.data == {"site": "KK-X"}
        assert first.hash == before.events[0].hash and second.type == "PersonalDataErased"

    def test_a_forgotten_person_gets_no_new_personal_data(self, store):
        subject = uuid.uuid4()
        s = f"beneficiary-{subject}"
        store.append(
            s, NO_STREAM, [NewEvent("PersonalDataErased", {})], META, forget_subject=subject
        )
        with pytest.raises(SubjectErased):
            store.append(
                s, 1, [NewEvent("X", {}, personal={"name": "Άννα"}, subject_id=subject)], META
            )
