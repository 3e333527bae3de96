"""Access decided from the services' own facts at the moment of each request (issue 13, points 1
and 2): no window in which a new file is open to everyone, a withdrawn consent or an ended referral
refuses the very next read, side doors (sync, ingest, commands) follow the same policy, an unknown
id is refused like another network's person, and every personal read or refused attempt is
audited. No test here waits for, or runs, a backbone consumer: the facts must already hold."""

from __future__ import annotations

import uuid

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy

from contracts.vocabulary import EMERGENCY_REASONS
from services.common.rpc_commands import CommandRejected
from services.common.transport import nameko_config
from tests.e2e.gateway_platform import GatewayPlatform, municipal_event, offline_item
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()
NOBODY = "00000000-0000-4000-8000-000000000013"


def register_now(gateway: GatewayPlatform, username: str, site: str, **person) -> str:
    """A registration and nothing else: no catch-up, so no read model knows the person yet."""
    person = {
        "given_name": "Ελένη",
        "family_name": "Σταθοπούλου",
        "birth_date": "1975-06-15",
        **person,
    }
    return gateway.register_only(username, site, **person)


def contact(version: int, site: str = "KK-SPARTI", **more) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "expected_version": version,
        "occurred_on": TODAY,
        "channel": "centre",
        "site": site,
        "municipality_code": "9252",
        "staff_id": "sparti.worker",
        **more,
    }


def case_version(gateway: GatewayPlatform, beneficiary: str) -> int:
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        return cluster.intake.case_version(beneficiary)


def views(gateway: GatewayPlatform, beneficiary: str) -> list[dict]:
    """The audit of this person, without the DPO's own reading of it (which it lists last)."""
    found = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    assert found[-1]["purpose"] == "audit" and found[-1]["viewer"] == "dpo"
    return found[:-1]


def shared_with_kalamata(gateway: GatewayPlatform) -> tuple[str, str]:
    """A Sparti person, with consent to share with the Kalamata centre and a referral there."""
    beneficiary = register_now(gateway, "sparti.worker", "KK-SPARTI")
    sparti = gateway.client("sparti.worker")
    consent = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "recipient": "KK-KALAMATA",
        "purpose": "παραπομπή",
        "given_on": TODAY,
    }
    assert sparti.post(f"/beneficiaries/{beneficiary}/consents", consent).status_code == 200
    referral = str(uuid.uuid4())
    answer = sparti.post(
        "/referrals",
        {
            "command_id": str(uuid.uuid4()),
            "referral_id": referral,
            "beneficiary_id": beneficiary,
            "expected_version": 0,
            "from_site": "KK-SPARTI",
            "need": "employment",
            "recipient_kind": "centre",
            "recipient_id": "KK-KALAMATA",
            "recipient_name": "Κέντρο Κοινότητας Καλαμάτας",
            "shares_personal_data": True,
            "requested_on": TODAY,
        },
    )
    assert answer.status_code == 201, answer.text
    return beneficiary, referral


# --- point 1: the facts of this moment ------------------------------------------------------------


def test_a_file_registered_at_one_centre_is_refused_to_another_centres_staff_at_once(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    sparti = gateway.client("sparti.worker")
    assert sparti.get(f"/beneficiaries/{beneficiary}").status_code == 404
    assert sparti.post(f"/beneficiaries/{beneficiary}/contacts", contact(0)).status_code == 404
    # its own network reads it at once, though no read model has seen it yet
    assert gateway.client("kalamata.head").get(f"/beneficiaries/{beneficiary}").status_code == 200


def test_withdrawing_consent_refuses_the_next_read(gateway):
    beneficiary, _ = shared_with_kalamata(gateway)
    kalamata = gateway.client("kalamata.worker")
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 200
    withdrawal = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 1,
        "recipient": "KK-KALAMATA",
        "withdrawn_on": TODAY,
    }
    answer = gateway.client("sparti.worker").post(
        f"/beneficiaries/{beneficiary}/consent-withdrawals", withdrawal
    )
    assert answer.status_code == 200, answer.text
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 404


