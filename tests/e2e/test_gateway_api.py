"""The staff API over HTTP against the running platform: success and failure paths, the
authorisation matrix, the audit of reads and municipal publishers (the mobile unit's sync:
test_sync_contract.py)."""

from __future__ import annotations

import uuid

from openapi_spec_validator import validate

from tests.e2e.gateway_platform import DYPA_KALAMATA, USERS, municipal_event, referral_to_dypa
from tests.support.clock import today_in_greece
from tests.unit.test_hsds_standard import standard_package

TODAY = today_in_greece().isoformat()


def contact(version: int, **more) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "expected_version": version,
        "occurred_on": TODAY,
        "channel": "mobile_unit_visit",
        "site": "MU-KALAMATA",
        "municipality_code": "9256",
        "staff_id": "kalamata.worker",
        **more,
    }


def assessed(gateway, beneficiary: str) -> None:
    answer = gateway.client("kalamata.worker").post(
        f"/beneficiaries/{beneficiary}/assessments",
        {
            "command_id": str(uuid.uuid4()),
            "expected_version": 0,
            "assessed_on": TODAY,
            "groups": ["roma"],
            "needs": ["εργασία"],
            "household_size": 4,
            "labour_status": "long_term_unemployed",
            "education": "0-2",
            "disability": False,
            "citizenship": "GR",
            "foreign_background": False,
            "housing": "ενοίκιο",
            "rural": True,
        },
    )
    assert answer.status_code == 200, answer.text
    gateway.catch_up()


# --- authentication ---------------------------------------------------------------------------


def test_a_wrong_password_a_missing_token_and_a_forged_one_are_401(gateway):
    client = gateway.client()
    assert client.post("/auth/token", {"username": "dpo", "password": "λάθος"}).status_code == 401
    assert client.post("/auth/token", {"username": "nobody", "password": "x"}).status_code == 401
    assert client.get("/network").status_code == 401
    client.token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkcG8ifQ.forged"
    answer = client.get("/network")
    assert answer.status_code == 401 and "token" in answer.json()["error"]


def test_a_login_gives_a_token_that_opens_the_api(gateway):
    assert gateway.client("kalamata.worker").get("/network").json()["region"]["code"] == "EL65"


# --- bad input is a 4xx naming the field -------------------------------------------------------


