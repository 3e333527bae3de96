"""What every browser test does with Debian's headless Chromium (the `chrome` fixture is in
tests/e2e/conftest.py): wait for the page a click leads to, log in as a role, open one of the
record's folded forms, and keep a screenshot under test-artifacts/screenshots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.gateway_platform import PASSWORD

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# the browser a Greek user has: Chromium's interface, its Intl and its date inputs in Greek
# (dd/mm/yyyy, not the en-US mm/dd/yyyy), which needs Debian's chromium-l10n (scripts/bootstrap)
GREEK = {"LANG": "el_GR.UTF-8", "LANGUAGE": "el"}


def start_chromium(profile: Path | None = None) -> webdriver.Chrome:
    """Debian's headless Chromium, in Greek, through its chromedriver (selenium). With a profile
    folder, what the browser keeps (IndexedDB, service workers, caches) outlives this process, as
    a tablet's does when it is switched off and on again."""
    if not shutil.which("chromedriver"):
        pytest.fail(
            "chromedriver is missing: scripts/bootstrap installs Debian's chromium and chromium-driver"
        )
    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400",
        "--lang=el-GR",
    ):
        options.add_argument(flag)
    if profile is not None:
        options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "el-GR,el"})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(shutil.which("chromedriver"), env={**os.environ, **GREEK})
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(5)
    return driver


def shows(driver, text: str, seconds: float = 10) -> bool:
    """A click starts a navigation; wait for the page that follows rather than read the old one."""
    WebDriverWait(driver, seconds).until(lambda d: text in d.page_source)
    return True


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def open_form(driver, title: str) -> None:
    """The record's forms are folded (<details>, so the page is short at 412 px): open one."""
    driver.find_element(By.XPATH, f"//summary[h2[normalize-space()='{title}']]").click()


def log_in(driver, base: str, username: str) -> None:
    """A fresh login as `username` (whoever was logged in before is forgotten), in any language:
    the page after it offers the logout form."""
    driver.delete_all_cookies()
    driver.get(f"{base}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert shows(driver, "/logout")


def log_out(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
    assert shows(driver, 'id="password"')
