"""No page, in Greek, shows an English server message, a raw code or a UUID where a name exists,
or a date as ISO: each role logs in, every page its header offers is read (so pages added later are
read too), with a person's record, the inbox, the DPO's view of the person, and the error paths (a
wrong login, bad forms, a mobile unit outside its municipalities, a stale form)."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests

from contracts.geography import municipalities
from services.portal_gateway.entrypoints.web.home_pages import REPORTS
from services.portal_gateway.entrypoints.web.messages import PLACEHOLDER, catalogue
from tests.e2e.gateway_platform import USERS, municipal_event, referral_to_dypa
from tests.e2e.test_browser_roles import refused_by_reporting
from tests.e2e.test_web_portal import Browser, browser
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()
SITE_CODE = re.compile(r"\b(?:KK|MU)-[A-Z0-9][A-Z0-9-]*")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# a code shown instead of its label: an event type (FollowUpRecorded), a vocabulary's code (roma,
# long_term_unemployed: one word codes are caught by the record's own test) or a username
CODE = re.compile(r"\b(?:[A-Z][a-z]+){2,}\b|\b[a-z]+(?:[_.][a-z0-9]+)+\b")
# a sentence in English: four or more Latin words in a row (names and codes are one or two)
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]{2,}){3,}")
# what the services say in English, word for word (the catalogue's msgids that do not vary)
ENGLISH_MESSAGES = [
    m.id
    for m in catalogue("el")
    if isinstance(m.id, str) and len(m.id) > 12 and not PLACEHOLDER.search(m.id)
]


class Visible(HTMLParser):
    """A page's text as a person sees it (no markup, attributes, styles or scripts), and the text
    of each table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.cells: list[str] = []
        self._hidden = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._hidden += 1
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data.strip())


def visible(html: str) -> Visible:
    page = Visible()
    page.feed(html)
    return page


def untranslated(html: str) -> list[str]:
    """What a Greek page must not show."""
    page = visible(html)
    text = " ".join(" ".join(page.text).split())
    found = [f"English message: {m}" for m in ENGLISH_MESSAGES if m in text]
    found += [f"English: {m.group(0)}" for m in ENGLISH.finditer(text)]
    found += [f"site code: {m.group(0)}" for m in SITE_CODE.finditer(text)]
    found += [f"UUID: {m.group(0)}" for m in UUID.finditer(text)]
    found += [f"ISO date: {m.group(0)}" for m in ISO_DATE.finditer(text)]
    found += [f"code: {m.group(0)}" for m in CODE.finditer(text)]
    codes = municipalities()
    found += [f"municipality code: {c}" for c in page.cells if c in codes]
    return found


def header_links(html: str) -> list[str]:
    """The pages the header offers (the portal's own paths)."""
    header = html.split("<header>", 1)[1].split("</header>", 1)[0]
    paths = [urlsplit(href).path for href in re.findall(r'href="([^"]+)"', header)]
    return sorted({p for p in paths if p.startswith("/") and p != "/"})


def page_links(html: str) -> list[str]:
    """The portal's pages a page's own content links to (a home's "what needs attention" and
    its reports), with their filters: the address as the link gives it."""
    main = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', main)]
    return sorted({h for h in hrefs if h.startswith("/") and not h.startswith("/static/")})


def a_refused_municipal_event_naming_a_site(gateway) -> None:
    """Sparti's municipal system publishing for Kalamata: refused with a reason that holds a site's
    code ("this publisher publishes for KK-SPARTI only"), which ops' page must tell by its name."""
    key = gateway.publishers.add_api_key(f"dimos-{uuid.uuid4().hex[:6]}", "KK-SPARTI")
    event = municipal_event(str(uuid.uuid4()))
    answer = gateway.client().post(
        "/ingest/events", {"events": [event]}, headers={"X-API-Key": key}
    )
    (result,) = answer.json()["results"]
    assert result["status"] == "rejected", result


