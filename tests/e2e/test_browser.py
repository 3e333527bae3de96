"""The portal in headless Chromium (Debian's chromium and chromedriver, installed by
scripts/bootstrap), in Greek: log in, find a beneficiary by a Greeklish name, record a contact,
create a referral, see both on the timeline. Screenshots are kept in test-artifacts/screenshots."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.e2e.gateway_platform import DYPA_KALAMATA, PASSWORD, municipal_event
from tests.support.browser import open_form, shot, shows


@pytest.mark.slow
def test_the_browser_is_a_greek_users_and_shows_dates_as_dd_mm_yyyy(gateway, chrome):
    """Chromium's own locale in Greek (its en-US default writes a date input as mm/dd/yyyy, which
    no centre's screen shows): the register form's date inputs read ηη/μμ/εεεε and 04/12/2026."""
    chrome.get(f"{gateway.base}/login")
    chrome.find_element(By.ID, "username").send_keys("kalamata.worker")
    chrome.find_element(By.ID, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert shows(chrome, "Αποσύνδεση")
    chrome.get(f"{gateway.base}/register")
    assert shows(chrome, 'id="birth_date"')
    locale = chrome.execute_script("return Intl.DateTimeFormat().resolvedOptions().locale")
    written = chrome.execute_script("return new Date(2026, 11, 4).toLocaleDateString()")
    assert locale.startswith("el") and written == "4/12/2026", (locale, written)
    chrome.execute_script("document.getElementById('birth_date').value = '1980-12-04'")
    shot(chrome, "15-greek-date-input")


@pytest.mark.slow
def test_a_social_worker_finds_records_and_refers_in_greek(gateway, chrome):
    beneficiary = gateway.register(
        "kalamata.worker", "MU-KALAMATA", given_name="Γιώργος", family_name="Παπαδόπουλος"
    )
    base = gateway.base
    chrome.get(f"{base}/login")
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "el"
    chrome.find_element(By.ID, "username").send_keys("kalamata.worker")
    chrome.find_element(By.ID, "password").send_keys(PASSWORD)
    shot(chrome, "01-login")
    chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert shows(chrome, "Αποσύνδεση")

    chrome.find_element(By.ID, "q").send_keys("giorgos papadopoulos")
    chrome.find_element(By.ID, "q").submit()
    assert shows(chrome, "Παπαδόπουλος</a>")
    shot(chrome, "02-search-greeklish")
    chrome.find_element(By.LINK_TEXT, "Παπαδόπουλος").click()
    assert shows(chrome, "Διαδρομή") and beneficiary in chrome.current_url

    open_form(chrome, "Καταγραφή επαφής")
    Select(chrome.find_element(By.ID, "channel")).select_by_visible_text("Επίσκεψη Κινητής Μονάδας")
    Select(chrome.find_element(By.ID, "cm")).select_by_visible_text("Οιχαλία")
    chrome.find_element(By.ID, "cn").send_keys("Επίσκεψη στο Μελιγαλά, ζητά εργασία")
    shot(chrome, "03-contact-form")
    chrome.find_element(By.ID, "cn").submit()
    assert shows(chrome, "Καταχωρίστηκε.")

    chrome.get(
        f"{base}/beneficiaries/{beneficiary}"
    )  # a fresh page: the next "saved" must be the referral's
    assert shows(chrome, "Παραπομπή")
    open_form(chrome, "Παραπομπή")
    Select(chrome.find_element(By.ID, "need")).select_by_visible_text("Απασχόληση")
    # proposed by name: those serving Oichalia, where he lives, for that need
    Select(chrome.find_element(By.ID, "recipient")).select_by_value(f"agency:{DYPA_KALAMATA}")
    shot(chrome, "04-referral-form")
    chrome.find_element(By.ID, "recipient").submit()
    assert shows(chrome, "Η παραπομπή καταχωρίστηκε.")

    gateway.catch_up()  # what the timeline consumer does live
    chrome.get(f"{base}/beneficiaries/{beneficiary}")
    assert shows(chrome, "Διαδρομή")
    shot(chrome, "05-timeline")
    timeline = chrome.find_element(
        By.XPATH, "//h2[text()='Διαδρομή']/following-sibling::table"
    ).text
    assert "Επαφή · Επίσκεψη Κινητής Μονάδας" in timeline
    assert "Παραπομπή · ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας" in timeline
    # the site and the worker by name (the registry's, the account's), never their codes
    assert "Κινητή Μονάδα" in timeline and "Kalamata Worker" in timeline
    assert "MU-KALAMATA" not in timeline and "kalamata.worker" not in timeline


@pytest.mark.slow
def test_ops_register_a_municipal_publisher_and_see_its_key_once_in_greek(gateway, chrome):
    base = gateway.base
    chrome.get(f"{base}/login")
    chrome.find_element(By.ID, "username").send_keys("ops")
    chrome.find_element(By.ID, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert shows(chrome, "Αποσύνδεση")
    chrome.find_element(By.LINK_TEXT, "Δημοτικά συστήματα").click()
    chrome.find_element(By.ID, "name").send_keys("dimos-kalamatas-test")
    Select(chrome.find_element(By.ID, "site")).select_by_value("KK-KALAMATA")  # shown by name
    chrome.find_element(By.ID, "site").submit()
    assert shows(chrome, "dimos-kalamatas-test")
    chrome.find_element(
        By.CSS_SELECTOR, "form[action='/municipal-publishers/dimos-kalamatas-test/api-keys'] button"
    ).click()
    assert shows(chrome, "δεν θα εμφανιστεί ξανά")
    key = chrome.find_element(By.ID, "issued-key").text
    shot(chrome, "10-api-key-issued")
    chrome.get(f"{base}/municipal-publishers")
    assert shows(chrome, "dimos-kalamatas-test") and key not in chrome.page_source
    unknown = municipal_event("00000000-0000-4000-8000-000000000000")
    answer = gateway.client().post(
        "/ingest/events", {"events": [unknown]}, headers={"X-API-Key": key}
    )
    assert answer.json()["results"][0]["status"] == "rejected"
    chrome.get(f"{base}/municipal-events")
    assert shows(chrome, "Απορριφθέντα δημοτικά συμβάντα") and shows(chrome, "data/beneficiary_id")
    shot(chrome, "11-refused-municipal-events")
