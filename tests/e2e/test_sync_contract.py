"""The mobile unit's sync contract against the real API (POST /api/v1/sync): a trip's commands
chain their own versions (within a batch and across batches), someone else's work meanwhile is a
conflict shown field by field, a replay stores nothing, offline times outside the trip are
refused with a message, and every answer has the one documented shape."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from nameko.standalone.rpc import ClusterRpcProxy

from contracts import api as api_contract
from services.common.transport import nameko_config
from tests.e2e.gateway_platform import GatewayPlatform, offline_item
from tests.support import openapi
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()
NOBODY = "00000000-0000-4000-8000-000000000000"


def visit(beneficiary: str, base: int, **item) -> dict:
    fields = {
        "occurred_on": TODAY,
        "channel": "mobile_unit_visit",
        "site": "MU-KALAMATA",
        "municipality_code": "9256",
        "staff_id": "kalamata.worker",
    }
    return offline_item("contacts", beneficiary, base, fields, **item)


def service(beneficiary: str, base: int) -> dict:
    fields = {
        "occurred_on": TODAY,
        "service": "information",
        "site": "MU-KALAMATA",
        "staff_id": "kalamata.worker",
    }
    return offline_item("services", beneficiary, base, fields)


def registration(beneficiary: str) -> dict:
    fields = {
        "given_name": "Ελένη",
        "family_name": "Αντωνίου",
        "birth_date": "1950-05-05",
        "municipality_code": "9256",
        "site": "MU-KALAMATA",
    }
    return offline_item("beneficiaries", beneficiary, 0, fields)


def synced(gateway: GatewayPlatform, trip: str, commands: list, user="kalamata.worker", **kw):
    """The batch's answers, each checked against the contract (contracts/api.py `Synced`, unknown
    fields refused) and the whole answer against the OpenAPI document the gateway serves."""
    response = gateway.client(user).post("/sync", {"trip_id": trip, "commands": commands}, **kw)
    assert response.status_code == 200, response.text
    document = gateway.client().get("/openapi.json").json()
    assert openapi.problems(document, response) == []
    body = response.json()
    api_contract.SyncResults().load(body)
    assert [r["command_id"] for r in body["results"]] == [c["command_id"] for c in commands]
    return body["results"]


def case_events(gateway: GatewayPlatform, beneficiary: str) -> list[dict]:
    """The person's case stream as intake's event store holds it."""
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        return cluster.intake.case_history(beneficiary, 0)


def centre_records_a_service(gateway: GatewayPlatform, beneficiary: str, expected: int) -> None:
    body = {
        "command_id": str(uuid.uuid4()),
        "expected_version": expected,
        "occurred_on": TODAY,
        "service": "psychosocial_counselling",
        "site": "KK-KALAMATA",
        "staff_id": "kalamata.head",
    }
    answer = gateway.client("kalamata.head").post(f"/beneficiaries/{beneficiary}/services", body)
    assert answer.status_code == 200, answer.text


def test_a_days_work_on_one_person_from_one_version_never_conflicts_with_itself(gateway):
    eleni, trip = str(uuid.uuid4()), str(uuid.uuid4())
    nikos = gateway.register("kalamata.worker", "MU-KALAMATA")
    # all decided offline on what the download showed: Nikos's case at 0, Eleni met today
    morning = [
        visit(nikos, 0),
        service(nikos, 0),
        registration(eleni),
        visit(eleni, 0),
        service(eleni, 0),
        visit(nikos, 0),
    ]
    first = synced(gateway, trip, morning)
    assert [(r["status"], r["version"]) for r in first] == [
        ("applied", 1),
        ("applied", 2),
        ("applied", 1),  # the registry's record of Eleni
        ("applied", 1),
        ("applied", 2),
        ("applied", 3),
    ]
    # the afternoon's outbox, synced later in the same trip, still says what the download showed
    afternoon = [visit(nikos, 0), visit(eleni, 0)]
    assert [(r["status"], r["version"]) for r in synced(gateway, trip, afternoon)] == [
        ("applied", 4),
        ("applied", 3),
    ]
    stored = case_events(gateway, nikos)
    assert [e["type"] for e in stored] == [
        "ContactRecorded",
        "ServiceDelivered",
        "ContactRecorded",
        "ContactRecorded",
    ]
    assert {e["metadata"]["correlation_id"] for e in stored} == {trip}


def test_a_replayed_batch_stores_nothing_and_answers_what_it_did(gateway):
    nikos, trip = gateway.register("kalamata.worker", "MU-KALAMATA"), str(uuid.uuid4())
    batch = [visit(nikos, 0), service(nikos, 0), visit(nikos, 0)]
    first = synced(gateway, trip, batch)
    again = synced(gateway, trip, batch)  # the answer was lost on the way back
    assert [r["status"] for r in first] == ["applied"] * 3
    assert [r["status"] for r in again] == ["already_applied"] * 3
    assert [r["version"] for r in again] == [r["version"] for r in first] == [1, 2, 3]
    stored = case_events(gateway, nikos)
    assert sorted(e["metadata"]["command_id"] for e in stored) == sorted(
        c["command_id"] for c in batch
    )  # each applied exactly once


def test_what_the_centre_recorded_meanwhile_is_a_conflict_shown_field_by_field(gateway):
    nikos, trip = gateway.register("kalamata.worker", "MU-KALAMATA"), str(uuid.uuid4())
    (early,) = synced(gateway, trip, [visit(nikos, 0)])  # synced at noon from a café's wifi
    assert (early["status"], early["version"]) == ("applied", 1)
    centre_records_a_service(gateway, nikos, 1)  # the centre, meanwhile

    late, later = visit(nikos, 0), service(nikos, 0)  # still on the download's version
    conflicts = synced(gateway, trip, [late, later])
    assert [r["status"] for r in conflicts] == ["conflict", "conflict"]
    first = conflicts[0]
    assert (first["version"], first["code"]) == (2, "conflict")
    assert "δεν αντικαταστάθηκε τίποτα" in first["error"]
    assert [
        (e["version"], e["type"], e["actor"], e["site"], e["fields"].get("service"))
        for e in first["current"]
    ] == [
        (1, "ContactRecorded", "kalamata.worker", "MU-KALAMATA", None),
        (2, "ServiceDelivered", "kalamata.head", "KK-KALAMATA", "psychosocial_counselling"),
    ]
    assert all(e["occurred_at"] for e in first["current"])
    assert len(case_events(gateway, nikos)) == 2  # nothing recorded, nothing overwritten

    # the worker looked and keeps their visit: the same command, on the version they were shown
    (resolved,) = synced(gateway, trip, [{**late, "base_version": first["version"]}])
    assert (resolved["status"], resolved["version"]) == ("applied", 3)
    assert [e["metadata"]["actor"] for e in case_events(gateway, nikos)] == [
        "kalamata.worker",
        "kalamata.head",
        "kalamata.worker",
    ]  # both contributions in the history


def test_offline_times_in_the_future_or_older_than_the_trip_are_refused_with_a_message(gateway):
    nikos, trip = gateway.register("kalamata.worker", "MU-KALAMATA"), str(uuid.uuid4())
    now = datetime.now(UTC)
    at = {
        "a year ahead": now + timedelta(days=400),
        "ten minutes ahead": now + timedelta(minutes=10),
        "before the trip": now - timedelta(days=8),
        "a clock a minute fast": now + timedelta(minutes=1),
        "a week ago": now - timedelta(days=6, hours=23),
    }
    batch = [visit(nikos, 0, occurred_at=moment.isoformat()) for moment in at.values()]
    results = dict(zip(at, synced(gateway, trip, batch), strict=True))
    assert {name: r["status"] for name, r in results.items()} == {
        "a year ahead": "refused",
        "ten minutes ahead": "refused",
        "before the trip": "refused",
        "a clock a minute fast": "applied",
        "a week ago": "applied",
    }
    future, old = results["a year ahead"], results["before the trip"]
    assert (future["code"], future["details"]) == (
        "rule_violated",
        {"field": "occurred_at", "rule": "offline_time_in_future"},
    )
    assert future["error"].startswith("Η ώρα καταχώρισης") and "στο μέλλον" in future["error"]
    assert (old["code"], old["details"]["rule"]) == ("rule_violated", "offline_time_too_old")
    assert "7 ημέρες" in old["error"]
    assert len(case_events(gateway, nikos)) == 2

    (english,) = synced(
        gateway, trip, [batch[0]], headers={"Accept-Language": "en"}
    )  # told in the worker's language
    assert english["status"] == "refused" and "in the future" in english["error"]


def test_a_person_outside_the_network_is_refused_as_the_apis_404_says(gateway):
    foreign = gateway.register("sparti.worker", "KK-SPARTI")
    refused = gateway.client("kalamata.worker").get(f"/beneficiaries/{foreign}")
    assert refused.status_code == 404
    trip = str(uuid.uuid4())
    results = synced(gateway, trip, [visit(foreign, 0), visit(NOBODY, 0), visit(foreign, 5)])
    assert [{k: v for k, v in r.items() if k != "command_id"} for r in results] == [
        {"status": "refused", **refused.json()}
    ] * 3  # another network's person, no one's id, a stale version: one answer, no oracle
    assert case_events(gateway, foreign) == []


def test_a_replay_arriving_after_the_window_still_answers_what_was_applied(gateway):
    nikos, trip = gateway.register("kalamata.worker", "MU-KALAMATA"), str(uuid.uuid4())
    item = visit(nikos, 0)
    (first,) = synced(gateway, trip, [item])
    # its answer was lost; the tablet comes back online more than a week later
    eight_days_ago = (datetime.now(UTC) - timedelta(days=8)).isoformat()
    late, never_sent = {**item, "occurred_at": eight_days_ago}, visit(nikos, 0)
    never_sent["occurred_at"] = eight_days_ago
    results = synced(gateway, trip, [late, never_sent])
    assert [(r["status"], r.get("version")) for r in results] == [
        ("already_applied", first["version"]),
        ("refused", None),
    ]
    assert len(case_events(gateway, nikos)) == 1
