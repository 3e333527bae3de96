"""A tablet whose clock runs a day ahead (issue 16): the app warns the worker as soon as it has
heard the platform's clock, and what was recorded offline at that wrong time is refused at the
sync with the platform's message, in Greek, kept on the tablet until the worker has seen it;
nothing of it reaches the event stores. Screenshot: test-artifacts/screenshots/16-clock-*.png."""

from __future__ import annotations

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from selenium.webdriver.common.by import By

from services.common.transport import nameko_config
from tests.e2e.test_mobile_offline import (
    ELENI,
    WORKER,
    app_shows,
    download_the_day,
    fill_form,
    network,
    open_person,
    worker_controls,
)
from tests.support.browser import shot, start_chromium

# the page's clock a day ahead: every `new Date()` and `Date.now()` of the app, and so its dates
A_DAY_AHEAD = """
(() => {
  const RealDate = Date, ahead = 24 * 3600 * 1000;
  class TabletDate extends RealDate {
    constructor(...given) { if (given.length) super(...given); else super(RealDate.now() + ahead); }
    static now() { return RealDate.now() + ahead; }
  }
  globalThis.Date = TabletDate;
})();
"""


@pytest.mark.slow
def test_work_recorded_on_a_clock_a_day_ahead_is_refused_with_a_message(gateway, tmp_path):
    eleni = gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium(tmp_path / "tablet")
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": A_DAY_AHEAD})
        download_the_day(driver, gateway.base, "1 ωφελούμενος")
        app_shows(driver, "Η ώρα της συσκευής διαφέρει")  # said before any work is recorded
        worker_controls(driver)
        network(driver, online=False)
        open_person(driver, "Παπαδακη", "Ελένη Παπαδάκη")
        fill_form(driver, "Επαφή", choices={"channel": "Επίσκεψη Κινητής Μονάδας"})

        driver.get(f"{gateway.base}/mobile/#")
        network(driver, online=True)
        app_shows(driver, "Σε σύνδεση")
        driver.find_element(By.ID, "sync").click()
        app_shows(driver, "1 απορρίφθηκαν")
        item = driver.find_element(By.CSS_SELECTOR, "li.item.refused")
        assert "είναι στο μέλλον: ελέγξτε την ώρα της συσκευής" in item.text, item.text
        shot(driver, "16-clock-00-refused-with-its-reason")
        item.find_element(By.TAG_NAME, "button").click()  # seen: only now off the list
        app_shows(driver, "Όλες οι καταχωρίσεις έχουν σταλεί.")
    finally:
        driver.quit()
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        assert cluster.intake.case_history(eleni, 0) == []