def test_bad_input_is_a_clear_4xx(gateway):
    worker = gateway.client("kalamata.worker")
    answer = worker.post(
        "/beneficiaries", raw=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400 and "JSON" in answer.json()["error"]
    answer = worker.post(
        "/beneficiaries",
        {
            "command_id": str(uuid.uuid4()),
            "given_name": "Α",
            "family_name": "Β",
            "municipality_code": "9256",
            "site": "MU-KALAMATA",
            "amka": "01013099998",
        },
    )
    assert answer.status_code == 422 and "amka" in answer.json()["details"]
    assert worker.get("/nowhere").status_code == 404
    # an id that is no one's and another network's person get the same 404 (the same body too)
    assert worker.get(f"/beneficiaries/{uuid.uuid4()}").status_code == 404


def test_staff_register_only_for_their_own_network(gateway):
    answer = gateway.client("kalamata.worker").post(
        "/beneficiaries",
        {
            "command_id": str(uuid.uuid4()),
            "given_name": "Α",
            "family_name": "Β",
            "municipality_code": "9252",
            "site": "KK-SPARTI",
        },
    )
    assert answer.status_code == 403


# --- the record: authorised by role and site, audited ------------------------------------------


def test_the_authorisation_matrix_for_a_beneficiarys_record(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    assessed(gateway, beneficiary)
    expected = {
        "kalamata.worker": (200, True),
        "kalamata.head": (200, False),
        "sparti.worker": (404, None),
        "sparti.head": (404, None),
        "dypa.officer": (404, None),
        "coordinator": (404, None),
        "dpo": (404, None),
        "ops": (404, None),
    }
    for username, (status, special) in expected.items():
        answer = gateway.client(username).get(f"/beneficiaries/{beneficiary}")
        assert answer.status_code == status, username
        if status == 200:
            assert (answer.json()["assessment"] is not None) == special, username
            assert answer.json()["registered"]["family_name"] == "Παπαδόπουλος"
    views = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    assert [(v["viewer"], "special_category" in v["categories"], v["refused"]) for v in views] == [
        ("kalamata.worker", True, False),
        ("kalamata.head", False, False),
        *((username, False, True) for username, (status, _) in expected.items() if status == 404),
        ("dpo", False, False),  # the DPO's own reading of the audit
    ]


def test_a_head_of_centre_breaks_the_glass_by_a_grant_and_the_audit_flags_it(gateway):
    """The whole rule is tests/e2e/test_emergency_access.py; here, the audit's side of it."""
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    sparti = gateway.client("sparti.head")
    why = {"reason": "arrived_without_file", "details": "ήρθε στη Σπάρτη σε κρίση, χωρίς ΑΜΚΑ"}
    assert sparti.post(f"/beneficiaries/{beneficiary}/emergency-access", why).status_code == 201
    answer = sparti.get(f"/beneficiaries/{beneficiary}")
    assert answer.status_code == 200 and answer.json()["break_glass"]
    views = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    view = views[0]  # the DPO's own reading of the audit comes after it
    assert view["break_glass"] and view["reason"] == "arrived_without_file"
    assert view["site"] == "KK-SPARTI" and not view["refused"]
    assert views[-1]["viewer"] == "dpo"
    # a reason in the link opens nothing: without a grant another head is refused, and audited
    other = gateway.client("sparti.worker").get(f"/beneficiaries/{beneficiary}", reason="x")
    assert other.status_code == 404


def test_search_shows_only_your_network_and_each_person_shown_is_audited(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    found = gateway.client("kalamata.head").search("georgios papadopoulos").json()["results"]
    assert [f["beneficiary_id"] for f in found] == [beneficiary]
    assert gateway.client("sparti.worker").search("Παπαδόπουλος").json()["results"] == []
    assert gateway.client("coordinator").search("Παπαδόπουλος").status_code == 403
    views = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    assert [(v["viewer"], v["purpose"]) for v in views] == [
        ("kalamata.head", "search"),
        ("dpo", "audit"),
    ]


def test_the_dpo_erases_and_nobody_else_may(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    assert (
        gateway.client("kalamata.head")
        .post(f"/beneficiaries/{beneficiary}/erasure", {"reason": "αίτημα"})
        .status_code
        == 403
    )
    assert (
        gateway.client("dpo")
        .post(f"/beneficiaries/{beneficiary}/erasure", {"reason": "αίτημα"})
        .status_code
        == 200
    )
    record = gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}").json()
    assert record["erased"] and "family_name" not in record["registered"]


# --- the case ---------------------------------------------------------------------------------


def test_a_case_command_a_stale_version_and_another_networks_person(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker = gateway.client("kalamata.worker")
    assert worker.post(f"/beneficiaries/{beneficiary}/contacts", contact(0)).status_code == 200
    stale = worker.post(f"/beneficiaries/{beneficiary}/contacts", contact(0))
    assert stale.status_code == 409 and stale.json()["details"]["current_version"] == 1
    outside = worker.post(
        f"/beneficiaries/{beneficiary}/contacts", contact(1, municipality_code="9252")
    )
    assert outside.status_code == 422 and outside.json()["code"] == "rule_violated"
    gateway.catch_up()
    other = gateway.client("sparti.worker").post(
        f"/beneficiaries/{beneficiary}/contacts",
        contact(1, site="KK-SPARTI", channel="centre", municipality_code="9252"),
    )
    assert other.status_code == 404
    timeline = worker.get(f"/beneficiaries/{beneficiary}").json()["timeline"]
    assert [(s["type"], s["site"], s["actor"]) for s in timeline] == [
        ("BeneficiaryRegistered", "MU-KALAMATA", "kalamata.worker"),
        ("ContactRecorded", "MU-KALAMATA", "kalamata.worker"),
    ]


# --- referrals ----------------------------------------------------------------------------------


def test_a_referral_is_answered_only_by_its_recipient_and_a_forbidden_step_is_409(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker, officer = gateway.client("kalamata.worker"), gateway.client("dypa.officer")
    (office,) = worker.get("/referrals/proposals", need="employment", municipality="9256").json()[
        "proposals"
    ]
    assert office["recipient_id"] == DYPA_KALAMATA
    referral = str(uuid.uuid4())
    answer = worker.post(
        "/referrals",
        referral_to_dypa(beneficiary, referral, recipient_name=office["name"]),
    )
    assert answer.status_code == 201, answer.text

    def step(client, name, version, **fields):
        return client.post(
            f"/referrals/{referral}/{name}",
            {"command_id": str(uuid.uuid4()), "expected_version": version, **fields},
        )

    assert step(officer, "sending", 1, sent_on=TODAY).status_code == 403  # the sender's step
    assert step(worker, "sending", 1, sent_on=TODAY).status_code == 200
    assert [r["referral_id"] for r in officer.get("/referrals/inbox").json()["referrals"]] == [
        referral
    ]
    assert gateway.client("sparti.worker").get("/referrals/inbox").json()["referrals"] == []
    assert (
        step(worker, "acceptance", 2, accepted_on=TODAY).status_code == 403
    )  # the recipient's step
    early = step(officer, "acceptance", 2, accepted_on=TODAY)
    assert early.status_code == 409 and early.json()["details"]["current_state"] == "sent"
    assert step(officer, "receipt", 2, received_on=TODAY).status_code == 200
    no_reason = step(officer, "rejection", 3, rejected_on=TODAY, reason="")
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["details"]
    assert step(officer, "acceptance", 3, accepted_on=TODAY).status_code == 200
    assert (
        step(officer, "completion", 4, completed_on=TODAY, outcome="service_given").status_code
        == 200
    )
    coordinator = gateway.client("coordinator")
    assert (
        coordinator.get("/referrals/proposals", need="food", municipality="9254").status_code == 200
    )


# --- mobile unit sync: tests/e2e/test_sync_contract.py ------------------------------------------


# --- municipal publishers -----------------------------------------------------------------------


def test_a_municipal_system_publishes_valid_events_once_and_refused_ones_are_kept_for_ops(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    key = gateway.publishers.add_api_key("dimos-kalamatas", "KK-KALAMATA")
    client = gateway.client()
    event = municipal_event(beneficiary)
    bad = {
        **event,
        "event_id": str(uuid.uuid4()),
        "data": {**event["data"], "service": "teleportation"},
    }
    foreign = {
        **event,
        "event_id": str(uuid.uuid4()),
        "data": {**event["data"], "site": "KK-SPARTI"},
    }
    results = client.post(
        "/ingest/events", {"events": [event, bad, foreign, "junk"]}, headers={"X-API-Key": key}
    ).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected"]
    assert (
        "data/service" in results[1]["reasons"][0]
        and "KK-KALAMATA only" in results[2]["reasons"][0]
    )
    again = client.post("/ingest/events", {"events": [event]}, headers={"X-API-Key": key}).json()[
        "results"
    ]
    assert again[0]["status"] == "duplicate"
    assert (
        client.post(
            "/ingest/events", {"events": [event]}, headers={"X-API-Key": "wrong"}
        ).status_code
        == 401
    )
    rejected = gateway.client("ops").get("/ingest/rejected").json()["rejected"]
    assert [r["digest"] for r in reversed(rejected)] == [r["digest"] for r in results[1:]]
    assert rejected[-1]["type"] == "ServiceDelivered" and "teleportation" not in str(rejected)
    assert gateway.client("kalamata.worker").get("/ingest/rejected").status_code == 403


# --- aggregates and the registries -----------------------------------------------------------------


def test_aggregates_are_for_heads_of_their_site_and_the_coordinator_with_small_cells_suppressed(
    gateway,
):
    gateway.register("kalamata.worker", "MU-KALAMATA")
    gateway.catch_up()
    assert (
        gateway.client("kalamata.head").get("/sites/MU-KALAMATA/daily-register").status_code == 200
    )
    assert gateway.client("kalamata.head").get("/sites/KK-SPARTI/daily-register").status_code == 403
    assert gateway.client("kalamata.worker").get("/overview").status_code == 403
    overview = gateway.client("coordinator").get("/overview").json()  # the latest released month
    shown = [n for n in overview["new_beneficiaries_by_site"].values() if n != "c"]
    assert "MU-KALAMATA" in overview["new_beneficiaries_by_site"] and min(shown, default=5) >= 5
    site = gateway.client("coordinator").get("/sites/MU-KALAMATA/daily-register").json()
    assert site["released"]["period"] == overview["period"] and "days" not in site
    assert gateway.client("kalamata.worker").post("/agencies", {}).status_code == 403
    files = gateway.client("coordinator").get("/directory/hsds").json()["files"]
    assert (
        gateway.client("coordinator").post("/directory/hsds", {"files": files}).json()["unchanged"]
        == 11
    )


def test_an_hsds_import_tells_the_coordinator_what_it_kept_unused_in_greek_by_default(gateway):
    package = {"files": standard_package()}
    coordinator = gateway.client("coordinator")
    notices = coordinator.post("/directory/hsds", package).json()["notices"]
    unlinked = next(n for n in notices if n["code"] == "hsds_row_unlinked")
    assert unlinked["message"].startswith("Η γραμμή δεν ανήκει") and unlinked["file"]
    english = coordinator.call(
        "POST", "/directory/hsds", package, headers={"Accept-Language": "en"}
    )
    assert any(n["message"].startswith("The row belongs") for n in english.json()["notices"])


def test_every_role_logs_in(gateway):
    for username in USERS:
        assert gateway.client(username).token


# --- the OpenAPI document ---------------------------------------------------------------------------


def test_the_openapi_document_is_served_at_a_fixed_url_and_is_valid(gateway):
    document = gateway.client().get("/openapi.json").json()
    validate(document)
    assert "/beneficiaries/{beneficiary_id}/contacts" in document["paths"]
    body = document["paths"]["/referrals"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert body["$ref"].endswith("RequestReferral_by_consent_recipient")


# --- the authorisation matrix: each role x each kind of record --------------------------------------

ROLES = [
    "kalamata.worker",
    "kalamata.head",
    "sparti.worker",
    "sparti.head",
    "dypa.officer",
    "coordinator",
    "dpo",
    "ops",
]
# kind -> the status each role above gets: 403 a role that may never do it (whoever the person),
# 404 a person the caller may not see (as an id that is no one's)
MATRIX = {
    "beneficiary record": [200, 200, 404, 404, 404, 404, 404, 404],
    "special-category fields": [200, 403, 403, 403, 403, 403, 403, 403],
    "record a contact": [200, 200, 404, 404, 403, 403, 403, 403],
    "referral inbox": [200, 200, 200, 200, 200, 403, 403, 403],
    "regional overview": [403, 403, 403, 403, 403, 200, 403, 403],
    "daily register of MU-KALAMATA": [403, 200, 403, 403, 403, 200, 403, 403],
    "audit of a record": [403, 403, 403, 403, 403, 403, 200, 403],
    "erasure": [403, 403, 403, 403, 403, 403, 200, 403],
    "agencies registry (write)": [403, 403, 403, 403, 403, 200, 403, 403],
    "refused municipal events": [403, 403, 403, 403, 403, 200, 403, 200],
}


def test_each_role_against_each_kind_of_record(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    assessed(gateway, beneficiary)
    agency = gateway.client("coordinator").get("/agencies").json()["agencies"][0]
    agency.pop("agency_type")

    def attempt(kind: str, client, version: list[int]):
        if kind == "beneficiary record":
            return client.get(f"/beneficiaries/{beneficiary}").status_code
        if kind == "special-category fields":
            answer = client.get(f"/beneficiaries/{beneficiary}")
            return 200 if answer.status_code == 200 and answer.json()["assessment"] else 403
        if kind == "record a contact":
            answer = client.post(
                f"/beneficiaries/{beneficiary}/contacts",
                contact(version[0], site=client.site, channel="centre"),
            )
            version[0] += answer.status_code == 200
            return answer.status_code
        if kind == "referral inbox":
            return client.get("/referrals/inbox").status_code
        if kind == "regional overview":
            return client.get("/overview").status_code
        if kind == "daily register of MU-KALAMATA":
            return client.get("/sites/MU-KALAMATA/daily-register").status_code
        if kind == "audit of a record":
            return client.get(f"/beneficiaries/{beneficiary}/audit").status_code
        if kind == "erasure":  # last: the DPO's erasure goes through
            return client.post(
                f"/beneficiaries/{beneficiary}/erasure", {"reason": "αίτημα του ίδιου"}
            ).status_code
        if kind == "agencies registry (write)":
            return client.post(
                "/agencies",
                {**agency, "command_id": str(uuid.uuid4()), "agency_type": "employment_service"},
            ).status_code
        return client.get("/ingest/rejected").status_code

    version = [1]
    found = {}
    for kind in MATRIX:
        row = []
        for username in ROLES:
            client = gateway.client(username)
            client.site = USERS[username][1] or "KK-REGION"
            row.append(attempt(kind, client, version))
        found[kind] = row
    assert found == MATRIX


def test_a_token_forged_with_any_secret_but_the_installations_is_refused(gateway):
    import time

    import jwt

    from tests.e2e.gateway_platform import Client

    claims = {"sub": "nobody", "role": "dpo", "exp": int(time.time()) + 3600}
    for secret in (b"kentra-development-token-secret-never-in-production", b"x" * 32):
        forged = Client(gateway.base, jwt.encode(claims, secret, algorithm="HS256"))
        assert forged.get(f"/beneficiaries/{uuid.uuid4()}/audit").status_code == 401
    genuine = gateway.client("dpo")
    assert genuine.get(f"/beneficiaries/{uuid.uuid4()}/audit").status_code == 200


def test_readiness_and_liveness_both_answer_while_every_dependency_is_up(gateway):
    import requests

    ready = requests.get(f"{gateway.base}/health", timeout=30)
    assert (ready.status_code, ready.json()) == (200, {"status": "ok"})
    live = requests.get(f"{gateway.base}/health/live", timeout=30)
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
