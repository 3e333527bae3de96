"""A consumer that starts late catches up over RPC and ends identical to one that ran live."""

from __future__ import annotations

import threading
import uuid

import pytest

from services.common.consumer import Consumer
from services.common.consumer.consistency import check
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.registries.entrypoints.service import RegistriesService
from tests.support.database import migrated_read_model
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually

STREAMS, PER_STREAM = 1000, 10


def start_consumer(name, admin_url, settings, stop):
    projection = Roster(name=name)
    db = migrated_read_model(admin_url, settings, settings.schema(name), projection)
    consumer = Consumer(
        projection,
        db,
        RpcEventSource(settings.amqp_uri),
        opener=personal_opener(settings, projection),
    )
    live = LiveConsumer(
        consumer,
        settings.amqp_uri,
        publishers=dict.fromkeys(consumer.projection.sources, "guest"),
        catch_up_seconds=2,
    )
    threading.Thread(target=live.run, args=(stop,), daemon=True).start()
    assert live.ready.wait(30)
    return consumer


def append_history(store) -> None:
    for _ in range(STREAMS):
        subject = uuid.uuid4()
        events = [
            NewEvent(
                "BeneficiaryRegistered",
                {"municipality_code": "9254"},
                personal={"given_name": "Νίκος", "family_name": "Οικονόμου"},
                subject_id=subject,
            )
        ]
        events += [NewEvent("ContactNoted", {"n": i}) for i in range(PER_STREAM - 1)]
        store.append(f"beneficiary-{subject}", NO_STREAM, events, Metadata("sw-2", "MU-KALAMATA"))


@pytest.mark.slow
def test_a_consumer_started_after_ten_thousand_events_ends_identical_to_the_live_one(
    running, relays, platform_settings, admin_url
):
    running(RegistriesService)
    store = relays("registries")["registries"]
    stop = threading.Event()
    try:
        live = start_consumer("live_roster", admin_url, platform_settings, stop)
        append_history(store)
        end = store.last_position()
        assert end == STREAMS * PER_STREAM
        eventually(
            lambda: live.position("registries") == end, 120, what="the live consumer to catch up"
        )

        late = start_consumer("late_roster", admin_url, platform_settings, stop)
        eventually(
            lambda: late.position("registries") == end, 120, what="the late consumer to catch up"
        )

        assert roster_rows(late.db) == roster_rows(live.db)
        source = RpcEventSource(platform_settings.amqp_uri)
        assert check(live.db, "live_roster", ("registries",), source) == []
        assert check(late.db, "late_roster", ("registries",), source) == []
        source.close()
    finally:
        stop.set()
