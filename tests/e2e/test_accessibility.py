"""Every page of the portal, as each role sees it, in headless Chromium at 1366 and 412 px wide:
axe-core (tests/support/axe.py) finds no serious or critical WCAG 2.1 AA violation, and nothing
is wider than the screen. The pages are found by following the header's links (a page another
change adds to the header is checked too) plus EXTRA_PATHS (pages no header links to). And the
main forms used with the keyboard alone. Screenshots: test-artifacts/screenshots/15-a11y-*."""

from __future__ import annotations

import re
import uuid

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.e2e.gateway_platform import PASSWORD, referral_to_dypa
from tests.support.axe import describe, violations
from tests.support.browser import log_in, shot, shows
from tests.support.clock import today_in_greece

WIDTHS = {"wide": 1366, "narrow": 412}
# pages no header links to, by role: {mu} is a person of the Kalamata mobile unit, {sparti} one of
# the Sparti centre (for the Kalamata head: not theirs, the page that offers breaking the glass)
EXTRA_PATHS = {
    "kalamata.worker": ["/beneficiaries/{mu}"],
    "sparti.worker": ["/beneficiaries/{sparti}"],
    "kalamata.head": ["/beneficiaries/{mu}", "/beneficiaries/{sparti}"],
    "dypa.officer": [],
    "coordinator": [],
    "dpo": ["/subject-rights?beneficiary={mu}"],
    "ops": [],
}
SEARCHES = {"kalamata.worker", "sparti.worker", "kalamata.head"}  # and the results page
TODAY = today_in_greece().isoformat()


def people(gateway) -> dict:
    """A person of the mobile unit with a contact and a referral sent to ΔΥΠΑ (their record's
    tables and the agency's inbox have rows), and one of the Sparti centre."""
    mu = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker, referral = gateway.client("kalamata.worker"), str(uuid.uuid4())
    contact = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": TODAY,
        "channel": "mobile_unit_visit",
        "municipality_code": "9256",
        "site": "MU-KALAMATA",
        "staff_id": "kalamata.worker",
        "notes": "Επίσκεψη στο σπίτι",
    }
    assert worker.post(f"/beneficiaries/{mu}/contacts", contact).status_code < 300
    assert worker.post("/referrals", referral_to_dypa(mu, referral)).status_code < 300
    sent = {"command_id": str(uuid.uuid4()), "expected_version": 1, "sent_on": TODAY}
    assert worker.post(f"/referrals/{referral}/sending", sent).status_code < 300
    sparti = gateway.register("sparti.worker", "KK-SPARTI", given_name="Ελένη")
    gateway.catch_up()
    return {"mu": mu, "sparti": sparti}


def header_links(driver) -> list[str]:
    """The pages the header offers this role (the language switch and the home page aside)."""
    found = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "header a")]
    return [re.sub(r"^https?://[^/]+", "", h) for h in found if h and "lang=" not in h]


def check(driver, name: str) -> list[str]:
    """The page at each width: its axe violations and any sideways overflow, as failures; a
    screenshot of the whole page at each width."""
    failures = []
    for label, width in WIDTHS.items():
        driver.set_window_size(width, 900)
        height, frame = driver.execute_script(
            "return [document.documentElement.scrollHeight, outerHeight - innerHeight]"
        )
        driver.set_window_size(width, min(max(height + frame, 900), 8000))  # the whole page
        shot(driver, f"{name}-{width}" if name.startswith("15-") else f"15-a11y-{name}-{width}")
        found = violations(driver)
        if found:
            failures.append(f"{name} at {width} px:\n{describe(found)}")
        wider = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if wider > 0:
            failures.append(f"{name} at {width} px is {wider} px wider than the screen ({label})")
    return failures


def slug(path: str) -> str:
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "id", path)
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.slow
def test_the_login_page_has_no_serious_accessibility_violation(gateway, chrome):
    chrome.get(f"{gateway.base}/login")
    assert check(chrome, "login") == []