def a_person_with_a_history(gateway) -> tuple[str, str]:
    """A person met by the Kalamata mobile unit: a contact, an assessment, a plan with a step and
    a referral sent to ΔΥΠΑ, every read model caught up."""
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA", amka="01013099997")
    worker = gateway.client("kalamata.worker")
    steps = [
        (
            "contacts",
            {
                "occurred_on": TODAY,
                "channel": "mobile_unit_visit",
                "site": "MU-KALAMATA",
                "municipality_code": "9256",
                "staff_id": "kalamata.worker",
            },
        ),
        (
            "assessments",
            {
                "assessed_on": TODAY,
                "groups": ["roma", "poverty"],
                "needs": ["εργασία"],
                "household_size": 4,
                "labour_status": "inactive",
                "education": "0-2",
                "disability": False,
                "citizenship": "GR",
                "foreign_background": False,
                "housing": "ενοίκιο",
                "rural": True,
            },
        ),
        ("action-plans", {"plan_id": str(uuid.uuid4()), "opened_on": TODAY, "goals": "εργασία"}),
    ]
    for version, (action, fields) in enumerate(steps):
        body = {"command_id": str(uuid.uuid4()), "expected_version": version, **fields}
        answer = worker.post(f"/beneficiaries/{beneficiary}/{action}", body)
        assert answer.status_code == 200, answer.text
    referral = str(uuid.uuid4())
    requested = worker.post("/referrals", referral_to_dypa(beneficiary, referral))
    assert requested.status_code == 201, requested.text
    sent = worker.post(
        f"/referrals/{referral}/sending",
        {"command_id": str(uuid.uuid4()), "expected_version": 1, "sent_on": TODAY},
    )
    assert sent.status_code == 200, sent.text
    gateway.catch_up()
    return beneficiary, referral


def test_every_page_of_every_role_is_in_greek_with_names_not_codes(gateway):
    beneficiary, _ = a_person_with_a_history(gateway)
    refused_by_reporting(gateway)  # a dead letter on ops' page: its event type by its label
    a_refused_municipal_event_naming_a_site(gateway)
    extra = {  # pages no link leads to: a person's record, the DPO's view of them
        "kalamata.worker": [f"/beneficiaries/{beneficiary}"],
        "kalamata.head": [f"/beneficiaries/{beneficiary}", "/daily?site=MU-KALAMATA"],
        "coordinator": ["/daily?site=KK-KALAMATA", *(f"/reports/{r}" for r in REPORTS)],
        "dpo": [
            f"/subject-rights?beneficiary={beneficiary}",
            f"/audit?beneficiary={beneficiary}",
            f"/erasure?beneficiary={beneficiary}",
        ],
    }
    problems, read = {}, []
    for username in USERS:
        session = browser(gateway, username)
        home = session.get(f"{gateway.base}/")
        found_on_home = [*header_links(home.text), *page_links(home.text)]
        pages = ["/", *dict.fromkeys(found_on_home), *extra.get(username, [])]
        for path in pages:
            if path in ("/logout",):
                continue
            page = session.get(f"{gateway.base}{path}")
            assert page.status_code < 500, (username, path, page.status_code)
            read.append((username, path))
            found = untranslated(page.text)
            if found:
                problems[f"{username} {path}"] = found
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
    # the crawl reached the pages the issue names (so a broken header cannot pass by reading nothing)
    assert {p for _, p in read} >= {"/search", "/register", "/inbox", "/daily", "/overview"}
    assert ("dpo", "/subject-rights") in read and ("ops", "/municipal-events") in read
    assert {("dpo", "/audit"), ("dpo", "/erasure")} <= set(read)
    assert {("ops", "/operations/dead-letters"), ("ops", "/operations/consistency")} <= set(read)
    assert {("coordinator", f"/reports/{r}") for r in REPORTS} <= set(read)
    assert any(u == "dypa.officer" and p.startswith("/inbox?") for u, p in read), read


def test_the_record_names_sites_staff_and_the_assessment_in_greek(gateway):
    beneficiary, _ = a_person_with_a_history(gateway)
    page = browser(gateway, "kalamata.worker").get(f"{gateway.base}/beneficiaries/{beneficiary}")
    text = " ".join(visible(page.text).text)
    assert (
        "Ρομά" in text and "Κίνδυνος φτώχειας" in text and "ISCED 0-2" in text
    )  # the assessment's labels
    assert "Κινητή Μονάδα" in text  # the site by its registry name
    assert "Kalamata Worker" in text  # the staff member by name, never kalamata.worker
    assert "kalamata.worker" not in text and "inactive" not in text


def test_the_header_names_the_person_and_their_site(gateway):
    page = browser(gateway, "kalamata.head").get(f"{gateway.base}/").text
    header = " ".join(visible(page.split("</header>")[0]).text)
    assert "Kalamata Head" in header and "Κέντρο Κοινότητας" in header and "KK-" not in header


