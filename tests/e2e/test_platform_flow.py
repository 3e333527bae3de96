"""The whole path with every part running on the real broker and database: services, relays
publishing to RabbitMQ, the timeline consumer fed live from the bus. The mobile unit syncs a
batch recorded offline (one command conflicting), the lead centre sees the visits on the
timeline, a referral goes to an agency that answers from its inbox, and the regional portal's
view agrees with the sources (the backbone's consistency check is clean)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.common.clock import GREECE
from services.common.consumer import Consumer
from services.common.consumer.consistency import check
from services.common.consumer.live import LiveConsumer
from services.common.consumer.sources import RpcEventSource
from services.portal_gateway import bootstrap as gateway_bootstrap
from services.portal_gateway.adapters.timeline import Timeline
from tests.e2e.gateway_platform import DYPA_KALAMATA
from tests.support.clock import today_in_greece
from tests.support.waiting import eventually

TODAY = today_in_greece().isoformat()
OFFLINE_TIMES = ((9, 10), (11, 40), (15, 0))  # a mobile unit's round, Athens time
SOURCES = ("registries", "intake", "referrals")


@pytest.fixture
def live_timeline(gateway, relays, platform_settings):
    relays(*SOURCES)
    db = gateway_bootstrap.open_timeline(platform_settings)
    source = RpcEventSource(platform_settings.amqp_uri)
    consumer, stop = Consumer(Timeline(), db, source), threading.Event()
    live = LiveConsumer(
        consumer,
        platform_settings.amqp_uri,
        publishers=dict.fromkeys(consumer.projection.sources, "guest"),
    )
    thread = threading.Thread(target=live.run, args=(stop,), daemon=True)
    thread.start()
    assert live.ready.wait(30)

    def caught_up(timeout: float = 30) -> None:
        eventually(
            lambda: all(consumer.position(s) >= source.last_position(s) for s in SOURCES),
            timeout,
            what="the timeline consumer to catch up",
        )

    yield consumer, caught_up
    stop.set()
    thread.join(10)
    source.close()
    db.close()


def visit(beneficiary: str, base: int, at: datetime) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "kind": "contacts",
        "beneficiary_id": beneficiary,
        "base_version": base,
        "occurred_at": at.isoformat(),
        "fields": {
            "occurred_on": at.date().isoformat(),
            "channel": "mobile_unit_visit",
            "site": "MU-KALAMATA",
            "municipality_code": "9256",
            "staff_id": "kalamata.worker",
        },
    }


@pytest.mark.slow
def test_offline_visits_reach_the_lead_centre_and_a_referral_is_answered_with_one_consistent_history(
    gateway, live_timeline
):
    consumer, caught_up = live_timeline
    worker, head, officer = (
        gateway.client(u) for u in ("kalamata.worker", "kalamata.head", "dypa.officer")
    )
    eleni, nikos = (
        gateway.register("kalamata.worker", "MU-KALAMATA", given_name=g, family_name=f)
        for g, f in (("Ελένη", "Μαυρέα"), ("Νίκος", "Σταύρου"))
    )
    # while the car was offline, the centre recorded a service for Nikos
    service = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": TODAY,
        "service": "information",
        "site": "KK-KALAMATA",
        "staff_id": "kalamata.head",
    }
    assert head.post(f"/beneficiaries/{nikos}/services", service).status_code == 200

    # yesterday's round, every visit decided on what the morning's download showed
    yesterday = datetime.now(GREECE) - timedelta(days=1)
    at = [yesterday.replace(hour=h, minute=m, second=0, microsecond=0) for h, m in OFFLINE_TIMES]
    batch = [visit(eleni, 0, at[0]), visit(nikos, 0, at[1]), visit(eleni, 0, at[2])]
    results = worker.post("/sync", {"trip_id": str(uuid.uuid4()), "commands": batch}).json()
    assert [r["status"] for r in results["results"]] == ["applied", "conflict", "applied"]
    assert (
        results["results"][1]["current"][0]["type"] == "ServiceDelivered"
    )  # for the worker to decide

    caught_up()
    timeline = head.get(f"/beneficiaries/{eleni}").json()["timeline"]
    visits = [
        (s["occurred_at"][:16], s["site"]) for s in timeline if s["type"] == "ContactRecorded"
    ]
    assert visits == [
        (at[0].astimezone(UTC).isoformat()[:16], "MU-KALAMATA"),
        (at[2].astimezone(UTC).isoformat()[:16], "MU-KALAMATA"),
    ]  # when, not synced

    referral = str(uuid.uuid4())
    assert (
        worker.post(
            "/referrals",
            {
                "command_id": str(uuid.uuid4()),
                "referral_id": referral,
                "beneficiary_id": eleni,
                "expected_version": 0,
                "from_site": "MU-KALAMATA",
                "need": "employment",
                "recipient_kind": "agency",
                "recipient_id": DYPA_KALAMATA,
                "recipient_name": "ΔΥΠΑ Καλαμάτας",
                "shares_personal_data": False,
                "requested_on": TODAY,
            },
        ).status_code
        == 201
    )
    steps = [
        (worker, "sending", {"sent_on": TODAY}),
        (officer, "receipt", {"received_on": TODAY}),
        (officer, "acceptance", {"accepted_on": TODAY}),
        (officer, "completion", {"completed_on": TODAY, "outcome": "service_given"}),
    ]
    for version, (client, step, fields) in enumerate(steps, start=1):
        if client is officer and step == "receipt":
            inbox = officer.get("/referrals/inbox").json()["referrals"]
            assert [r["referral_id"] for r in inbox] == [referral]
        answer = client.post(
            f"/referrals/{referral}/{step}",
            {"command_id": str(uuid.uuid4()), "expected_version": version, **fields},
        )
        assert answer.status_code == 200, answer.text

    caught_up()
    path = [s["type"] for s in head.get(f"/beneficiaries/{eleni}").json()["timeline"]]
    assert path[-5:] == [
        "ReferralRequested",
        "ReferralSent",
        "ReferralReceived",
        "ReferralAccepted",
        "ReferralCompleted",
    ]
    assert (
        check(consumer.db, "timeline", SOURCES, consumer.source) == []
    )  # the portal's view is the sources'
    # today's referral is in no released month yet: the coordinator's overview is a past month's
    overview = gateway.client("coordinator").get("/overview").json()
    assert overview["period"] < TODAY[:7] and overview["referrals"] == "c"