def test_a_referral_that_ends_takes_its_access_with_it(gateway):
    beneficiary, referral = shared_with_kalamata(gateway)
    kalamata = gateway.client("kalamata.worker")
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 200
    withdrawn = gateway.client("sparti.worker").post(
        f"/referrals/{referral}/withdrawal",
        {
            "command_id": str(uuid.uuid4()),
            "expected_version": 1,
            "withdrawn_on": TODAY,
            "reason": "δεν χρειάζεται πια",
        },
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 404


def test_a_transfer_opens_the_file_to_the_receiving_centre_on_the_next_request(gateway):
    beneficiary = register_now(gateway, "sparti.worker", "KK-SPARTI")
    sparti, kalamata = gateway.client("sparti.worker"), gateway.client("kalamata.worker")
    assert sparti.post(f"/beneficiaries/{beneficiary}/contacts", contact(0)).status_code == 200
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 404
    transfer = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 1,
        "to_site": "KK-KALAMATA",
        "reason": "μετακόμισε",
        "transferred_on": TODAY,
    }
    answer = sparti.post(f"/beneficiaries/{beneficiary}/case-transfers", transfer)
    assert answer.status_code == 200, answer.text
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 200


def attempts(beneficiary: str, survivor: str) -> dict[str, tuple]:
    """Every route that takes a beneficiary id, as a head of centre of another network would try
    it: (method, path, body)."""
    return {
        "record": ("GET", f"/beneficiaries/{beneficiary}", None),
        "contact": ("POST", f"/beneficiaries/{beneficiary}/contacts", contact(0)),
        "consent": (
            "POST",
            f"/beneficiaries/{beneficiary}/consents",
            {
                "command_id": str(uuid.uuid4()),
                "expected_version": 0,
                "recipient": "KK-SPARTI",
                "purpose": "παραπομπή",
                "given_on": TODAY,
            },
        ),
        "merge": (
            "POST",
            f"/beneficiaries/{beneficiary}/merge",
            {"survivor_id": survivor, "reason": "το ίδιο πρόσωπο"},
        ),
        "merge into": (
            "POST",
            f"/beneficiaries/{survivor}/merge",
            {"survivor_id": beneficiary, "reason": "το ίδιο πρόσωπο"},
        ),
        "unmerge": ("POST", f"/beneficiaries/{beneficiary}/unmerge", {"reason": "λάθος"}),
        "referral": (
            "POST",
            "/referrals",
            {
                "command_id": str(uuid.uuid4()),
                "referral_id": str(uuid.uuid4()),
                "beneficiary_id": beneficiary,
                "expected_version": 0,
                "from_site": "KK-SPARTI",
                "need": "employment",
                "recipient_kind": "centre",
                "recipient_id": "KK-KALAMATA",
                "recipient_name": "Κέντρο Κοινότητας Καλαμάτας",
                "shares_personal_data": False,
                "requested_on": TODAY,
            },
        ),
    }


def test_an_unknown_id_and_another_networks_person_get_the_same_404_on_every_route(gateway):
    foreign = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    ours = register_now(gateway, "sparti.worker", "KK-SPARTI", given_name="Μαρία")
    head = gateway.client("sparti.head")
    for name in attempts(foreign, ours):
        answers = []
        for beneficiary in (foreign, NOBODY):
            method, path, body = attempts(beneficiary, ours)[name]
            answer = head.call(method, path, body)
            answers.append((answer.status_code, answer.json()))
        nobody = {"error": "Δεν βρέθηκε τέτοιος ωφελούμενος.", "code": "not_found"}
        assert answers[0] == answers[1] == (404, nobody), name
    synced = head.post("/sync", sync_batch(sync_item(foreign), sync_item(NOBODY))).json()
    first, second = ({k: v for k, v in r.items() if k != "command_id"} for r in synced["results"])
    assert first == second == {"status": "refused", **nobody}  # the API's 404, word for word
    # not even the glass opens an id that is no one's
    glass = {
        "reason": EMERGENCY_REASONS[0],
        "details": "κρίση στο γραφείο, χρειάζεται βοήθεια τώρα",
    }
    assert head.post(f"/beneficiaries/{NOBODY}/emergency-access", glass).status_code == 404


def test_each_refused_attempt_on_a_person_is_audited(gateway):
    foreign = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    ours = register_now(gateway, "sparti.worker", "KK-SPARTI", given_name="Μαρία")
    head = gateway.client("sparti.head")
    tried = attempts(foreign, ours)
    for method, path, body in tried.values():
        head.call(method, path, body)
    refused = [v for v in views(gateway, foreign) if v["refused"]]
    assert len(refused) == len(tried)
    assert all(
        (v["viewer"], v["site"], v["categories"]) == ("sparti.head", "KK-SPARTI", [])
        for v in refused
    )
    assert {v["reason"] for v in refused} >= {None, "record_contact", "merge", "unmerge"}


