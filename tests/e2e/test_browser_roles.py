"""Each role's home page and the DPO's and ops' pages, in headless Chromium and in Greek: every
home says what needs attention today; the DPO reads a person's audit and erases a test person
after typing their family name; ops see a real dead letter (a message the reporting consumer
refused) and retry it. Screenshots: test-artifacts/screenshots/15-roles-*.png."""

from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By

from contracts.vocabulary import EMERGENCY_REASONS
from services.common.consumer import Consumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.reporting import bootstrap as reporting
from tests.e2e.gateway_platform import referral_to_dypa
from tests.support.browser import log_in, log_out, shot, shows
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()
REASON = EMERGENCY_REASONS[0]


def fits_412_px(driver, name: str) -> None:
    """The page at a phone's width: nothing wider than the screen but the tables' own scrolling."""
    size = driver.get_window_size()
    driver.set_window_size(412, size["height"])
    try:
        shot(driver, name)
        viewport = driver.execute_script("return document.documentElement.clientWidth")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= viewport
    finally:
        driver.set_window_size(size["width"], size["height"])


def refused_by_reporting(gateway) -> None:
    """A message the reporting consumer refuses, as it arrives from the bus: a registries event
    claimed at a position the registries' store does not hold (a forgery, or a relay gone wrong).
    The consumer itself dead-letters it (services/common/consumer/consumer.py, `_refuse`)."""
    settings = gateway.settings
    projection = reporting.projection(settings)
    db, source = reporting.open_model(settings), RpcEventSource(settings.amqp_uri)
    try:
        consumer = Consumer(projection, db, source, opener=personal_opener(settings, projection))
        genuine = source.read_all("registries", 0, 1)[0]
        head = source.last_position("registries")
        forged = {
            **genuine,
            "event_id": str(uuid.uuid4()),
            "position": head + 3,
            "prev_position": head + 2,
        }
        assert consumer.handle("registries", [forged], live=True).dead_lettered == 1
    finally:
        source.close()
        db.close()


@pytest.mark.slow
def test_the_dpo_reads_a_persons_audit_and_erases_them_after_confirming(gateway, chrome):  # noqa: F811
    person = gateway.register(
        "kalamata.worker", "MU-KALAMATA", given_name="Δοκιμή", family_name="Διαγραφόπουλος"
    )
    assert gateway.client("kalamata.worker").get(f"/beneficiaries/{person}").status_code == 200
    glass = {"reason": REASON, "details": "Κλήση από νοσοκομείο για άμεση ανάγκη στέγασης"}
    grant = gateway.client("sparti.head").post(f"/beneficiaries/{person}/emergency-access", glass)
    assert grant.status_code == 201, grant.text
    base = gateway.base
    log_in(chrome, base, "dpo")
    assert shows(chrome, "Χρειάζονται προσοχή σήμερα")
    assert (
        "1 προσβάσεις έκτακτης ανάγκης χωρίς έλεγχο"
        in chrome.find_element(By.CSS_SELECTOR, "ul.attention").text
    )
    shot(chrome, "15-roles-dpo-home")

    chrome.find_element(By.LINK_TEXT, "Έλεγχος προσβάσεων").click()
    chrome.find_element(By.ID, "q").send_keys("diagrafopoulos")  # as the request spells it
    chrome.find_element(By.ID, "q").submit()
    assert shows(chrome, "Βρέθηκαν: 1")
    shot(chrome, "15-roles-dpo-find")
    chrome.find_element(By.LINK_TEXT, "Διαγραφόπουλος Δοκιμή").click()
    assert shows(chrome, "Ποιος είδε τον φάκελο")
    log = chrome.find_element(By.XPATH, "//h2[@id='log']/following-sibling::div/table").text
    assert "Kalamata Worker" in log and "Κοινωνικός λειτουργός" in log  # staff by name
    assert "kalamata.worker" not in log and "sparti.head" not in log  # never the username
    assert "Κινητή Μονάδα Καλαμάτα" in log  # the site by name, not its code
    assert "Sparti Head" in log and "Πρόσβαση έκτακτης ανάγκης" in log
    assert person not in chrome.find_element(By.TAG_NAME, "main").text.replace(
        chrome.find_element(By.ID, "beneficiary").get_attribute("value"), ""
    )
    shot(chrome, "15-roles-dpo-audit")
    fits_412_px(chrome, "15-roles-dpo-audit-412")

    # the audit page's own link, for this person (the menu's opens the page to find someone)
    main = chrome.find_element(By.TAG_NAME, "main")
    main.find_element(By.LINK_TEXT, "Διαγραφή προσωπικών δεδομένων").click()
    assert shows(chrome, "Διαγραφή των στοιχείων του/της: Διαγραφόπουλος Δοκιμή")
    chrome.find_element(By.ID, "reason").send_keys("Αίτημα διαγραφής του ίδιου, άρθρο 17")
    chrome.find_element(By.ID, "confirm").send_keys("Παπαδόπουλος")
    shot(chrome, "15-roles-dpo-erasure-confirm")
    chrome.find_element(By.ID, "confirm").submit()
    assert shows(chrome, "δεν διαγράφηκε τίποτα")
    assert gateway.client("dpo").get(f"/beneficiaries/{person}/identity").json()["erased"] is False

    chrome.find_element(By.ID, "confirm").send_keys("ΔΙΑΓΡΑΦΟΠΟΥΛΟΣ")  # case and accents aside
    chrome.find_element(By.ID, "confirm").submit()
    assert shows(chrome, "Τα προσωπικά στοιχεία διαγράφηκαν.")
    assert "Διαγραφόπουλος" not in chrome.page_source
    shot(chrome, "15-roles-dpo-erased")
    assert gateway.client("dpo").get(f"/beneficiaries/{person}/identity").json()["erased"] is True

    gateway.catch_up()  # what the timeline consumer does live
    chrome.get(f"{base}/")
    erasures = chrome.find_element(By.XPATH, "//h2[@id='erasures']").text
    assert "(1)" in erasures


