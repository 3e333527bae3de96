"""The beneficiary search against the running platform: beginnings of words in Greek, unaccented
or Greeklish, a count, an order and pages of 20, only the caller's network counted, and the
portal's pages posted (never a name in the address)."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from contracts.geography import municipality
from tests.e2e.test_accessibility import check
from tests.e2e.test_web_portal import browser
from tests.support.browser import log_in, shot, shows

GIVEN = ["Άννα", "Βασίλειος", "Γεώργιος", "Δήμητρα", "Ελένη", "Ζωή", "Ηλίας", "Θεόδωρος"]


def test_the_beginning_of_a_name_finds_the_person_in_greek_unaccented_and_greeklish(gateway):
    beneficiary = gateway.register_only("kalamata.worker", "MU-KALAMATA")
    worker = gateway.client("kalamata.worker")
    for typed in ("Παπαδοπ", "παπαδοπ", "ΠΑΠΑΔΌΠ", "papadop", "Γεωργ Παπαδ", "georg papad"):
        answer = worker.search(typed).json()
        assert [r["beneficiary_id"] for r in answer["results"]] == [beneficiary], typed
    (found,) = worker.search("Παπαδοπ").json()["results"]
    assert (found["birth_year"], found["municipality_name"], found["site_name"]) == (
        1980,
        municipality("9256").name_el,
        "Κινητή Μονάδα Καλαμάτα",
    )
    assert worker.search("Παπαδοπουλοι").json()["results"] == []  # more than the name is nothing


def test_results_are_counted_ordered_by_family_then_given_name_and_paged_by_twenty(gateway):
    for n in range(23):
        family = ("Παπαδοπούλου", "Παπαδάκης", "Παπαδόγιαννη")[n % 3]
        gateway.register_only(
            "kalamata.worker",
            "MU-KALAMATA",
            given_name=GIVEN[n % 8],
            family_name=family,
            birth_date=f"19{50 + n}-01-01",
        )
    gateway.register_only("sparti.worker", "KK-SPARTI", family_name="Παπαδάτος")  # not counted
    worker = gateway.client("kalamata.worker")
    first, second = (
        worker.post("/beneficiaries/search", {"q": "papad", "page": p}).json() for p in (1, 2)
    )
    assert (first["count"], first["pages"], first["per_page"], first["capped"]) == (
        23,
        2,
        20,
        False,
    )
    assert (len(first["results"]), len(second["results"]), second["page"]) == (20, 3, 2)
    rows = [
        (r["family_name"], r["given_name"], r["birth_year"])
        for r in first["results"] + second["results"]
    ]
    assert [r[0] for r in rows[:8]] == ["Παπαδάκης"] * 8 and rows[8][0] == "Παπαδόγιαννη"
    assert rows == sorted(
        rows, key=lambda r: (r[0].replace("ά", "α").replace("ό", "ο"), r[1], r[2])
    )
    past_the_end = worker.post("/beneficiaries/search", {"q": "papad", "page": 9}).json()
    assert past_the_end["page"] == 2 and past_the_end["results"] == second["results"]


def test_a_page_that_is_not_a_positive_number_is_refused_naming_the_field(gateway):
    answer = gateway.client("kalamata.worker").post(
        "/beneficiaries/search", {"q": "παπ", "page": 0}
    )
    assert answer.status_code == 422 and "page" in answer.json()["details"]


def test_only_the_people_shown_on_the_page_are_audited(gateway):
    for given in GIVEN * 3:
        gateway.register_only("kalamata.worker", "MU-KALAMATA", given_name=given)
    last = gateway.register_only("kalamata.worker", "MU-KALAMATA", given_name="Ωριγένης")
    shown = gateway.client("kalamata.head").search("Παπαδόπουλος").json()["results"]
    assert last not in [r["beneficiary_id"] for r in shown]  # Ωριγένης is 25th: on page 2

    def audited(beneficiary: str) -> list[str]:
        views = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
        return [v["purpose"] for v in views if v["viewer"] == "kalamata.head"]

    assert audited(shown[0]["beneficiary_id"]) == ["search"] and audited(last) == []


def test_the_portal_pages_the_results_by_form_posts_never_by_address(gateway):
    for given in GIVEN * 3:
        gateway.register_only("kalamata.worker", "MU-KALAMATA", given_name=given)
    worker = browser(gateway, "kalamata.worker")
    page = worker.post(f"{gateway.base}/search", data={"q": "papadop"}).text
    assert "Βρέθηκαν: 24" in page and "σελίδα 1 από 2" in page
    assert len(re.findall(r'href="/beneficiaries/[0-9a-f-]{36}"', page)) == 20
    assert 'name="page" value="2"' in page and "?q=" not in page and "page=" not in page
    second = worker.post(f"{gateway.base}/search", data={"q": "papadop", "page": "2"}).text
    assert len(re.findall(r'href="/beneficiaries/[0-9a-f-]{36}"', second)) == 4
    assert 'name="page" value="1"' in second and "Επόμενη σελίδα" not in second


@pytest.mark.slow
def test_the_search_pages_through_its_results_in_chromium_at_1366_and_412_px(gateway, chrome):
    """Screenshots 15-search-*: the results, counted and paged, at both widths, with no serious
    accessibility violation and nothing wider than the screen."""
    for n, given in enumerate(GIVEN * 3):
        family = ("Παπαδόπουλος", "Παπαδοπούλου")[n % 2]
        gateway.register_only(
            "kalamata.worker", "MU-KALAMATA", given_name=given, family_name=family
        )
    log_in(chrome, gateway.base, "kalamata.worker")
    chrome.get(f"{gateway.base}/search")
    chrome.find_element(By.ID, "q").send_keys("παπαδοπ")
    chrome.find_element(By.ID, "q").submit()
    assert shows(chrome, "Βρέθηκαν: 24") and shows(chrome, "σελίδα 1 από 2")
    assert check(chrome, "15-search-page-1") == []
    chrome.find_element(By.XPATH, "//button[contains(., 'Επόμενη σελίδα')]").click()
    assert shows(chrome, "σελίδα 2 από 2") and "?" not in chrome.current_url
    assert check(chrome, "15-search-page-2") == []
    chrome.find_element(By.ID, "q").clear()
    chrome.find_element(By.ID, "q").send_keys("Παπαδόπουλος Γεωργ")
    chrome.find_element(By.ID, "q").submit()
    assert shows(chrome, "Βρέθηκαν: 3")
    chrome.set_window_size(412, 900)
    shot(chrome, "15-search-whole-words-first-412")