def test_a_role_refused_a_route_on_a_person_is_audited_for_that_person(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    worker = gateway.client("kalamata.worker")
    for route in ("subject-access", "access-report", "audit"):
        assert worker.get(f"/beneficiaries/{beneficiary}/{route}").status_code == 403
    reasons = [v["reason"] for v in views(gateway, beneficiary) if v["refused"]]
    assert reasons == [
        "GET /beneficiaries/<uuid:beneficiary_id>/subject-access",
        "GET /beneficiaries/<uuid:beneficiary_id>/access-report",
        "GET /beneficiaries/<uuid:beneficiary_id>/audit",
    ]


def test_the_record_page_of_an_unknown_id_and_of_another_networks_person_look_alike(gateway):
    foreign = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    session = requests.Session()
    token = gateway.client("sparti.head").token
    session.cookies.set("kentra_token", token)
    pages = []
    for beneficiary in (foreign, NOBODY):
        page = session.get(f"{gateway.base}/beneficiaries/{beneficiary}", timeout=30)
        pages.append((page.status_code, page.text.replace(beneficiary, "ID")))
    assert pages[0] == pages[1] and pages[0][0] == 404


def test_a_command_for_an_unknown_id_is_refused_and_starts_no_case(gateway):
    sparti = gateway.client("sparti.worker")
    answer = sparti.post(f"/beneficiaries/{NOBODY}/contacts", contact(0))
    assert answer.status_code == 404
    assert case_version(gateway, NOBODY) == 0


def sync_item(beneficiary: str, base_version: int = 0) -> dict:
    fields = contact(0)
    del fields["command_id"], fields["expected_version"]
    return offline_item("contacts", beneficiary, base_version, fields)


def sync_batch(*commands: dict) -> dict:
    return {"trip_id": str(uuid.uuid4()), "commands": list(commands)}


def test_sync_for_another_networks_person_or_an_unknown_id_is_refused_without_their_history(
    gateway,
):
    foreign = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    worker = gateway.client("kalamata.worker")
    visit = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": TODAY,
        "channel": "centre",
        "site": "KK-KALAMATA",
        "municipality_code": "9256",
        "staff_id": "kalamata.worker",
        "notes": "σημείωση που δεν βγαίνει από το δίκτυο",
    }
    assert worker.post(f"/beneficiaries/{foreign}/contacts", visit).status_code == 200
    results = (
        gateway.client("sparti.worker")
        .post("/sync", sync_batch(sync_item(foreign), sync_item(NOBODY)))
        .json()["results"]
    )
    assert [(r["status"], r["code"]) for r in results] == [("refused", "not_found")] * 2
    assert "current" not in str(results)
    assert case_version(gateway, NOBODY) == 0


def test_a_municipal_key_publishes_only_for_people_its_network_knows(gateway):
    ours = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    theirs = register_now(gateway, "sparti.worker", "KK-SPARTI")
    key = gateway.publishers.add_api_key("dimos-kalamatas", "KK-KALAMATA")

    event = municipal_event

    posted = [event(ours), event(theirs), event(NOBODY), event(ours, occurred_at="not-a-date")]
    results = (
        gateway.client()
        .post("/ingest/events", {"events": posted}, headers={"X-API-Key": key})
        .json()["results"]
    )
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected"]
    assert results[1]["reasons"] == results[2]["reasons"]  # unknown and foreign alike
    assert results[3]["reasons"] == ["occurred_at: a date and time with its offset (ISO 8601)"]
    assert case_version(gateway, NOBODY) == 0
    assert case_version(gateway, theirs) == 0
    # the person's case goes on: nothing unparseable was stored on it
    later = (
        gateway.client()
        .post("/ingest/events", {"events": [event(ours)]}, headers={"X-API-Key": key})
        .json()["results"]
    )
    assert later[0]["status"] == "accepted" and later[0]["version"] == 2