@pytest.mark.slow
def test_ops_see_a_dead_letter_and_retry_it(gateway, chrome):  # noqa: F811
    gateway.register("kalamata.worker", "MU-KALAMATA")
    refused_by_reporting(gateway)
    base = gateway.base
    log_in(chrome, base, "ops")
    home = chrome.find_element(By.XPATH, "//h2[@id='attention']/following-sibling::ul").text
    assert "1 μηνύματα σε αναμονή" in home
    assert "Prometheus" in chrome.page_source and "Grafana" in chrome.page_source
    shot(chrome, "15-roles-ops-home")

    chrome.find_element(By.PARTIAL_LINK_TEXT, "μηνύματα σε αναμονή").click()
    assert shows(chrome, "Μήνυμα που δεν έχει η πηγή")
    assert "Αναφορές" in chrome.page_source and "Μητρώα" in chrome.page_source
    shot(chrome, "15-roles-ops-dead-letters")
    fits_412_px(chrome, "15-roles-ops-dead-letters-412")
    chrome.find_element(By.ID, "retry-reporting").click()
    assert shows(chrome, "Επιλύθηκαν 1· μένουν 0.")
    assert "Κανένα μήνυμα σε αναμονή." in chrome.page_source
    shot(chrome, "15-roles-ops-retried")
    assert gateway.client("ops").get("/operations/dead-letters").json()["dead_letters"] == []

    chrome.find_element(By.LINK_TEXT, "Έλεγχος συνέπειας").click()
    assert (
        shows(chrome, "Αναφορές: συνεπές") and "Διαδρομή ωφελούμενων: συνεπές" in chrome.page_source
    )
    shot(chrome, "15-roles-ops-consistency")


@pytest.mark.slow
def test_ops_discard_a_refused_message_with_a_reason(gateway, chrome):  # noqa: F811
    gateway.register("kalamata.worker", "MU-KALAMATA")
    refused_by_reporting(gateway)
    log_in(chrome, gateway.base, "ops")
    chrome.get(f"{gateway.base}/operations/dead-letters")
    reason = chrome.find_element(By.CSS_SELECTOR, "input[id^='reason-reporting-']")
    reason.send_keys("Δοκιμή πλαστού μηνύματος, ελέγχθηκε")
    reason.submit()
    assert shows(chrome, "Το μήνυμα έκλεισε με την αιτιολογία σας.")
    assert gateway.client("ops").get("/operations/dead-letters").json()["dead_letters"] == []


