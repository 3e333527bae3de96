"""The routes behind the roles' home pages and the DPO's and ops' pages, through the API: who may
call each, what each answers (checked against the OpenAPI document), and that the DPO's reads of
a person are audited."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.test_browser_roles import TODAY, refused_by_reporting
from tests.support import openapi


@pytest.fixture(autouse=True)
def every_answer_matches_the_openapi_document(gateway):
    yield
    document = gateway.client().get("/openapi.json").json()
    assert [p for r in gateway.responses for p in openapi.problems(document, r)] == []


def test_ops_list_discard_and_retry_the_read_models_dead_letters(gateway):
    gateway.register("kalamata.worker", "MU-KALAMATA")
    refused_by_reporting(gateway)
    refused_by_reporting(gateway)
    ops = gateway.client("ops")
    letters = ops.get("/operations/dead-letters").json()["dead_letters"]
    assert [(d["consumer"], d["source"], d["stream"]) for d in letters] == [
        ("reporting", "registries", None)
    ] * 2
    assert all("event" not in d for d in letters)  # where it sits and why, never its body
    for role in ("coordinator", "dpo", "kalamata.head"):
        assert gateway.client(role).get("/operations/dead-letters").status_code == 403
        assert (
            gateway.client(role).post("/operations/dead-letters/reporting/retry").status_code == 403
        )

    first, second = (d["id"] for d in letters)
    blank = ops.post(f"/operations/dead-letters/reporting/{first}/discard", {"reason": "   "})
    assert blank.status_code == 422 and blank.json()["error"] == "Γράψτε γιατί κλείνει το μήνυμα."
    assert (
        ops.post(
            "/operations/dead-letters/reporting/999999/discard", {"reason": "δοκιμή"}
        ).status_code
        == 404
    )
    assert ops.post("/operations/dead-letters/nowhere/retry").status_code == 404
    done = ops.post(f"/operations/dead-letters/reporting/{first}/discard", {"reason": "πλαστό"})
    assert done.status_code == 200 and done.json() == {"consumer": "reporting", "id": first}

    retried = ops.post("/operations/dead-letters/reporting/retry").json()
    assert retried == {"consumer": "reporting", "resolved": 1, "still_open": 0}
    assert ops.get("/operations/dead-letters").json()["dead_letters"] == []
    assert second != first


def test_ops_run_the_consistency_check_of_each_read_model(gateway):
    gateway.register("kalamata.worker", "MU-KALAMATA")
    found = gateway.client("ops").get("/operations/consistency").json()["read_models"]
    assert [(m["consumer"], m["consistent"]) for m in found] == [
        ("timeline", True),
        ("reporting", True),
    ]
    gateway.register_only("kalamata.worker", "MU-KALAMATA")  # no consumer has it yet
    behind = gateway.client("ops").get("/operations/consistency").json()["read_models"]
    assert {d["problem"] for m in behind for d in m["differences"]} == {"missing"}


def test_the_dpo_names_a_record_audited_and_sees_its_erasure_listed(gateway):
    person = gateway.register("kalamata.worker", "MU-KALAMATA", family_name="Ελεγχόπουλος")
    dpo = gateway.client("dpo")
    assert (
        gateway.client("kalamata.worker").get(f"/beneficiaries/{person}/identity").status_code
        == 403
    )
    found = dpo.get(f"/beneficiaries/{person}/identity").json()
    assert (found["family_name"], found["sites"], found["erased"]) == (
        "Ελεγχόπουλος",
        ["MU-KALAMATA"],
        False,
    )
    report = dpo.get(f"/beneficiaries/{person}/access-report").json()["entries"]
    assert ["identity"] in [e["categories"] for e in report if e["who"] == "dpo"]
    counts = dpo.get("/identity-reviews/counts").json()
    assert set(counts) == {"site_records", "possible_duplicates"}

    found = dpo.post("/data-protection/search", {"q": "Ελεγχόπουλος"}).json()["results"]
    assert [r["beneficiary_id"] for r in found] == [person]
    assert (
        gateway.client("kalamata.worker").post("/data-protection/search", {"q": "x"}).status_code
        == 403
    )
    assert dpo.post(f"/beneficiaries/{person}/erasure", {"reason": "αίτημα"}).status_code == 200
    assert dpo.post("/data-protection/search", {"q": "Ελεγχόπουλος"}).json()["results"] == []
    gateway.catch_up()
    erasures = dpo.get("/erasures").json()["erasures"]
    assert [(e["beneficiary_id"], e["by"]) for e in erasures] == [(person, "dpo")]
    assert gateway.client("ops").get("/erasures").status_code == 403


def test_a_case_worker_day_names_only_people_of_their_network(gateway):
    person = gateway.register("kalamata.worker", "MU-KALAMATA", family_name="Ημερόπουλος")
    contact = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": TODAY,
        "channel": "centre",
        "site": "MU-KALAMATA",
        "municipality_code": "9256",
        "staff_id": "kalamata.social1",
    }
    worker = gateway.client("kalamata.worker")
    assert worker.post(f"/beneficiaries/{person}/contacts", contact).status_code == 200
    plan = str(uuid.uuid4())
    steps = [
        ("action-plans", {"plan_id": plan, "opened_on": TODAY, "goals": "εργασία"}),
        (
            "action-steps",
            {"plan_id": plan, "step_id": "s1", "description": "ΔΥΠΑ", "due_on": TODAY},
        ),
        ("action-steps", {"plan_id": plan, "step_id": "s2", "description": "ΚΕΠ", "due_on": TODAY}),
        ("action-steps-done", {"plan_id": plan, "step_id": "s2", "done_on": TODAY}),
    ]
    for version, (path, fields) in enumerate(steps, start=1):
        body = {"command_id": str(uuid.uuid4()), "expected_version": version, **fields}
        answer = worker.post(f"/beneficiaries/{person}/{path}", body)  # at the worker's site
        assert answer.status_code == 200, answer.text
    gateway.catch_up()
    mine = worker.get("/my-day").json()
    assert [c["family_name"] for c in mine["contacts_today"]] == ["Ημερόπουλος"]
    # the step done is no longer due; the open one is, named
    assert [(s["step_id"], s["family_name"]) for s in mine["steps_due"]] == [("s1", "Ημερόπουλος")]
    assert gateway.client("sparti.worker").get("/my-day").json()["contacts_today"] == []
    assert gateway.client("dpo").get("/my-day").status_code == 403


def test_the_dpo_and_ops_pages_refuse_bad_input_in_greek_and_other_roles(gateway):
    from tests.e2e.test_web_portal import browser

    dpo, ops, worker = (browser(gateway, u) for u in ("dpo", "ops", "kalamata.worker"))
    base, nobody = gateway.base, str(uuid.uuid4())
    for path in (
        "/audit?beneficiary=not-an-id",
        f"/audit?beneficiary={nobody}",
        f"/erasure?beneficiary={nobody}",
    ):
        page = dpo.get(f"{base}{path}")
        assert page.status_code == 404 and "Δεν βρέθηκε" in page.text, path
    posted = dpo.post(f"{base}/erasure/{nobody}", data={"reason": "x", "confirm": "x"})
    assert posted.status_code == 404
    for path in ("/audit", "/erasure", "/operations/dead-letters", "/operations/consistency"):
        assert dpo.get(f"{base}{path}").status_code == (200 if "operations" not in path else 403), (
            path
        )
    assert ops.get(f"{base}/audit?beneficiary={nobody}").status_code == 403
    assert worker.get(f"{base}/operations/dead-letters").status_code == 403
    english = ops.get(f"{base}/operations/dead-letters", params={"lang": "en"}).text
    assert "Dead letters" in english and "No dead letters." in english
    assert ops.post(f"{base}/operations/dead-letters/nowhere/retry", data={}).status_code == 404