def test_a_bad_occurred_at_is_refused_by_the_service_itself(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    fields = contact(0, site="KK-KALAMATA", municipality_code="9256")
    context = {"actor": "someone", "site": "KK-KALAMATA", "occurred_at": "not-a-date"}
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        with pytest.raises(CommandRejected) as refused:
            cluster.intake.record_contact({**fields, "beneficiary_id": beneficiary}, context)
    assert refused.value.code == "invalid" and "occurred_at" in refused.value.details


# --- point 2: every personal read audited -----------------------------------------------------------


def test_search_results_are_audited_per_person_shown(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    found = gateway.client("kalamata.head").search("Σταθοπούλου").json()
    assert [r["beneficiary_id"] for r in found["results"]] == [beneficiary]
    nobody = gateway.client("sparti.head").search("Σταθοπούλου").json()
    assert (nobody["results"], nobody["count"]) == ([], 0)  # another network's person, not counted
    (view,) = views(gateway, beneficiary)
    assert {k: view[k] for k in ("viewer", "role", "site", "purpose", "categories")} == {
        "viewer": "kalamata.head",
        "role": "head_of_centre",
        "site": "KK-KALAMATA",
        "purpose": "search",
        "categories": ["identity"],
    }


def test_a_refused_view_is_audited_and_an_unknown_id_the_same_way(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    gateway.client("sparti.worker").get(f"/beneficiaries/{beneficiary}")
    gateway.client("sparti.worker").get(f"/beneficiaries/{NOBODY}")
    for person in (beneficiary, NOBODY):
        (view,) = views(gateway, person)
        assert (view["viewer"], view["site"], view["purpose"], view["refused"]) == (
            "sparti.worker",
            "KK-SPARTI",
            "record",
            True,
        )
        assert view["categories"] == []


def test_a_sync_conflict_reply_is_audited(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    head = gateway.client("kalamata.head")
    visit = contact(0, site="KK-KALAMATA", municipality_code="9256", staff_id="kalamata.head")
    assert head.post(f"/beneficiaries/{beneficiary}/contacts", visit).status_code == 200
    item = sync_item(beneficiary)
    item["fields"].update(
        site="MU-KALAMATA",
        channel="home_visit",
        municipality_code="9256",
        staff_id="kalamata.worker",
    )
    (result,) = gateway.client("kalamata.worker").post("/sync", sync_batch(item)).json()["results"]
    assert result["status"] == "conflict" and result["current"]
    (view,) = views(gateway, beneficiary)
    assert (view["viewer"], view["role"], view["purpose"], view["refused"]) == (
        "kalamata.worker",
        "case_worker",
        "sync_conflict",
        False,
    )


def test_the_dpos_own_reading_of_the_audit_is_audited(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    dpo = gateway.client("dpo")
    dpo.get(f"/beneficiaries/{beneficiary}/audit")
    found = dpo.get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    assert [(v["viewer"], v["role"], v["purpose"]) for v in found] == [("dpo", "dpo", "audit")] * 2


def test_reading_a_refused_municipal_events_body_is_audited_and_the_list_reads_no_one(gateway):
    beneficiary = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    key = gateway.publishers.add_api_key("dimos-kalamatas", "KK-KALAMATA")
    bad = {
        "event_id": str(uuid.uuid4()),
        "type": "ServiceDelivered",
        "schema_version": 1,
        "data": {
            "beneficiary_id": beneficiary,
            "occurred_on": TODAY,
            "service": "teleportation",
            "site": "KK-KALAMATA",
            "staff_id": "dimos.kalamatas",
            "notes": "προσωπική σημείωση",
        },
    }
    gateway.client().post("/ingest/events", {"events": [bad]}, headers={"X-API-Key": key})
    (listed,) = gateway.client("ops").get("/ingest/rejected").json()["rejected"]
    assert gateway.client("dpo").get(f"/ingest/rejected/{listed['id']}").status_code == 200
    (view,) = views(gateway, beneficiary)  # the DPO's; the list (no body, no one named) is none
    assert (view["viewer"], view["role"], view["purpose"]) == ("dpo", "dpo", "ingest_rejected")


# --- identity look-ups: another centre's ids and existence are never told ---------------------------


def registration(site: str, amka: str, **person) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "given_name": "Ελένη",
        "family_name": "Σταθοπούλου",
        "birth_date": "1975-06-15",
        "municipality_code": "9256",
        "site": site,
        "amka": amka,
        **person,
    }


def shape(answer) -> tuple:
    """What a registration's answer is made of, its ids and timestamps aside."""
    body = answer.json()
    return (
        answer.status_code,
        sorted(body),
        {k: body[k] for k in ("version", "duplicate", "found_existing", "warnings")},
        len(body["possible_duplicates"]),
        [(sorted(e), e["type"]) for e in body["events"]],
    )


def test_a_second_centre_registering_a_known_amka_gets_what_a_new_registration_gets(gateway):
    theirs = register_now(gateway, "sparti.worker", "KK-SPARTI", amka="01013099997")
    kalamata = gateway.client("kalamata.worker")
    someone_else = {"given_name": "Νίκη", "family_name": "Αλεξίου"}
    fresh = kalamata.post(
        "/beneficiaries", registration("MU-KALAMATA", "02029012347", **someone_else)
    )
    known = kalamata.post("/beneficiaries", registration("MU-KALAMATA", "01013099997"))
    assert fresh.status_code == 201, fresh.text
    assert shape(known) == shape(fresh)
    assert known.json()["found_existing"] is False
    assert theirs not in known.text and "SPARTI" not in known.text


def test_the_record_a_second_centre_gets_shows_none_of_the_first_centres_file(gateway):
    theirs = register_now(gateway, "sparti.worker", "KK-SPARTI", amka="01013099997")
    sparti = gateway.client("sparti.worker")
    notes = {"notes": "σημείωση της Σπάρτης μόνο"}
    assert sparti.post(f"/beneficiaries/{theirs}/contacts", contact(0, **notes)).status_code == 200
    kalamata = gateway.client("kalamata.worker")
    answer = kalamata.post(
        "/beneficiaries", registration("MU-KALAMATA", "01013099997", given_name="Έλενα")
    )
    ours = answer.json()["stream"].split("-", 1)[1]
    assert ours != theirs
    gateway.catch_up()  # the timeline too: nothing of Sparti's reaches Kalamata's record
    record = kalamata.get(f"/beneficiaries/{ours}").json()
    assert record["records"] == [ours] and record["registered"]["given_name"] == "Έλενα"
    assert "Σπάρτης" not in str(record) and theirs not in str(record)
    assert record["case"]["version"] == 0 and record["referrals"] == []
    assert kalamata.get(f"/beneficiaries/{theirs}").status_code == 404
    # the AMKA finds, for each centre, its own record only
    for worker, expected in (("kalamata.worker", ours), ("sparti.worker", theirs)):
        found = gateway.client(worker).search("01013099997").json()["results"]
        assert [r["beneficiary_id"] for r in found] == [expected], worker
    # and Sparti's file keeps its own identity
    kept = sparti.get(f"/beneficiaries/{theirs}").json()
    assert kept["registered"]["given_name"] == "Ελένη" and ours not in str(kept)


def test_the_dpo_sees_the_link_and_the_identity_typed_otherwise(gateway):
    theirs = register_now(gateway, "sparti.worker", "KK-SPARTI", amka="01013099997")
    answer = gateway.client("kalamata.worker").post(
        "/beneficiaries", registration("MU-KALAMATA", "01013099997", given_name="Έλενα")
    )
    ours = answer.json()["stream"].split("-", 1)[1]
    dpo = gateway.client("dpo")
    assert gateway.client("kalamata.head").get("/identity-reviews").status_code == 403
    reviews = dpo.get("/identity-reviews").json()
    assert reviews["site_records"] == [
        {
            "beneficiary_id": ours,
            "linked_to": theirs,
            "site": "MU-KALAMATA",
            "differs": ["name", "name+birth"],
        }
    ]
    exported = dpo.get(f"/beneficiaries/{theirs}/subject-access").json()
    assert exported["records"] == [theirs, ours]
    assert views(gateway, ours)[0]["purpose"] == "audit"  # the review list read is audited


def test_registering_the_number_again_in_the_same_network_finds_its_record(gateway):
    theirs = register_now(gateway, "sparti.worker", "KK-SPARTI", amka="01013099997")
    again = gateway.client("sparti.head").post(
        "/beneficiaries", registration("KK-SPARTI", "01013099997")
    )
    assert again.status_code == 201 and again.json()["found_existing"]
    assert again.json()["stream"] == f"beneficiary-{theirs}"
    # a second centre's record, once made, is what that centre finds next time
    kalamata = gateway.client("kalamata.worker")
    first = kalamata.post("/beneficiaries", registration("MU-KALAMATA", "01013099997")).json()
    second = kalamata.post("/beneficiaries", registration("KK-KALAMATA", "01013099997")).json()
    assert (
        second["found_existing"] and second["stream"] == first["stream"] != again.json()["stream"]
    )


def test_a_name_and_birth_date_warn_only_of_people_your_network_may_see(gateway):
    theirs = register_now(gateway, "sparti.worker", "KK-SPARTI")
    ours = register_now(gateway, "kalamata.worker", "MU-KALAMATA")
    body = {
        "command_id": str(uuid.uuid4()),
        "given_name": "Ελένη",
        "family_name": "Σταθοπούλου",
        "birth_date": "1975-06-15",
        "municipality_code": "9256",
        "site": "KK-KALAMATA",
    }
    answer = gateway.client("kalamata.head").post("/beneficiaries", body).json()
    assert [d["beneficiary_id"] for d in answer["possible_duplicates"]] == [ours]
    assert theirs not in str(answer)
    # the pairs across networks go to the DPO's review, not to the worker
    new = answer["stream"].split("-", 1)[1]
    pairs = gateway.client("dpo").get("/identity-reviews").json()["possible_duplicates"]
    assert sorted(sorted(p["records"]) for p in pairs) == sorted(
        [sorted([theirs, ours]), sorted([theirs, new])]
    )