def a_day_of_referrals(gateway, person: str) -> None:
    """One referral the agency answered (accepted) and one only sent to it, both today."""
    worker, officer = gateway.client("kalamata.worker"), gateway.client("dypa.officer")

    def step(client, referral, name, version, **fields):
        body = {"command_id": str(uuid.uuid4()), "expected_version": version, **fields}
        answer = client.post(f"/referrals/{referral}/{name}", body)
        assert answer.status_code == 200, answer.text

    answered, fresh = str(uuid.uuid4()), str(uuid.uuid4())
    for referral in (answered, fresh):
        assert worker.post("/referrals", referral_to_dypa(person, referral)).status_code == 201
        step(worker, referral, "sending", 1, sent_on=TODAY)
    step(officer, answered, "receipt", 2, received_on=TODAY)
    step(officer, answered, "acceptance", 3, accepted_on=TODAY)


@pytest.mark.slow
def test_each_roles_home_says_what_needs_attention_today(gateway, chrome):  # noqa: F811
    person = gateway.register(
        "kalamata.worker", "MU-KALAMATA", given_name="Ελένη", family_name="Αθανασίου"
    )
    contact = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": TODAY,
        "channel": "mobile_unit_visit",
        "site": "MU-KALAMATA",
        "municipality_code": "9256",
        "staff_id": "kalamata.social1",
    }
    worker, plan = gateway.client("kalamata.worker"), str(uuid.uuid4())
    for version, (path, fields) in enumerate(
        [
            ("contacts", contact),
            ("action-plans", {"plan_id": plan, "opened_on": TODAY, "goals": "εργασία"}),
            (
                "action-steps",
                {"plan_id": plan, "step_id": "s1", "description": "ΔΥΠΑ", "due_on": TODAY},
            ),
        ]
    ):
        body = {"command_id": str(uuid.uuid4()), "expected_version": version, **fields}
        answer = worker.post(f"/beneficiaries/{person}/{path}", body)
        assert answer.status_code == 200, answer.text
    a_day_of_referrals(gateway, person)
    gateway.catch_up()
    base = gateway.base

    log_in(chrome, base, "dypa.officer")
    attention = chrome.find_element(By.CSS_SELECTOR, "ul.attention").text
    assert "1 νέες παραπομπές" in attention and "0 σε καθυστέρηση" in attention
    assert (
        chrome.find_element(By.PARTIAL_LINK_TEXT, "νέες παραπομπές")
        .get_attribute("href")
        .endswith("/inbox?state=sent")
    )
    shot(chrome, "15-roles-home-agency")
    log_out(chrome)

    log_in(chrome, base, "kalamata.worker")
    contacts = chrome.find_element(
        By.XPATH, "//h2[@id='contacts']/following-sibling::div/table"
    ).text
    assert "Αθανασίου Ελένη" in contacts and "Κινητή Μονάδα Καλαμάτα" in contacts
    answered = chrome.find_element(
        By.XPATH, "//h2[@id='answered']/following-sibling::div/table"
    ).text
    assert "Αθανασίου Ελένη" in answered and "Έγινε δεκτή" in answered
    shot(chrome, "15-roles-home-case-worker")
    log_out(chrome)

    log_in(chrome, base, "kalamata.head")
    day = chrome.find_element(By.XPATH, "//h2[@id='day']/following-sibling::div/table").text
    assert "Κινητή Μονάδα Καλαμάτα" in day and "Επαφή" in day
    assert shows(chrome, "Φόρτος προσωπικού")
    shot(chrome, "15-roles-home-head")
    log_out(chrome)

    log_in(chrome, base, "coordinator")
    region = chrome.find_element(By.CSS_SELECTOR, "ul.attention").text
    assert "παραπομπές σε καθυστέρηση στην περιφέρεια" in region
    reports = [
        a.get_attribute("href") for a in chrome.find_elements(By.CSS_SELECTOR, "#reports ~ ul a")
    ]
    assert [r.removeprefix(base) for r in reports] == [
        "/reports/esf",
        "/reports/coverage",
        "/reports/targets",
        "/reports/referral-flow",
        "/reports/staffing",
    ]
    shot(chrome, "15-roles-home-coordinator")

    log_out(chrome)
    log_in(chrome, base, "kalamata.worker")
    fits_412_px(chrome, "15-roles-home-case-worker-412")
