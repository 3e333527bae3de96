"""The Greek web portal against the running platform: login, search, register, the beneficiary
page, forms that keep what was typed, the agency inbox, the daily register and the overview."""

from __future__ import annotations

import re
import uuid

import jwt
import requests

from services.portal_gateway.entrypoints.web.pages import COOKIE, csrf_token
from tests.e2e.gateway_platform import PASSWORD, referral_to_dypa
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()


class Browser(requests.Session):
    """What a browser sends with a form of the portal: its Origin, and the session's form token
    (the hidden `_csrf` field every form of ours carries, bound to the session its cookie's token
    names)."""

    def __init__(self, gateway):
        super().__init__()
        self.gateway = gateway
        self.headers["Origin"] = gateway.base

    def post(self, url, data=None, **kw):
        token = self.cookies.get(COOKIE)
        if token and isinstance(data, dict):
            session = jwt.decode(token, options={"verify_signature": False})["sid"]
            data = {**data, "_csrf": csrf_token(self.gateway.settings.token_secret, session)}
        return super().post(url, data=data, **kw)


def browser(gateway, username: str) -> requests.Session:
    session = Browser(gateway)
    answer = session.post(
        f"{gateway.base}/login",
        data={"username": username, "password": PASSWORD},
        allow_redirects=False,
    )
    assert answer.status_code == 303 and "HttpOnly" in answer.headers["Set-Cookie"]
    return session


def test_the_portal_speaks_greek_by_default_and_english_on_request(gateway):
    page = requests.get(f"{gateway.base}/login")
    assert page.status_code == 200 and '<html lang="el">' in page.text and "Σύνδεση" in page.text
    assert "Log in" in requests.get(f"{gateway.base}/login", params={"lang": "en"}).text
    assert requests.get(f"{gateway.base}/", allow_redirects=False).headers["Location"] == "/login"


def test_a_wrong_password_stays_on_the_login_page_with_the_username_kept(gateway):
    page = Browser(gateway).post(
        f"{gateway.base}/login", data={"username": "kalamata.worker", "password": "λάθος"}
    )
    assert page.status_code == 401 and 'value="kalamata.worker"' in page.text


def test_register_with_a_bad_amka_keeps_what_was_typed_then_the_page_shows_the_person(gateway):
    worker = browser(gateway, "kalamata.worker")
    form = {
        "given_name": "Μαρία",
        "family_name": "Κωνσταντίνου",
        "birth_date": "1990-01-01",
        "municipality_code": "9258",
        "amka": "01013099998",
        "site": "MU-KALAMATA",
    }
    page = worker.post(f"{gateway.base}/register", data=form)
    assert (
        page.status_code == 422
        and 'value="Κωνσταντίνου"' in page.text
        and "ψηφίο ελέγχου του ΑΜΚΑ" in page.text
    )
    saved = worker.post(
        f"{gateway.base}/register", data={**form, "amka": "01013099997"}, allow_redirects=False
    )
    assert saved.status_code == 303
    gateway.catch_up()
    page = worker.get(f"{gateway.base}{saved.headers['Location']}")
    assert (
        page.status_code == 200
        and "Κωνσταντίνου" in page.text
        and "Εγγραφή στο μητρώο" in page.text
    )
    results = worker.post(f"{gateway.base}/search", data={"q": "konstantinou maria"}).text
    assert re.search(r'href="/beneficiaries/[0-9a-f-]{36}">Κωνσταντίνου', results)


