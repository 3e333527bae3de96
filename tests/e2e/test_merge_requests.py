"""Possible duplicates and merge requests in the portal: registering someone who may already be
on file warns with enough to decide (name, birth year, centre: never a bare id, never another
network's record); the worker asks for a merge from the warning, and only the head of centre
approves it (the registry merges the records then) or declines it."""

from __future__ import annotations

import base64

from tests.e2e.test_read_your_writes import Forms
from tests.e2e.test_web_portal import browser

PERSON = {"given_name": "Σταυρούλα", "family_name": "Μαυρίδου", "birth_date": "1961-07-21"}


def register_twice(gateway, username: str = "kalamata.worker"):
    """A person registered by the API, then again from the register page: the page it lands on."""
    first = gateway.register(username, "MU-KALAMATA", **PERSON)
    worker = browser(gateway, username)
    form = Forms(worker.get(f"{gateway.base}/register").text).filled("/register", **PERSON)
    page = worker.post(f"{gateway.base}/register", data=form)
    second = page.url.split("?")[0].rsplit("/", 1)[1]
    return worker, page, first, second


def request_merge(gateway, worker, page, second: str):
    action = f"/beneficiaries/{second}/merge-requests"
    form = Forms(page.text).filled(action, reason="ίδιο πρόσωπο, ίδια διεύθυνση")
    return worker.post(f"{gateway.base}{action}", data=form)


def test_the_duplicate_warning_names_the_person_their_birth_year_and_centre(gateway):
    _, page, first, _ = register_twice(gateway)
    assert page.status_code == 200 and "Πιθανώς το ίδιο πρόσωπο" in page.text
    warning = page.text[page.text.index("Πιθανώς το ίδιο πρόσωπο") :].split("</section>")[0]
    assert "Μαυρίδου Σταυρούλα" in warning and "1961" in warning
    assert "Κινητή Μονάδα Καλαμάτα" in warning and "MU-KALAMATA" not in warning
    assert f">{first}<" not in page.text and "possible duplicate" not in page.text


def test_the_warning_rides_to_the_record_sealed_and_for_its_own_session_only(gateway):
    """The name and birth year travel in a cookie: a reader of the browser's profile finds neither,
    and the same cookie in another session of the same worker shows nothing."""
    first = gateway.register("kalamata.worker", "MU-KALAMATA", **PERSON)
    worker = browser(gateway, "kalamata.worker")
    form = Forms(worker.get(f"{gateway.base}/register").text).filled("/register", **PERSON)
    landed = worker.post(f"{gateway.base}/register", data=form, allow_redirects=False)
    note = landed.cookies["kentra_notes"]
    opened = base64.urlsafe_b64decode(note + "=" * (-len(note) % 4))
    for value in ("Μαυρίδου", "Σταυρούλα", "1961", first):
        assert value.encode() not in opened and value not in note
    other = browser(gateway, "kalamata.worker")  # a second login of the same account
    other.cookies.set("kentra_notes", note)
    record = landed.headers["Location"]
    assert "Πιθανώς το ίδιο πρόσωπο" not in other.get(f"{gateway.base}{record}").text
    assert "Πιθανώς το ίδιο πρόσωπο" in worker.get(f"{gateway.base}{record}").text


def test_another_networks_record_is_never_a_warning(gateway):
    gateway.register("sparti.worker", "KK-SPARTI", **PERSON)
    _, page, _, _ = register_twice(gateway)
    assert page.text.count("Πιθανώς το ίδιο πρόσωπο") == 1  # the Kalamata record only


def test_a_worker_asks_and_the_head_of_centre_approves_the_merge(gateway):
    worker, page, first, second = register_twice(gateway)
    asked = request_merge(gateway, worker, page, second)
    assert asked.status_code == 200 and 'class="ok"' in asked.text
    head = browser(gateway, "kalamata.head")
    waiting = head.get(f"{gateway.base}/merge-requests")
    assert (
        waiting.status_code == 200 and "Μαυρίδου Σταυρούλα</a>, γεννήθηκε το 1961" in waiting.text
    )
    assert f'href="/beneficiaries/{first}"' in waiting.text
    assert f'href="/beneficiaries/{second}"' in waiting.text
    assert "Kalamata Worker" in waiting.text  # who asked, by name
    action = f"/merge-requests/{second}/approval"
    decided = head.post(
        f"{gateway.base}{action}", data=Forms(waiting.text).filled(action, reason="ίδιο ΑΜΚΑ")
    )
    assert decided.status_code == 200 and "Η απόφαση καταχωρίστηκε." in decided.text
    assert "Κανένα αίτημα σε αναμονή." in decided.text
    record = gateway.client("kalamata.head").get(f"/beneficiaries/{second}").json()
    assert record["beneficiary_id"] == first and record["records"] == [first, second]


def test_the_head_declines_and_the_records_stay_two(gateway):
    worker, page, first, second = register_twice(gateway)
    request_merge(gateway, worker, page, second)
    head = gateway.client("kalamata.head")
    declined = head.post(f"/beneficiaries/{second}/merge-decline", {"reason": "άλλο πρόσωπο"})
    assert declined.status_code == 200, declined.text
    assert head.get("/merge-requests").json()["requests"] == []
    assert head.get(f"/beneficiaries/{second}").json()["beneficiary_id"] == second


def test_a_case_worker_cannot_approve_a_merge_request(gateway):
    worker, page, _, second = register_twice(gateway)
    request_merge(gateway, worker, page, second)
    api = gateway.client("kalamata.worker")
    assert api.post(f"/beneficiaries/{second}/merge-approval", {"reason": "x"}).status_code == 403
    assert api.get("/merge-requests").status_code == 403
    assert worker.get(f"{gateway.base}/merge-requests").status_code == 403
    waiting = gateway.client("kalamata.head").get("/merge-requests").json()["requests"]
    assert [r["duplicate"]["beneficiary_id"] for r in waiting] == [second]


def test_another_networks_head_neither_sees_nor_decides_the_request(gateway):
    worker, page, first, second = register_twice(gateway)
    request_merge(gateway, worker, page, second)
    sparti = gateway.client("sparti.head")
    assert sparti.get("/merge-requests").json()["requests"] == []
    assert (
        sparti.post(f"/beneficiaries/{second}/merge-approval", {"reason": "x"}).status_code == 404
    )
    asked = gateway.client("sparti.worker").post(
        f"/beneficiaries/{second}/merge-requests", {"survivor_id": first, "reason": "x"}
    )
    assert asked.status_code == 404
