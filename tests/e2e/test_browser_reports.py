"""The report pages in headless Chromium, in Greek: the regional coordinator opens each report, sees
its chart drawn by Chart.js (served by the gateway, no CDN, no inline script) beside its table and
downloads the XLSX, which opens; the head of a centre reads the daily register with a chart.
Screenshots 15-reports-*.png in test-artifacts/screenshots."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from tests.e2e.test_gateway_tour import _released_month
from tests.support.browser import log_in, shot, shows

REPORTS = {  # page -> its heading, and its first chart's table
    "/overview": ("Περιφερειακή εικόνα", "trend"),
    "/reports/esf": ("Δείκτες ΕΚΤ+", "participants"),
    "/reports/coverage": ("Κάλυψη ανά 1.000 κατοίκους", "coverage"),
    "/reports/targets": ("Στόχοι και χρόνος", "targets"),
    "/reports/referral-flow": ("Ροή παραπομπών", "funnel"),
    "/reports/staffing": ("Στελέχωση και φόρτος", "staffing"),
}


def whole_page_shot(driver, name: str) -> None:
    """The whole page, not only what the window shows: the charts and tables below too."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 120, 6000))
    shot(driver, name)
    driver.set_window_size(width, 1400)


def drawn(driver, canvas_id: str) -> dict:
    """What Chart.js drew on the canvas: its type and datasets, as the library holds them."""
    return driver.execute_script(
        "const c = Chart.getChart(document.getElementById(arguments[0]));"
        "return c ? {type: c.config.type, data: c.data.datasets.map(d => d.data)} : null;",
        canvas_id,
    )


def numbers(chart: dict | None) -> list:
    """The figures a chart drew (a gap, null, is none)."""
    assert chart is not None, "no chart drawn"
    return [v for series in chart["data"] for v in series if v is not None]


def downloaded(folder: Path, seconds: float = 15) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.glob("*.xlsx")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no XLSX downloaded into {folder}: {list(folder.iterdir())}")


@pytest.mark.slow
def test_the_coordinator_opens_each_report_sees_its_chart_and_downloads_the_xlsx(
    gateway, chrome, tmp_path
):
    month, moment = _released_month()
    # people a mobile unit registered in a released month: in a region this small every
    # figure that leaves the centres is hidden (disclosure control), so the charts have gaps
    # where a table says "εμπ." and never a number that was hidden
    for n in range(7):  # people the unit registered in a month now released
        gateway.register_back_then(
            "kalamata.worker",
            "MU-KALAMATA",
            moment,
            given_name="Ελένη",
            family_name=f"Δοκιμαστική {n}",
            birth_date=f"19{60 + n}-05-0{1 + n % 9}",
            municipality_code="9256",
        )
    chrome.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    log_in(chrome, gateway.base, "coordinator")
    for n, (page, (heading, chart)) in enumerate(REPORTS.items(), 1):
        query = "" if page in ("/reports/esf", "/reports/staffing") else f"?period={month}"
        chrome.get(f"{gateway.base}{page}{query}")
        assert shows(chrome, f'<h1 id="report-title">{heading}</h1>')
        # its chart beside its table, or, where every figure of the table is hidden, the note
        # that says so: a hidden cell is never drawn as a number
        if page in ("/reports/targets", "/reports/staffing"):  # the network's facts: public
            assert numbers(drawn(chrome, f"chart-{chart}")), page
        else:
            assert chrome.find_elements(By.ID, f"nothing-{chart}"), page
        table = chrome.find_element(By.ID, f"t-{chart}")
        assert table.find_elements(By.CSS_SELECTOR, "thead th")  # headers, not bare cells
        whole_page_shot(chrome, f"15-reports-{n}-{page.rsplit('/', 1)[1]}")
        for old in tmp_path.glob("*"):
            old.unlink()
        chrome.find_element(By.LINK_TEXT, "XLSX").click()
        book = load_workbook(downloaded(tmp_path))
        assert book.sheetnames and book.worksheets[0].max_row > 1, page

    chrome.get(f"{gateway.base}/overview?period={month}")
    text = chrome.find_element(By.TAG_NAME, "main").text
    # every site by name (those with no activity too), never its code; headers; Greek
    assert "Κινητή Μονάδα" in text or "Κ.Κ." in text or "Κέντρο" in text
    assert "KK-" not in text and "MU-" not in text
    assert "εμπ." in text  # hidden cells are marked, not drawn
    chrome.get(f"{gateway.base}/reports/targets?period={month}")
    assert shows(chrome, "του στόχου") and "της περιόδου" in chrome.page_source
    chrome.set_window_size(412, 1400)  # a phone's width: the chart shrinks, the table scrolls
    chrome.get(f"{gateway.base}/reports/targets?period={month}")
    assert chrome.find_element(By.ID, "chart-targets").get_attribute("data-drawn") == "true"
    whole_page_shot(chrome, "15-reports-targets-412")


@pytest.mark.slow
def test_the_head_reads_the_daily_register_and_their_own_figures_with_charts(gateway, chrome):
    gateway.register("kalamata.worker", "MU-KALAMATA")
    gateway.register("kalamata.head", "KK-KALAMATA")
    log_in(chrome, gateway.base, "kalamata.head")
    chrome.get(f"{gateway.base}/daily?site=MU-KALAMATA")
    assert shows(chrome, "Ανά εβδομάδα")
    assert chrome.find_element(By.ID, "chart-weeks").get_attribute("data-drawn") == "true"
    assert drawn(chrome, "chart-weeks")["data"] == [[1]]  # one registration this week
    assert "Εγγραφή στο μητρώο" in chrome.find_element(By.ID, "t-weeks").text
    whole_page_shot(chrome, "15-reports-daily-head")
    # the centre's own figures never leave it: whole, live, drawn
    chrome.get(f"{gateway.base}/reports/targets")
    assert shows(chrome, "Διευρυμένο Κέντρο Κοινότητας Καλαμάτα:")
    reached, elapsed = drawn(chrome, "chart-targets")["data"]
    assert reached == [round(100 * 2 / 900, 1)] and elapsed[0] > 0  # two of 900, so far
    whole_page_shot(chrome, "15-reports-targets-head")
    chrome.get(f"{gateway.base}/reports/staffing")
    assert shows(chrome, "Φόρτος ανά στέλεχος")
    whole_page_shot(chrome, "15-reports-staffing-head")
