"""The record's forms in headless Chromium: a mobile-unit worker registers someone already on
file (the register form starts at the unit's own municipality, gender chosen in words), sees the
warning with the other record's name, birth year and centre, asks for a merge from it and records
a needs assessment; the head of centre approves the merge from their list. Screenshots at 1366
and 412 px wide in test-artifacts/screenshots."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.support.browser import log_in, open_form, shot, shows


def both_widths(driver, name: str) -> None:
    for width in (1366, 412):
        driver.set_window_size(width, 1400)
        shot(driver, f"{name}-{width}")
    driver.set_window_size(1366, 1400)


@pytest.mark.slow
def test_a_worker_asks_for_a_merge_from_the_warning_and_the_head_approves(gateway, chrome):
    first = gateway.register(
        "kalamata.worker",
        "MU-KALAMATA",
        given_name="Σταυρούλα",
        family_name="Μαυρίδου",
        birth_date="1961-07-21",
        municipality_code="9253",
    )
    base = gateway.base
    log_in(chrome, base, "kalamata.worker")
    chrome.get(f"{base}/register")
    town = Select(chrome.find_element(By.ID, "municipality_code")).first_selected_option.text
    assert town == "Δυτική Μάνη"  # the unit's first partner municipality, not Άργος-Μυκήνες
    chrome.find_element(By.ID, "given_name").send_keys("Σταυρούλα")
    chrome.find_element(By.ID, "family_name").send_keys("Μαυρίδου")
    # a date field's typing order follows the browser's locale: set the value as the form sends it
    chrome.execute_script(
        "arguments[0].value = '1961-07-21'", chrome.find_element(By.ID, "birth_date")
    )
    Select(chrome.find_element(By.ID, "gender")).select_by_visible_text("Γυναίκα")
    shot(chrome, "20-register-form")
    chrome.find_element(By.ID, "given_name").submit()
    assert shows(chrome, "Πιθανώς το ίδιο πρόσωπο")
    warning = chrome.find_element(By.CSS_SELECTOR, "section.warn").text
    assert "Μαυρίδου Σταυρούλα, γεννήθηκε το 1961 · Κινητή Μονάδα Καλαμάτα" in warning
    assert "Φύλο: Γυναίκα" in chrome.page_source
    both_widths(chrome, "21-duplicate-warning")
    chrome.find_element(By.ID, "merge-reason-1").send_keys("Ίδια διεύθυνση και τηλέφωνο")
    chrome.find_element(By.ID, "merge-reason-1").submit()
    assert shows(chrome, "Καταχωρίστηκε.")
    second = chrome.current_url.split("?")[0].rsplit("/", 1)[1]

    open_form(chrome, "Καταγραφή αξιολόγησης αναγκών")
    chrome.find_element(By.ID, "housing").send_keys("ενοίκιο")
    chrome.find_element(By.CSS_SELECTOR, "input[name=groups][value=poverty]").click()
    Select(chrome.find_element(By.ID, "labour_status")).select_by_visible_text(
        "Μακροχρόνια άνεργος/η"
    )
    shot(chrome, "22-assessment-form")
    chrome.find_element(By.ID, "housing").submit()
    assert shows(chrome, "Καταχωρίστηκε.")
    summary = chrome.find_element(
        By.XPATH, "//section[h2[normalize-space()='Αξιολόγηση αναγκών']]/p"
    ).text  # the record's summary of the assessment, in words
    assert "Ευάλωτες ομάδες: Κίνδυνος φτώχειας" in summary
    assert "Κατάσταση στην αγορά εργασίας: Μακροχρόνια άνεργος/η" in summary

    chrome.delete_all_cookies()
    log_in(chrome, base, "kalamata.head")
    chrome.get(f"{base}/merge-requests")
    assert shows(chrome, "Αιτήματα συγχώνευσης") and "Kalamata Worker" in chrome.page_source
    both_widths(chrome, "23-merge-requests")
    reason = chrome.find_element(By.ID, f"reason-approval-1-{second}")
    reason.send_keys("Ίδιο πρόσωπο: επιβεβαιώθηκε τηλεφωνικά")
    reason.submit()
    assert shows(chrome, "Η απόφαση καταχωρίστηκε.")
    record = gateway.client("kalamata.head").get(f"/beneficiaries/{second}").json()
    assert record["records"] == [first, second]
