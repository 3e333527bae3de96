"""The timeline read model keeps an event's codes, dates and ids beside the beneficiary id, never
its free text (reasons, purposes, a recipient's typed name); names are added when shown."""

from __future__ import annotations

import json
import uuid

from services.common.consumer import Consumer
from services.common.consumer.setup import migrate_read_model
from services.common.consumer.sources import StoreEventSource
from services.common.eventstore import ANY_VERSION, Metadata, NewEvent
from services.portal_gateway.adapters import timeline
from services.portal_gateway.adapters.timeline import Timeline
from tests.support.database import as_before, migrated_read_model

DIAGNOSIS = "ψύχωση, υπό αγωγή"  # what a reason typed by a worker may say
TYPED_NAME = "Δρ. Παπαδόπουλος, ψυχίατρος"


def put(store, stream: str, type_: str, **data) -> None:
    store.append(
        stream,
        ANY_VERSION,
        [NewEvent(type_, data)],
        Metadata("tester", "MU-KALAMATA", occurred_at="2026-11-20T10:00:00+02:00"),
    )


def a_path(stores) -> tuple[str, str]:
    person, referral = str(uuid.uuid4()), str(uuid.uuid4())
    put(
        stores["registries"],
        f"beneficiary-{person}",
        "BeneficiaryRegistered",
        beneficiary_id=person,
        municipality_code="9256",
        site="MU-KALAMATA",
    )
    put(
        stores["intake"],
        f"case-{person}",
        "ConsentRecorded",
        beneficiary_id=person,
        recipient="EXT-CLINIC",
        purpose=f"παρακολούθηση: {DIAGNOSIS}",
        given_on="2026-11-20",
    )
    put(
        stores["referrals"],
        f"referral-{referral}",
        "ReferralRequested",
        referral_id=referral,
        beneficiary_id=person,
        from_site="MU-KALAMATA",
        need="health",
        recipient_kind="external",
        recipient_id="EXT-CLINIC",
        recipient_name=TYPED_NAME,
        requested_on="2026-11-20",
    )
    put(
        stores["referrals"],
        f"referral-{referral}",
        "ReferralRejected",
        referral_id=referral,
        beneficiary_id=person,
        rejected_on="2026-11-21",
        by="clinic",
        reason=DIAGNOSIS,
    )
    return person, referral


def test_the_timeline_keeps_no_free_text_beside_a_beneficiary_id(stores, read_model):
    person, referral = a_path(stores)
    projection = Timeline()
    consumer = Consumer(projection, read_model(projection), StoreEventSource(stores))
    for source in projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        cur.execute("SELECT data::text FROM timeline")
        held = "\n".join(d for (d,) in cur.fetchall())
    assert "ψύχωση" not in held and "Παπαδόπουλος" not in held
    assert "EXT-CLINIC" in held and referral in held  # codes and ids stay
    steps = timeline.path(consumer.db, [person])
    assert sorted(s["type"] for s in steps) == [
        "BeneficiaryRegistered",
        "ConsentRecorded",
        "ReferralRejected",
        "ReferralRequested",
    ]
    named = timeline.named(steps, [{"referral_id": referral, "recipient_name": "Κλινική"}])
    requested = next(s for s in named if s["type"] == "ReferralRequested")
    assert requested["data"]["recipient_name"] == "Κλινική"  # read now, from the referrals service


def test_the_migration_strips_the_free_text_the_timeline_held_before(
    admin_url, settings, unique_schema
):
    schema = unique_schema("tl")
    db = migrated_read_model(admin_url, settings, schema, as_before(Timeline, "timeline_002"))
    try:
        with db.transaction() as cur:
            cur.execute(
                "INSERT INTO timeline VALUES ('referrals', 1, %s, 's', 1, 'ReferralRejected', now(),"
                " NULL, NULL, %s)",
                (str(uuid.uuid4()), json.dumps({"reason": DIAGNOSIS, "rejected_on": "2026-11-21"})),
            )
        migrate_read_model(admin_url, settings, schema, Timeline())
        with db.transaction() as cur:
            cur.execute("SELECT data FROM timeline")
            assert cur.fetchall() == [({"rejected_on": "2026-11-21"},)]
    finally:
        db.close()


def met(stores, municipality: str, on: str, *, registered: bool = True) -> str:
    person = str(uuid.uuid4())
    if registered:
        put(
            stores["registries"],
            f"beneficiary-{person}",
            "BeneficiaryRegistered",
            beneficiary_id=person,
            municipality_code=municipality,
            site="MU-KALAMATA",
        )
    put(
        stores["intake"],
        f"case-{person}",
        "ContactRecorded",
        beneficiary_id=person,
        municipality_code=municipality,
        occurred_on=on,
        channel="mobile_unit_visit",
        site="MU-KALAMATA",
        staff_id="sw-1",
    )
    return person


def test_a_trip_downloads_the_people_met_in_its_municipalities_never_the_erased(stores, read_model):
    here, elsewhere, erased = (
        met(stores, "9256", "2026-11-18"),
        met(stores, "9258", "2026-11-19"),
        met(stores, "9256", "2026-11-19"),
    )
    put(
        stores["registries"],
        f"beneficiary-{erased}",
        "PersonalDataErased",
        beneficiary_id=erased,
        reason="άρθρο 17",
        requested_by="dpo",
    )
    projection = Timeline()
    consumer = Consumer(projection, read_model(projection), StoreEventSource(stores))
    for source in projection.sources:
        consumer.catch_up(source)
    found = timeline.met_in(consumer.db, ["9256", "9257"], 10)
    assert found == [{"beneficiary_id": here, "last_met_on": "2026-11-18"}]
    assert [p["beneficiary_id"] for p in timeline.met_in(consumer.db, ["9258"], 10)] == [elsewhere]
    consumer.rebuild()  # the same from zero: the aggregate is the timeline's own
    assert timeline.met_in(consumer.db, ["9256", "9257"], 10) == found
