"""The catch-up consumer on real PostgreSQL: exactly-once effect whatever the broker does."""

from __future__ import annotations

import random

import pytest

from services.common.consumer import Consumer
from services.common.consumer.consistency import check
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.eventstore import Metadata, NewEvent
from services.common.rpc_reads import StoreReads
from tests.support.backbone import register, touch
from tests.support.projections import Roster, roster_rows


@pytest.fixture
def consumer(pg_store, read_model, settings):
    projection = Roster()
    return Consumer(
        projection,
        read_model(projection),
        StoreEventSource({"registries": pg_store}),
        page_size=50,
        opener=personal_opener(settings, projection),
    )


def deliveries(store, after=0):
    return StoreReads("registries", store).read_all(after, 5000)


def is_consistent(consumer) -> bool:
    return (
        check(consumer.db, consumer.projection.name, consumer.projection.sources, consumer.source)
        == []
    )


def test_duplicated_and_reordered_deliveries_end_identical_to_the_source(pg_store, consumer):
    streams = register(pg_store, 40)
    for s in streams[:10]:
        touch(pg_store, s, 3)
    messages = deliveries(pg_store)
    noisy = messages + random.Random(7).sample(messages, 30)
    random.Random(8).shuffle(noisy)

    for i in range(0, len(noisy), 25):
        consumer.handle("registries", noisy[i : i + 25], live=True)

    assert is_consistent(consumer)
    rows = roster_rows(consumer.db)
    assert len(rows) == 40 and sum(r[3] for r in rows.values()) == len(messages)


def test_a_dropped_message_is_read_back_from_the_source(pg_store, consumer):
    register(pg_store, 10)
    messages = deliveries(pg_store)
    del messages[4]

    outcome = consumer.handle("registries", messages)

    assert outcome.repaired == 1 and outcome.applied == 10
    assert is_consistent(consumer)


def test_a_redelivered_batch_changes_nothing(pg_store, consumer):
    register(pg_store, 5)
    messages = deliveries(pg_store)
    consumer.handle("registries", messages)
    before = roster_rows(consumer.db)

    outcome = consumer.handle("registries", messages)

    assert outcome.applied == 0 and outcome.duplicates == 5
    assert roster_rows(consumer.db) == before


def test_a_poison_event_is_dead_lettered_and_other_streams_still_apply(pg_store, consumer):
    healthy = register(pg_store, 3)
    sick = register(pg_store, 1, poison=True)[0]
    later = register(pg_store, 2)

    outcome = consumer.handle("registries", deliveries(pg_store))

    letters = consumer.open_dead_letters()
    assert outcome.dead_lettered == 1 and [d["stream"] for d in letters] == [sick]
    assert "poison" in letters[0]["error"]
    assert set(roster_rows(consumer.db)) == {s.split("-", 1)[1] for s in healthy + later}


def test_a_dead_letter_keeps_no_personal_field(pg_store, consumer):
    register(pg_store, 1, poison=True)
    consumer.handle("registries", deliveries(pg_store))
    with consumer.db.transaction() as cur:
        cur.execute("SELECT event::text FROM dead_letters")
        ((stored,),) = cur.fetchall()
    assert "Ελένη" not in stored and "Παπαδάκη" not in stored


def test_later_events_of_a_poisoned_stream_wait_behind_it_and_apply_once_it_is_fixed(
    pg_store, consumer
):
    sick = register(pg_store, 1, poison=True)[0]
    touch(pg_store, sick, 2)
    consumer.handle("registries", deliveries(pg_store))
    assert len(consumer.open_dead_letters()) == 3 and roster_rows(consumer.db) == {}

    consumer.projection.apply = _ignoring_poison(consumer.projection.apply)  # the fix is deployed
    assert consumer.retry_dead_letters() == 1

    assert consumer.open_dead_letters() == []
    assert roster_rows(consumer.db)[sick.split("-", 1)[1]][3] == 3
    assert is_consistent(consumer)


def _ignoring_poison(apply):
    def fixed(cur, event):
        if event.data.get("poison"):
            event = type(event)(**{**event.__dict__, "data": {}})
        apply(cur, event)

    return fixed


def test_catch_up_reads_everything_from_the_store_in_pages(pg_store, consumer):
    register(pg_store, 120)
    assert consumer.catch_up("registries") == 120
    assert consumer.position("registries") == pg_store.last_position()
    assert is_consistent(consumer)


class _OvertakenOnReadAhead(StoreEventSource):
    """A source whose second read (the page read ahead) lets another process of the same read
    model catch up to the end first, as a second replica would while the first applies a page."""

    def __init__(self, stores, other: Consumer):
        super().__init__(stores)
        self.other, self.reads = other, 0

    def read_all(self, source, after_position, limit):
        self.reads += 1
        if self.reads == 2:
            self.other.catch_up(source)
        return super().read_all(source, after_position, limit)