def test_a_contact_form_that_fails_comes_back_with_the_notes_typed(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker = browser(gateway, "kalamata.worker")
    form = {
        "expected_version": "0",
        "occurred_on": TODAY,
        "channel": "mobile_unit_visit",
        "municipality_code": "9252",
        "site": "MU-KALAMATA",
        "staff_id": "kalamata.worker",
        "notes": "επίσκεψη στο σπίτι της",
    }
    page = worker.post(f"{gateway.base}/beneficiaries/{beneficiary}/contacts", data=form)
    assert page.status_code == 422 and "επίσκεψη στο σπίτι της" in page.text
    ok = worker.post(
        f"{gateway.base}/beneficiaries/{beneficiary}/contacts",
        data={**form, "municipality_code": "9256"},
        allow_redirects=False,
    )
    assert ok.status_code == 303


def test_an_agency_officer_answers_a_referral_from_the_inbox(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker, referral = gateway.client("kalamata.worker"), str(uuid.uuid4())
    worker.post(
        "/referrals",
        referral_to_dypa(beneficiary, referral),
    )
    worker.post(
        f"/referrals/{referral}/sending",
        {"command_id": str(uuid.uuid4()), "expected_version": 1, "sent_on": TODAY},
    )
    officer = browser(gateway, "dypa.officer")
    inbox = officer.get(f"{gateway.base}/inbox").text
    assert f"/referrals/{referral}/receipt" in inbox
    answer = officer.post(
        f"{gateway.base}/referrals/{referral}/receipt",
        data={"received_on": TODAY, "expected_version": "2"},
        allow_redirects=False,
    )
    assert answer.status_code == 303
    rejection = officer.post(
        f"{gateway.base}/referrals/{referral}/rejection",
        data={"rejected_on": TODAY, "expected_version": "3", "reason": ""},
    )
    assert (
        rejection.status_code == 422 and "reason" in rejection.text
    )  # the reason is required, said on the page
    assert f"/referrals/{referral}/acceptance" in officer.get(f"{gateway.base}/inbox").text


def test_a_case_worker_sends_a_referral_from_the_record_and_lands_back_on_it(gateway):
    """The record's "Αποστολή" form posts where to land (`back`) beside the command: the page
    keeps it for itself, and the referral is sent."""
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker, referral = gateway.client("kalamata.worker"), str(uuid.uuid4())
    requested = worker.post(
        "/referrals",
        referral_to_dypa(beneficiary, referral),
    )
    assert requested.status_code == 201, requested.text
    page = browser(gateway, "kalamata.worker")
    record = f"/beneficiaries/{beneficiary}"
    sent = page.post(
        f"{gateway.base}/referrals/{referral}/sending",
        data={"expected_version": "1", "sent_on": TODAY, "back": record},
        allow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["Location"] == f"{record}?done=sending"
    officer = browser(gateway, "dypa.officer")
    assert f"/referrals/{referral}/receipt" in officer.get(f"{gateway.base}/inbox").text


def test_the_daily_register_and_the_overview_are_pages_for_their_roles(gateway):
    gateway.register("kalamata.worker", "MU-KALAMATA")
    head = browser(gateway, "kalamata.head")
    assert head.get(f"{gateway.base}/daily", params={"site": "MU-KALAMATA"}).status_code == 200
    assert head.get(f"{gateway.base}/overview").status_code == 403
    coordinator = browser(gateway, "coordinator")
    overview = coordinator.get(f"{gateway.base}/overview")
    assert overview.status_code == 200 and "εμπ." in overview.text  # a released month, marked
    assert "εμπιστευτικό" in overview.text  # and the mark explained, in Greek
    site = coordinator.get(f"{gateway.base}/daily", params={"site": "MU-KALAMATA"})
    assert site.status_code == 200 and "Περίοδος" in site.text and "εμπ." in site.text


def test_leaving_with_a_situation_and_the_follow_up_are_recorded_from_the_page(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA", gender="woman")
    worker = browser(gateway, "kalamata.worker")
    page = worker.get(f"{gateway.base}/beneficiaries/{beneficiary}").text
    assert "Κατάσταση κατά την αποχώρηση" in page and "Φύλο: Γυναίκα" in page  # in words
    closed = worker.post(
        f"{gateway.base}/beneficiaries/{beneficiary}/case-closures",
        data={
            "expected_version": "0",
            "closed_on": TODAY,
            "reason": "βρήκε εργασία",
            "situation_at_exit": "employed",
        },
        allow_redirects=False,
    )
    assert closed.status_code == 303
    gateway.catch_up()
    page = worker.get(f"{gateway.base}/beneficiaries/{beneficiary}").text
    assert "Καταγραφή εξαμήνου" in page
    follow_up = worker.post(
        f"{gateway.base}/beneficiaries/{beneficiary}/follow-ups",
        data={
            "expected_version": "1",
            "followed_up_on": TODAY,
            "_bools": ["employed", "improved_situation"],
            "employed": "on",
        },
        allow_redirects=False,
    )
    assert follow_up.status_code == 303
    gateway.catch_up()
    timeline = (
        gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}").json()["timeline"]
    )
    assert [s["type"] for s in timeline][-2:] == ["CaseClosed", "FollowUpRecorded"]


def test_a_form_posted_from_another_site_or_without_its_token_is_refused(gateway):
    worker = browser(gateway, "kalamata.worker")
    form = {
        "given_name": "Ξένη",
        "family_name": "Φόρμα",
        "birth_date": "1990-01-01",
        "municipality_code": "9258",
        "site": "MU-KALAMATA",
        "command_id": str(uuid.uuid4()),
    }
    evil = worker.post(
        f"{gateway.base}/register", data=form, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    no_token = requests.post(
        f"{gateway.base}/register",
        data=form,
        cookies=worker.cookies,
        headers={"Origin": gateway.base},
    )
    assert no_token.status_code == 403
    gateway.catch_up()
    found = worker.post(f"{gateway.base}/search", data={"q": "Φόρμα"}).text
    assert "/beneficiaries/" not in found  # neither post stored anything


def test_every_portal_page_and_api_answer_carries_the_security_headers(gateway):
    worker, head = browser(gateway, "kalamata.worker"), browser(gateway, "kalamata.head")
    coordinator, officer = browser(gateway, "coordinator"), browser(gateway, "dypa.officer")
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    gateway.catch_up()
    pages = [
        (requests, "/login"),
        (worker, "/"),
        (worker, "/search"),
        (worker, "/register"),
        (worker, f"/beneficiaries/{beneficiary}"),
        (officer, "/inbox"),
        (head, "/daily"),
        (coordinator, "/overview"),
        (worker, "/no-such-page"),
    ]
    for client, path in pages:
        answer = client.get(f"{gateway.base}{path}", allow_redirects=False)
        headers = answer.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert (
            headers["X-Content-Type-Options"] == "nosniff"
            and headers["Cache-Control"] == "no-store"
        ), path
        assert headers["Referrer-Policy"] == "same-origin", path
    api = gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}")
    assert (
        api.headers["Cache-Control"] == "no-store"
        and api.headers["X-Content-Type-Options"] == "nosniff"
    )


def test_no_message_is_taken_from_the_url(gateway):
    worker = browser(gateway, "kalamata.worker")
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    gateway.catch_up()
    for planted in ("not-json", '{"message": "Καλέστε στο 210 0000000 για επαλήθευση"}'):
        page = worker.get(
            f"{gateway.base}/beneficiaries/{beneficiary}", params={"warning": planted}
        )
        assert page.status_code == 200 and "210 0000000" not in page.text