def test_a_wrong_login_is_told_in_greek(gateway):
    page = Browser(gateway).post(
        f"{gateway.base}/login", data={"username": "kalamata.worker", "password": "λάθος"}
    )
    assert page.status_code == 401 and "Λάθος όνομα χρήστη ή κωδικός." in page.text
    assert not untranslated(page.text)


def test_a_bad_registration_names_the_fields_by_their_labels_in_greek(gateway):
    worker = browser(gateway, "kalamata.worker")
    page = worker.post(
        f"{gateway.base}/register",
        data={"family_name": "Κωνσταντίνου", "amka": "01013099998", "site": "MU-KALAMATA"},
    )
    assert page.status_code == 422
    text = " ".join(visible(page.text).text)
    assert "Υποχρεωτικό πεδίο." in text and "Όνομα: Υποχρεωτικό πεδίο." in text
    assert "Το ψηφίο ελέγχου του ΑΜΚΑ δεν είναι σωστό" in text
    assert not untranslated(page.text), untranslated(page.text)


def test_a_refused_contact_is_told_in_greek_and_in_english_on_request(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker = browser(gateway, "kalamata.worker")
    contact = {
        "expected_version": "0",
        "occurred_on": TODAY,
        "channel": "mobile_unit_visit",
        "municipality_code": "9233",  # Άργος-Μυκήνες: not a municipality the unit serves
        "site": "MU-KALAMATA",
        "staff_id": "kalamata.worker",
    }
    action = f"{gateway.base}/beneficiaries/{beneficiary}/contacts"
    page = worker.post(action, data=contact)
    assert page.status_code == 422
    assert "Η Κινητή Μονάδα δεν εξυπηρετεί αυτόν τον δήμο." in page.text
    assert not untranslated(page.text), untranslated(page.text)
    english = worker.post(action, params={"lang": "en"}, data=contact)
    assert "this mobile unit does not serve that municipality" in english.text


def test_an_unknown_field_a_bad_date_and_a_stale_form_are_told_in_greek(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker = browser(gateway, "kalamata.worker")
    action = f"{gateway.base}/beneficiaries/{beneficiary}/services"
    service = {
        "expected_version": "0",
        "occurred_on": "χθες",
        "service": "information",
        "site": "MU-KALAMATA",
        "staff_id": "kalamata.worker",
        "colour": "κόκκινο",
    }
    page = worker.post(action, data=service)
    text = " ".join(visible(page.text).text)
    assert page.status_code == 422
    assert "Άγνωστο πεδίο." in text and "Μη έγκυρη ημερομηνία" in text
    assert not untranslated(page.text), untranslated(page.text)
    stale = worker.post(
        action, data={**service, "occurred_on": TODAY, "colour": "", "expected_version": "7"}
    )
    assert stale.status_code == 409 and "Ο φάκελος άλλαξε στο μεταξύ" in stale.text
    assert not untranslated(stale.text), untranslated(stale.text)


def test_the_api_answers_in_greek_unless_english_is_asked_for(gateway):
    client = gateway.client("kalamata.worker")
    body = {"command_id": str(uuid.uuid4()), "given_name": "Μαρία", "site": "MU-KALAMATA"}
    greek = client.post("/beneficiaries", body)
    assert greek.status_code == 422
    assert greek.json()["details"]["family_name"] == ["Υποχρεωτικό πεδίο."]
    english = client.post("/beneficiaries", body, headers={"Accept-Language": "en"})
    assert english.json()["details"]["family_name"] == ["Missing data for required field."]
    wrong = requests.post(
        f"{gateway.base}/api/v1/auth/token", json={"username": "nobody", "password": "x"}
    )
    assert wrong.json()["error"] == "Λάθος όνομα χρήστη ή κωδικός."


def test_a_possible_duplicate_is_told_in_greek_with_a_link_not_an_id(gateway):
    worker = browser(gateway, "kalamata.worker")
    person = {
        "given_name": "Ελένη",
        "family_name": "Αναστασίου",
        "birth_date": "1975-05-05",
        "municipality_code": "9256",
        "site": "MU-KALAMATA",
    }
    first = worker.post(f"{gateway.base}/register", data=person, allow_redirects=False)
    assert first.status_code == 303
    second = worker.post(f"{gateway.base}/register", data=person)
    assert second.status_code == 200 and "Πιθανώς το ίδιο πρόσωπο" in second.text, second.text[
        -2000:
    ]
    assert first.headers["Location"].split("?")[0] in second.text  # a link to the other record
    assert not untranslated(second.text), untranslated(second.text)