def test_a_page_read_ahead_is_dropped_when_another_process_moved_the_checkpoint(pg_store, consumer):
    register(pg_store, 120)
    stores = {"registries": pg_store}
    other = Consumer(
        consumer.projection, consumer.db, StoreEventSource(stores), opener=consumer.opener
    )
    overtaken = Consumer(
        consumer.projection,
        consumer.db,
        _OvertakenOnReadAhead(stores, other),
        page_size=50,
        opener=consumer.opener,
    )

    applied_here = overtaken.catch_up("registries")

    rows = roster_rows(consumer.db)
    assert applied_here < 120 and sum(r[3] for r in rows.values()) == 120  # nothing twice
    assert consumer.position("registries") == pg_store.last_position()
    assert is_consistent(consumer)


def test_a_rebuild_from_zero_equals_the_live_read_model(pg_store, consumer):
    streams = register(pg_store, 30)
    touch(pg_store, streams[3], 4)
    for m in deliveries(pg_store):
        consumer.handle("registries", [m], live=True)
    live = roster_rows(consumer.db)

    assert consumer.rebuild() == 34
    assert roster_rows(consumer.db) == live
    assert is_consistent(consumer)


def test_the_consistency_check_names_a_stream_the_read_model_is_behind_on(pg_store, consumer):
    streams = register(pg_store, 3)
    consumer.catch_up("registries")
    touch(pg_store, streams[1])

    (difference,) = check(consumer.db, "roster", ("registries",), consumer.source)
    assert (difference.stream, difference.problem) == (streams[1], "behind")


def test_the_consistency_check_finds_a_read_model_whose_history_differs(pg_store, consumer):
    streams = register(pg_store, 2)
    consumer.catch_up("registries")
    with consumer.db.transaction() as cur:
        cur.execute("UPDATE consumer_streams SET hash = 'forged' WHERE stream = %s", (streams[0],))

    (difference,) = check(consumer.db, "roster", ("registries",), consumer.source)
    assert difference.problem == "hash differs"


def test_erasure_reaches_the_read_model_and_the_store_keeps_the_history(pg_store, consumer):
    subject_stream = register(pg_store, 1)[0]
    other = register(pg_store, 1)[0]
    consumer.catch_up("registries")
    subject = subject_stream.split("-", 1)[1]

    import uuid

    pg_store.append(
        subject_stream,
        1,
        [NewEvent("PersonalDataErased", {"reason": "request"})],
        Metadata("dpo", "KK-KALAMATA"),
        forget_subject=uuid.UUID(subject),
    )
    consumer.catch_up("registries")

    rows = roster_rows(consumer.db)
    assert rows[subject][:2] == (None, None) and rows[subject][3] == 2
    assert rows[other.split("-", 1)[1]][0] == "Ελένη"
    replayed = deliveries(pg_store)
    assert [m["erased"] for m in replayed if m["stream"] == subject_stream] == [True, False]
    assert all(m["sealed"] is None for m in replayed if m["stream"] == subject_stream)
    assert "Ελένη" not in repr([m for m in replayed if m["stream"] == subject_stream])


def test_the_periodic_check_exports_what_it_found_and_a_standby_checks_nothing(pg_store, consumer):
    """The active consumer's scheduled check (PeriodicCheck), as the alerts read it."""
    import threading

    from prometheus_client import REGISTRY

    from services.common.consumer.consistency import PeriodicCheck
    from tests.support.waiting import eventually

    def exported(name: str) -> float | None:
        return REGISTRY.get_sample_value(name, {"consumer": "roster"})

    streams = register(pg_store, 3)
    consumer.catch_up("registries")
    active = threading.Event()
    checks = PeriodicCheck(
        consumer.db,
        "roster",
        ("registries",),
        lambda: consumer.source,
        active.is_set,
        every=0.2,
        first=0.05,
        settle_seconds=0,
    )
    assert checks.once() == []
    assert exported("kentra_consistency_differences") == 0
    checked = exported("kentra_consistency_checked_timestamp_seconds")
    with consumer.db.transaction() as cur:
        cur.execute("UPDATE consumer_streams SET hash = 'forged' WHERE stream = %s", (streams[0],))
    stop = threading.Event()
    runner = threading.Thread(target=checks.run, args=(stop,))
    runner.start()
    try:
        stop.wait(0.6)  # three turns as a standby: nothing checked, nothing exported
        assert exported("kentra_consistency_checked_timestamp_seconds") == checked
        active.set()
        eventually(
            lambda: exported("kentra_consistency_differences") == 1, 10, what="the forged stream"
        )
        assert exported("kentra_consistency_checked_timestamp_seconds") > checked
    finally:
        stop.set()
        runner.join(5)