@pytest.mark.slow
@pytest.mark.parametrize("username", list(EXTRA_PATHS))
def test_every_page_of_a_role_has_no_serious_accessibility_violation(gateway, chrome, username):  # noqa: F811
    ids = people(gateway)
    log_in(chrome, gateway.base, username)
    role = username.replace(".", "-")
    failures = check(chrome, f"{role}-home")
    paths = header_links(chrome) + [p.format(**ids) for p in EXTRA_PATHS[username]]
    for path in dict.fromkeys(p for p in paths if p not in ("/", "")):
        chrome.get(f"{gateway.base}{path}")
        failures += check(chrome, f"{role}-{slug(path)}")
    if username in SEARCHES:
        chrome.get(f"{gateway.base}/search")
        chrome.find_element(By.ID, "q").send_keys("παπαδοπ")
        chrome.find_element(By.ID, "q").submit()
        assert shows(chrome, "Βρέθηκαν")
        failures += check(chrome, f"{role}-search-results")
    assert failures == [], "\n\n".join(failures)


def tab_to(driver, found, limit: int = 80):
    """Tab (the keyboard only) until the focused element is the one `found(element)` wants."""
    for _ in range(limit):
        here = driver.switch_to.active_element
        if found(here):
            return here
        ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError("not reached with the Tab key")


def by_id(name: str):
    return lambda element: element.get_attribute("id") == name


@pytest.mark.slow
def test_the_main_forms_work_with_the_keyboard_alone(gateway, chrome):
    """Log in, search, open a result, register a person, record a contact: Tab, typing, Enter
    and the arrow keys, never a click."""
    gateway.register("kalamata.worker", "MU-KALAMATA")
    chrome.get(f"{gateway.base}/login")
    tab_to(chrome, by_id("username")).send_keys("kalamata.worker", Keys.TAB)
    chrome.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    assert shows(chrome, "/logout")

    chrome.get(f"{gateway.base}/inbox")  # a page with nothing focused first: from its top
    ActionChains(chrome).send_keys(Keys.TAB).perform()  # the first stop: skip to the content
    assert chrome.switch_to.active_element.get_attribute("class") == "skip"
    tab_to(chrome, lambda e: e.text == "Αναζήτηση ωφελούμενου").send_keys(Keys.ENTER)
    tab_to(chrome, by_id("q")).send_keys("papadop", Keys.ENTER)
    assert shows(chrome, "Βρέθηκαν: 1")
    shot(chrome, "15-a11y-keyboard-search")
    tab_to(chrome, lambda e: e.text == "Παπαδόπουλος").send_keys(Keys.ENTER)
    assert shows(chrome, "Διαδρομή")

    chrome.get(f"{gateway.base}/register")
    tab_to(chrome, by_id("given_name")).send_keys("Ευαγγελία", Keys.TAB)
    chrome.switch_to.active_element.send_keys("Κωνσταντοπούλου", Keys.TAB)
    chrome.switch_to.active_element.send_keys("03031985", Keys.TAB)  # dd mm yyyy (or mm dd)
    chrome.switch_to.active_element.send_keys("Καλαμάτα")  # a select chooses by typing
    tab_to(chrome, by_id("phone")).send_keys("2721000000", Keys.ENTER)
    assert shows(chrome, "Κωνσταντοπούλου Ευαγγελία")

    summary = tab_to(chrome, lambda e: e.tag_name == "summary")  # "Καταγραφή επαφής", folded
    summary.send_keys(Keys.ENTER)
    tab_to(chrome, by_id("cn")).send_keys("Ήρθε στο κέντρο για πληροφορίες")
    shot(chrome, "15-a11y-keyboard-contact")
    tab_to(chrome, lambda e: e.tag_name == "button").send_keys(Keys.ENTER)
    assert shows(chrome, "Καταχωρίστηκε.")


@pytest.mark.slow
def test_a_form_that_comes_back_with_errors_names_them_at_their_fields(gateway, chrome):
    log_in(chrome, gateway.base, "kalamata.worker")
    chrome.get(f"{gateway.base}/register")
    chrome.find_element(By.ID, "given_name").send_keys("Ελένη")
    chrome.find_element(By.ID, "family_name").send_keys("Σταθοπούλου")
    chrome.find_element(By.ID, "amka").send_keys("12345678901", Keys.ENTER)  # a wrong check digit
    assert shows(chrome, 'class="field-error"')
    amka = chrome.find_element(By.ID, "amka")
    assert amka.get_attribute("aria-invalid") == "true"
    assert chrome.find_element(By.ID, amka.get_attribute("aria-describedby")).text
    assert check(chrome, "register-errors") == []
