"""The mobile unit's offline app (issue 16), page by page in headless Chromium: accessible (axe,
WCAG 2.1 AA) on every page and offline; Greek by default, English on request (the platform's
refusals too), dates dd/mm/yyyy; a wrong password or another worker cannot open a trip offline;
a logout with unsent work asks first; an expired download is deleted at the next unlock while the
outbox stays; the service worker caches only the app's own files. The day offline itself is
tests/e2e/test_mobile_offline.py, whose helpers these tests share.
Screenshots: test-artifacts/screenshots/16-pages-*.png."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.gateway_platform import PASSWORD
from tests.e2e.test_mobile_offline import (
    ELENI,
    WORKER,
    app_shows,
    download_the_day,
    fill_form,
    network,
    open_person,
    pending,
    raw_indexeddb,
    readable_secrets,
    unlock,
    worker_controls,
)
from tests.support.axe import describe, violations
from tests.support.browser import shot, start_chromium

MOBILE = Path(__file__).resolve().parents[2] / "clients" / "mobile"
WRONG_LOGIN = "Λάθος όνομα χρήστη ή κωδικός."
# the referral's refusal when it would share personal data with no consent in force, as the
# platform says it (services' message catalogue) in each language
NO_CONSENT = {"el": "Η συγκατάθεση του ωφελούμενου δεν καλύπτει", "en": "consent does not cover"}
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def app_words() -> dict:
    """The app's own WORDS (clients/mobile/src/words.js), read by Node from the source itself."""
    node, esbuild = shutil.which("node"), MOBILE / "node_modules" / ".bin" / "esbuild"
    if node is None or not esbuild.exists():
        pytest.fail("node or clients/mobile's esbuild is missing: run scripts/bootstrap")
    bundled = subprocess.run(
        [str(esbuild), str(MOBILE / "src" / "words.js"), "--bundle", "--format=cjs"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script = bundled + "\nprocess.stdout.write(JSON.stringify(module.exports.WORDS));"
    done = subprocess.run([node, "-"], input=script, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def english_only(words: dict) -> list[str]:
    """The English texts a Greek page must never show: each WORDS.en value that is not also the
    Greek one, cut at its {placeholders}; the language switch ("Ελληνικά") is Greek itself."""
    texts = [v for k, v in words["en"].items() if v != words["el"].get(k) and k != "language"]
    parts = {p.strip(" .:·—") for v in texts for p in re.split(r"\{\w+\}", v)}
    return sorted(p for p in parts if len(p) > 3 and re.search("[A-Za-z]", p))


def body(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


SAID = """return [document.title, document.body.innerText,
  ...[...document.querySelectorAll("[aria-label]")].map((e) => e.getAttribute("aria-label")),
  ...[...document.querySelectorAll("a.skip")].map((e) => e.textContent)].join("\\n");"""


def said(driver) -> str:
    """What the page says, to the eye and to a screen reader: its title, text and labels."""
    return driver.execute_script(SAID)


def fold_open(driver) -> int:
    """Every folded form of the person's page opened: what axe and a reader must see."""
    forms = driver.find_elements(By.CSS_SELECTOR, "details.form")
    for form in forms:
        driver.execute_script("arguments[0].open = true", form)
    return len(forms)


def crawl(driver, gateway, check) -> None:
    """The app's pages in a worker's order, `check(name)` on each: the login, the home page after
    the download, a person with every form open, the registration, the home page offline; online
    again at the end, on the home page, logged in."""
    driver.get(f"{gateway.base}/mobile/")
    app_shows(driver, "Κωδικός")
    check("login")
    unlock(driver)
    driver.find_element(By.ID, "download").click()
    app_shows(driver, "1 ωφελούμενος")
    check("home")
    open_person(driver, "papadaki", "Ελένη Παπαδάκη")
    assert fold_open(driver) >= 6
    check("person")
    driver.get(f"{gateway.base}/mobile/#register")
    app_shows(driver, "Νέα εγγραφή ωφελούμενου")
    check("register")
    driver.get(f"{gateway.base}/mobile/#")
    network(driver, online=False)
    app_shows(driver, "Χωρίς σύνδεση")
    check("offline")
    network(driver, online=True)
    app_shows(driver, "Σε σύνδεση")


@pytest.mark.slow
def test_every_page_of_the_app_passes_axe_online_and_offline(gateway):
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium()
    found = {}

    def check(page: str) -> None:
        shot(driver, f"16-pages-axe-{page}")
        found[page] = describe(violations(driver))

    try:
        crawl(driver, gateway, check)
    finally:
        driver.quit()
    assert found == dict.fromkeys(["login", "home", "person", "register", "offline"], "")


@pytest.mark.slow
def test_the_app_speaks_greek_and_english_on_request_and_so_do_the_platforms_refusals(gateway):
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    words = app_words()
    english = english_only(words)
    assert {"Download the day", "Unlock the trip", "Account"} <= set(english)
    greek = ["Κωδικός", "Αναζήτηση με όνομα", "Ατομικό σχέδιο δράσης", "Νέα εγγραφή ωφελούμενου"]
    seen = {}
    driver = start_chromium()

    def check(page: str) -> None:
        text = said(driver)
        seen[page] = text
        assert [e for e in english if e in text] == [], page

    try:
        crawl(driver, gateway, check)
        assert all(g in "\n".join(seen.values()) for g in greek)
        assert DATE.search(driver.find_element(By.ID, "day").text)  # downloaded dd/mm/yyyy HH:MM
        assert "03/03/1980" in seen["home"]  # the birth date beside her name
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2}\b", "\n".join(seen.values()))

        # a referral sharing her data with no consent in force: recorded offline, refused at sync
        open_person(driver, "Ελένη", "Ελένη Παπαδάκη")
        fill_form(
            driver,
            "Αίτημα παραπομπής",
            choices={
                "need": "Απασχόληση",
                "recipient": "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας",
                "shares_personal_data": "Ναι",
            },
        )
        driver.get(f"{gateway.base}/mobile/#")
        assert pending(driver) == 1

        # English on request: the app's words, and the platform's answer asked in English
        driver.find_element(By.ID, "language").click()
        app_shows(driver, "To sync (1)")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
        assert driver.find_element(By.ID, "language").text == "Ελληνικά"
        assert driver.title.endswith("Community Centre Mobile Unit")
        assert driver.find_element(By.ID, "account").get_attribute("aria-label") == "Account"
        driver.find_element(By.ID, "sync").click()
        app_shows(driver, "0 recorded, 0 already recorded, 0 in conflict, 1 refused")
        refusal = driver.find_element(By.CSS_SELECTOR, "li.item .item-error").text
        assert NO_CONSENT["en"] in refusal and NO_CONSENT["el"] not in refusal
        assert "refused" in driver.find_element(By.CSS_SELECTOR, "li.item .item-status").text
        assert DATE.search(driver.find_element(By.CSS_SELECTOR, "li.item").text)
        shot(driver, "16-pages-english-refused")
        driver.find_element(By.ID, "search").send_keys("Eleni")
        driver.find_element(By.LINK_TEXT, "Ελένη Παπαδάκη").click()
        app_shows(driver, "Individual action plan")
        shot(driver, "16-pages-english-person")
        assert "Ατομικό σχέδιο δράσης" not in body(driver)
    finally:
        driver.quit()


def download_and_record(driver, gateway) -> None:
    """Logged in, the day downloaded, one contact recorded on Eleni: one command in the outbox."""
    download_the_day(driver, gateway.base, "1 ωφελούμενος")
    open_person(driver, "Ελένη", "Ελένη Παπαδάκη")
    fill_form(driver, "Επαφή", choices={"channel": "Επίσκεψη Κινητής Μονάδας"})
    driver.get(f"{gateway.base}/mobile/#")
    assert pending(driver) == 1


def try_unlock(driver, username: str, password: str) -> None:
    app_shows(driver, "Ξεκλείδωμα της εξόρμησης")
    driver.find_element(By.CSS_SELECTOR, "#login input[name=username]").send_keys(username)
    driver.find_element(By.CSS_SELECTOR, "#login input[name=password]").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()


@pytest.mark.slow
def test_a_wrong_password_or_another_worker_cannot_open_the_trip_offline(gateway):
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium()
    try:
        download_and_record(driver, gateway)
        worker_controls(driver)
        network(driver, online=False)
        driver.refresh()
        try_unlock(driver, WORKER, "not-" + PASSWORD)
        app_shows(driver, WRONG_LOGIN)
        assert "Προς συγχρονισμό" not in body(driver)
        shot(driver, "16-pages-wrong-password")
        try_unlock(driver, "kalamata.head", PASSWORD)
        app_shows(driver, "ανήκει σε άλλον χρήστη")
        assert "Προς συγχρονισμό" not in body(driver)
        dump = raw_indexeddb(driver)
        assert dump and "outbox" in dump and readable_secrets(dump) == []
        unlock(driver)  # the right worker still opens it: nothing was wiped
        assert pending(driver) == 1
    finally:
        driver.quit()


@pytest.mark.slow
def test_logging_out_with_unsent_work_asks_first(gateway):
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium()
    try:
        download_and_record(driver, gateway)
        driver.find_element(By.ID, "logout").click()
        asked = WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert)
        assert "1 καταχωρίσεις" in asked.text
        asked.dismiss()
        assert pending(driver) == 1
        assert raw_indexeddb(driver) is not None
        driver.find_element(By.ID, "logout").click()
        WebDriverWait(driver, 5).until(lambda d: d.switch_to.alert).accept()
        app_shows(driver, "Σύνδεση κινητής μονάδας")
        assert raw_indexeddb(driver) is None  # the database itself is gone
    finally:
        driver.quit()


@pytest.fixture
def gateway_of_a_day(monkeypatch, request):
    """The platform with an offline window of 0 days (KENTRA_OFFLINE_DAYS, read from the
    environment when the gateway starts): a download expires the moment it is made."""
    monkeypatch.setenv("KENTRA_OFFLINE_DAYS", "0")
    return request.getfixturevalue("gateway")


@pytest.mark.slow
def test_an_expired_download_is_deleted_at_the_next_unlock_and_the_outbox_kept(
    gateway_of_a_day,
):
    gateway = gateway_of_a_day
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium()
    try:
        download_and_record(driver, gateway)
        driver.find_element(By.ID, "lock").click()
        unlock(driver)
        app_shows(driver, "Η λήψη της ημέρας έληξε και σβήστηκε από τη συσκευή")
        shot(driver, "16-pages-expired")
        assert pending(driver) == 1  # the contact is still to be sent
        assert driver.find_elements(By.ID, "people") == []
        assert "Δεν έχει γίνει λήψη της ημέρας" in body(driver)
        dump = json.loads(raw_indexeddb(driver) or "{}")
        assert dump["sealed"] == [] and len(dump["outbox"]) == 1
    finally:
        driver.quit()


CACHED = """
const done = arguments[arguments.length - 1];
(async () => {
  const out = {};
  for (const name of await caches.keys()) {
    out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  }
  done(out);
})();
"""


@pytest.mark.slow
def test_the_service_worker_caches_only_the_apps_own_files(gateway):
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium()
    try:
        download_and_record(driver, gateway)
        worker_controls(driver)
        driver.refresh()  # a load under the worker: whatever it would cache, it has now
        unlock(driver)
        driver.set_script_timeout(20)
        cached = driver.execute_async_script(CACHED)
    finally:
        driver.quit()
    urls = [url for found in cached.values() for url in found]
    assert urls, cached
    shell = re.compile(
        re.escape(gateway.base)
        + r"/mobile/[\w.-]+\.(html|js|css|webmanifest|svg)(\?__WB_REVISION__=\w+)?$"
    )
    assert [u for u in urls if not shell.match(u)] == []
    assert not any("/api/" in u for u in urls)


@pytest.mark.slow
def test_a_flapping_signal_keeps_what_the_worker_is_typing(gateway):
    """In the mountains the signal comes and goes: the header says so, the page is not redrawn."""
    gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium()
    try:
        download_the_day(driver, gateway.base, "1 ωφελούμενος")
        worker_controls(driver)
        open_person(driver, "Ελένη", "Ελένη Παπαδάκη")
        form = driver.find_element(By.XPATH, "//details[summary/h3[normalize-space()='Επαφή']]")
        form.find_element(By.TAG_NAME, "summary").click()
        form.find_element(By.NAME, "notes").send_keys("Ζητά ενημέρωση για το επίδομα")
        for online in (False, True, False):
            network(driver, online=online)
            app_shows(driver, "Σε σύνδεση" if online else "Χωρίς σύνδεση")
        notes = driver.find_element(By.XPATH, "//details[summary/h3[normalize-space()='Επαφή']]")
        assert notes.find_element(By.NAME, "notes").get_attribute("value") == (
            "Ζητά ενημέρωση για το επίδομα"
        )
    finally:
        driver.quit()
