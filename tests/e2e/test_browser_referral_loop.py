"""The closed referral loop in headless Chromium, in Greek (issue 15): the mobile unit meets a
person in a partner municipality, registers her, records the contact and her needs assessment,
takes her consent for ΔΥΠΑ (chosen by name), refers her to ΔΥΠΑ picked by name from the proposals
for the need and sends it; ΔΥΠΑ's officer finds her by name in the inbox, acknowledges, accepts
and records the outcome; the case worker reads it on the record. Screenshots:
test-artifacts/screenshots/15-referral-*.png."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.support.browser import log_in, open_form, shot, shows

DYPA = "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας"


def press(driver, form_action: str, then: str) -> None:
    """The button of the form posting to `form_action`; wait for the page that confirms it."""
    driver.find_element(By.CSS_SELECTOR, f"form[action='{form_action}'] button").click()
    assert shows(driver, then)


@pytest.mark.slow
def test_the_referral_loop_closes_in_the_browser(gateway, chrome):  # noqa: F811
    base = gateway.base
    log_in(chrome, base, "kalamata.worker")

    # the mobile unit, in Meligalas (Οιχαλία, a partner municipality): she is registered there
    chrome.get(f"{base}/register")
    chrome.find_element(By.ID, "given_name").send_keys("Μαρία")
    chrome.find_element(By.ID, "family_name").send_keys("Αναστασίου")
    # a date field's typing order follows the browser's locale: set the value as the form sends it
    chrome.execute_script(
        "arguments[0].value = '1979-04-12'", chrome.find_element(By.ID, "birth_date")
    )
    chrome.find_element(By.ID, "phone").send_keys("6944123456")
    Select(chrome.find_element(By.ID, "municipality_code")).select_by_visible_text("Οιχαλία")
    Select(chrome.find_element(By.ID, "gender")).select_by_visible_text("Γυναίκα")
    shot(chrome, "15-referral-00-registered-by-the-mobile-unit")
    chrome.find_element(By.ID, "given_name").submit()
    assert shows(chrome, "Καταχωρίστηκε.") and shows(chrome, "Αναστασίου")
    person = chrome.current_url.split("?")[0].rsplit("/", 1)[1]
    record = f"/beneficiaries/{person}"

    # a contact, then the needs assessment, each confirmed on the page it lands on
    open_form(chrome, "Καταγραφή επαφής")
    Select(chrome.find_element(By.ID, "channel")).select_by_visible_text("Επίσκεψη Κινητής Μονάδας")
    Select(chrome.find_element(By.ID, "cm")).select_by_visible_text("Οιχαλία")
    chrome.find_element(By.ID, "cn").send_keys("Επίσκεψη στον Μελιγαλά· ζητά εργασία")
    press(chrome, f"{record}/contacts", "Καταχωρίστηκε.")
    open_form(chrome, "Καταγραφή αξιολόγησης αναγκών")
    chrome.find_element(By.CSS_SELECTOR, "input[name=needs][value=employment]").click()
    chrome.find_element(By.ID, "housing").send_keys("ενοίκιο")
    press(chrome, f"{record}/assessments", "Καταχωρίστηκε.")
    assert shows(chrome, "Αξιολόγηση αναγκών")

    # consent for ΔΥΠΑ, chosen by its name from the registry
    open_form(chrome, "Συγκατάθεση")
    Select(chrome.find_element(By.ID, "consent_recipient")).select_by_visible_text(DYPA)
    chrome.find_element(By.ID, "purpose").send_keys("Παραπομπή για εργασία")
    shot(chrome, "15-referral-01-consent-by-name")
    press(chrome, f"{record}/consents", "Η συγκατάθεση καταχωρίστηκε.")

    # the need chosen, the proposals re-filtered, ΔΥΠΑ picked by name
    open_form(chrome, "Παραπομπή")
    Select(chrome.find_element(By.ID, "need")).select_by_visible_text("Απασχόληση")
    chrome.find_element(By.CSS_SELECTOR, "form.need-filter button").click()
    assert shows(chrome, "προτάσεις για «Απασχόληση»")
    Select(chrome.find_element(By.ID, "recipient")).select_by_visible_text(DYPA)
    chrome.find_element(By.NAME, "shares_personal_data").click()
    chrome.find_element(By.ID, "refer").location_once_scrolled_into_view  # noqa: B018
    shot(chrome, "15-referral-02-proposals-by-name")
    press(chrome, f"{record}/referrals", "Η παραπομπή καταχωρίστηκε.")
    chrome.find_element(By.XPATH, "//button[text()='Αποστολή']").click()
    assert shows(chrome, "Η παραπομπή στάλθηκε στον αποδέκτη.")
    chrome.find_element(By.ID, "referrals").location_once_scrolled_into_view  # noqa: B018
    shot(chrome, "15-referral-03-sent")

    # ΔΥΠΑ: the person by name and phone (their consent covers ΔΥΠΑ); each step confirmed
    log_in(chrome, base, "dypa.officer")
    chrome.get(f"{base}/inbox")
    assert shows(chrome, "Αναστασίου Μαρία") and shows(chrome, "6944123456")
    shot(chrome, "15-referral-04-inbox-with-the-person")
    chrome.find_element(By.XPATH, "//button[text()='Παραλαβή']").click()
    assert shows(chrome, "Η παραλαβή καταχωρίστηκε.")
    chrome.find_element(By.XPATH, "//button[text()='Αποδοχή']").click()
    assert shows(chrome, "Η παραπομπή έγινε δεκτή.")
    outcome = chrome.find_element(By.CSS_SELECTOR, "select[name=outcome]")
    Select(outcome).select_by_visible_text("Δόθηκε η υπηρεσία")
    chrome.find_element(By.CSS_SELECTOR, "input[name=notes]").send_keys(
        "Εντάχθηκε σε πρόγραμμα κοινωφελούς εργασίας"
    )
    shot(chrome, "15-referral-05-outcome-form")
    chrome.find_element(By.XPATH, "//button[text()='Ολοκλήρωση']").click()
    assert shows(chrome, "Η έκβαση καταχωρίστηκε")
    shot(chrome, "15-referral-06-outcome-confirmed")
    Select(chrome.find_element(By.ID, "state")).select_by_visible_text("Ολοκληρώθηκε")
    chrome.find_element(By.CSS_SELECTOR, "form.filters button").click()
    assert shows(chrome, "1 παραπομπές · σελίδα 1 από 1")
    chrome.set_window_size(412, 1400)
    shot(chrome, "15-referral-07-inbox-filtered-412px")
    chrome.set_window_size(1280, 1400)

    # the case worker reads the outcome on the record
    log_in(chrome, base, "kalamata.worker")
    chrome.get(f"{base}{record}")
    referrals = chrome.find_element(By.ID, "referrals")
    referrals.location_once_scrolled_into_view  # noqa: B018
    assert "Ολοκληρώθηκε" in referrals.text and "Δόθηκε η υπηρεσία" in referrals.text
    assert "Εντάχθηκε σε πρόγραμμα κοινωφελούς εργασίας" in referrals.text
    shot(chrome, "15-referral-08-outcome-on-the-record")
    chrome.set_window_size(412, 1400)
    chrome.find_element(By.ID, "referrals").location_once_scrolled_into_view  # noqa: B018
    shot(chrome, "15-referral-09-outcome-on-the-record-412px")
