"""The mobile unit's offline app (issue 16) in headless Chromium, with the network cut through
DevTools: the worker downloads the day, loses the signal, works on several people (a new
registration and a referral request among them), reloads, closes and reopens the tab, switches
the tablet off and on, and syncs when the signal returns. Every command is applied exactly once
(counted in the event stores), the lead centre's timeline shows the offline times, the read model
is consistent; what the device kept is unreadable, and nothing is left after logout. A second
test plays the conflict: the centre records on the same person meanwhile. Screenshots:
test-artifacts/screenshots/16-*.png."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from services.common.consumer.consistency import check
from services.common.consumer.sources import RpcEventSource
from services.common.transport import nameko_config
from services.portal_gateway.bootstrap import open_timeline
from tests.e2e.gateway_platform import PASSWORD, GatewayPlatform
from tests.support.browser import shot, start_chromium
from tests.support.clock import today_in_greece

WORKER = "kalamata.worker"  # a case worker of the Kalamata mobile unit, serving Οιχαλία (9256)
ELENI = {"given_name": "Ελένη", "family_name": "Παπαδάκη", "phone": "6971234567"}
NIKOS = {"given_name": "Νικόλαος", "family_name": "Γεωργίου", "phone": "6980001122"}
NEW = {"given_name": "Σταυρούλα", "family_name": "Οικονόμου", "phone": "6945550001"}
DIAGNOSIS = "Σακχαρώδης διαβήτης, χρειάζεται ινσουλίνη"  # free text that must never be readable
# everything personal the device holds, as a thief would search for it
SECRETS = [
    *ELENI.values(),
    *NIKOS.values(),
    *NEW.values(),
    DIAGNOSIS,
    "Ινσουλίνη",
    "ινσουλίνη",
]


def network(driver, online: bool) -> None:
    """DevTools' network emulation, as a tablet's lost signal: every request of this tab fails."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def app_shows(driver, text: str, seconds: float = 15) -> None:
    WebDriverWait(driver, seconds).until(
        lambda d: text in d.find_element(By.TAG_NAME, "body").text,
        message=f"the app never showed {text!r}",
    )


def unlock(driver) -> None:
    """The login (or, with a trip on the device, the unlock) form."""
    app_shows(driver, "Κωδικός")
    driver.find_element(By.CSS_SELECTOR, "#login input[name=username]").send_keys(WORKER)
    driver.find_element(By.CSS_SELECTOR, "#login input[name=password]").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()
    app_shows(driver, "Προς συγχρονισμό")


def download_the_day(driver, base: str, people: str) -> None:
    """Online, before leaving: log in and download the day (`people`: its count as shown)."""
    driver.get(f"{base}/mobile/")
    unlock(driver)
    driver.find_element(By.ID, "download").click()
    app_shows(driver, people)


def worker_controls(driver) -> None:
    """The service worker has taken the page: from now on the app opens without a network."""
    driver.set_script_timeout(20)
    driver.execute_async_script(
        "const done = arguments[0];"
        "navigator.serviceWorker.ready.then(() => {"
        " const wait = () => navigator.serviceWorker.controller ? done(true) : setTimeout(wait, 50);"
        " wait(); });"
    )


def open_person(driver, typed: str, name: str) -> None:
    driver.get(driver.current_url.split("#")[0] + "#")
    search = driver.find_element(By.ID, "search")
    search.clear()
    search.send_keys(typed)
    driver.find_element(By.LINK_TEXT, name).click()
    app_shows(driver, "Ατομικό σχέδιο δράσης")


def fill_form(driver, title: str, texts: dict | None = None, choices: dict | None = None) -> None:
    """Opens the person's folded form `title`, types and picks, saves on the device."""
    form = driver.find_element(By.XPATH, f"//details[summary/h3[normalize-space()='{title}']]")
    form.find_element(By.TAG_NAME, "summary").click()
    for name, text in (texts or {}).items():
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(text)
    for name, shown in (choices or {}).items():
        Select(form.find_element(By.NAME, name)).select_by_visible_text(shown)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    app_shows(driver, "Φυλάχτηκε στη συσκευή")


def pending(driver) -> int:
    heading = driver.find_element(By.ID, "outbox-title").text  # "Προς συγχρονισμό (N)"
    return int(heading.rsplit("(", 1)[1].rstrip(")"))


RAW_DUMP = """
const done = arguments[arguments.length - 1];
indexedDB.databases().then((found) => {
  if (!found.some((d) => d.name === "kentra-mobile")) return done(null);
  const opening = indexedDB.open("kentra-mobile");
  opening.onsuccess = async () => {
    const db = opening.result, out = {};
    for (const name of db.objectStoreNames) {
      out[name] = await new Promise((ok) => {
        const asked = db.transaction(name).objectStore(name).getAll();
        asked.onsuccess = () => ok(asked.result);
      });
    }
    db.close();
    const bytes = (v) => v instanceof Uint8Array ? {bytes: new TextDecoder("latin1").decode(v),
      utf8: new TextDecoder().decode(v)} : v;
    done(JSON.stringify(out, (k, v) => bytes(v)));
  };
});
"""


def raw_indexeddb(driver) -> str | None:
    """Everything the app's IndexedDB holds, read as an attacker with the browser would: every
    value, every byte array decoded both as Latin-1 and as UTF-8 text."""
    driver.set_script_timeout(20)
    return driver.execute_async_script(RAW_DUMP)


def readable_secrets(text: str) -> list[str]:
    return [s for s in SECRETS if s in text or s.encode("utf-8").decode("latin1") in text]


def on_disk(profile: Path) -> list[str]:
    """What the browser's own files of IndexedDB hold in clear (UTF-8, or V8's UTF-16 strings)."""
    found = []
    for path in profile.rglob("*"):
        if "IndexedDB" not in str(path) or not path.is_file():
            continue
        raw = path.read_bytes()
        found += [s for s in SECRETS if s.encode("utf-8") in raw or s.encode("utf-16-le") in raw]
    return found


def events_of(admin_url: str, settings, command_ids: list[str]) -> dict[str, int]:
    """How many events each command left in the services' event stores."""
    counts = dict.fromkeys(command_ids, 0)
    conn = psycopg2.connect(admin_url)
    try:
        with conn.cursor() as cur:
            for service in ("registries", "intake", "referrals"):
                cur.execute(
                    f"SELECT metadata->>'command_id', count(*) FROM \"{settings.schema(service)}\".events"
                    " WHERE metadata->>'command_id' = ANY(%s) GROUP BY 1",
                    (command_ids,),
                )
                for command_id, n in cur.fetchall():
                    counts[command_id] += n
    finally:
        conn.close()
    return counts


def outbox_items(driver) -> list[dict]:
    """The commands as the app shows them: id and status, read off the page's outbox list."""
    return [
        {
            "command_id": li.get_attribute("data-command"),
            "status": li.find_element(By.CLASS_NAME, "item-status").text,
        }
        for li in driver.find_elements(By.CSS_SELECTOR, "li.item")
    ]


def timeline_is_consistent(gateway: GatewayPlatform) -> None:
    gateway.catch_up()
    db, source = open_timeline(gateway.settings), RpcEventSource(gateway.settings.amqp_uri)
    try:
        assert check(db, "timeline", ("registries", "intake", "referrals"), source) == []
    finally:
        source.close()
        db.close()


@pytest.mark.slow
def test_a_day_offline_syncs_every_command_exactly_once(gateway, admin_url, tmp_path):
    eleni = gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    nikos = gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **NIKOS)
    profile = tmp_path / "tablet"
    driver = start_chromium(profile)
    try:
        # online, before leaving: log in, download the day, the app installs itself
        download_the_day(driver, gateway.base, "2 ωφελούμενοι")
        worker_controls(driver)
        # installable: Chromium finds the manifest, icon and service worker it needs
        assert driver.execute_cdp_cmd("Page.getInstallabilityErrors", {}) == {
            "installabilityErrors": []
        }
        shot(driver, "16-offline-00-day-downloaded")

        # the signal drops: the app says so, and the work goes on
        network(driver, online=False)
        went_offline = datetime.now(UTC)
        app_shows(driver, "Χωρίς σύνδεση")
        open_person(driver, "eleni papadaki", "Ελένη Παπαδάκη")  # Greeklish finds her
        fill_form(
            driver,
            "Επαφή",
            {"notes": DIAGNOSIS},
            {"channel": "Επίσκεψη Κινητής Μονάδας"},
        )
        fill_form(driver, "Υπηρεσία", choices={"service": "Ενημέρωση"})
        fill_form(driver, "Άνοιγμα σχεδίου δράσης", {"goals": "Εύρεση εργασίας"})
        fill_form(driver, "Νέο βήμα", {"description": "Εγγραφή στη ΔΥΠΑ"})
        fill_form(
            driver,
            "Συναίνεση για κοινοποίηση στοιχείων",
            {"purpose": "Παραπομπή για εργασία"},
            {"recipient": "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας"},
        )
        fill_form(
            driver,
            "Αίτημα παραπομπής",
            choices={
                "need": "Απασχόληση",
                "recipient": "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας",
            },
        )
        shot(driver, "16-offline-01-eleni-offline")
        open_person(driver, "ΓΕΩΡΓΙΟΥ", "Νικόλαος Γεωργίου")  # capitals, no accents
        fill_form(driver, "Επαφή", choices={"channel": "Επίσκεψη Κινητής Μονάδας"})

        # a person the unit meets for the first time: registered offline, then her contact
        driver.get(f"{gateway.base}/mobile/#register")
        app_shows(driver, "Νέα εγγραφή ωφελούμενου")
        form = driver.find_element(By.ID, "register")
        for name, text in NEW.items():
            form.find_element(By.NAME, name).send_keys(text)
        Select(form.find_element(By.NAME, "municipality_code")).select_by_visible_text("Οιχαλία")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        app_shows(driver, "Σταυρούλα Οικονόμου")
        fill_form(driver, "Επαφή", choices={"channel": "Επίσκεψη Κινητής Μονάδας"})
        fill_form(
            driver,
            "Αίτημα παραπομπής",
            choices={
                "need": "Απασχόληση",
                "recipient": "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας",
            },
        )
        driver.get(f"{gateway.base}/mobile/#")
        app_shows(driver, "Προς συγχρονισμό (10)")
        recorded_until = datetime.now(UTC)
        shot(driver, "16-offline-02-outbox")

        # a reload with no network: the shell comes from the service worker, the data stay sealed
        driver.refresh()
        app_shows(driver, "Ξεκλείδωμα της εξόρμησης")
        unlock(driver)
        assert pending(driver) == 10
        # the tab closed and opened again, still offline
        first = driver.current_window_handle
        driver.switch_to.new_window("tab")
        network(driver, online=False)
        driver.switch_to.window(first)
        driver.close()
        driver.switch_to.window(driver.window_handles[0])
        driver.get(f"{gateway.base}/mobile/")
        unlock(driver)
        assert pending(driver) == 10
        dump = raw_indexeddb(driver)
        assert dump and "outbox" in dump and readable_secrets(dump) == []
    finally:
        driver.quit()

    # the tablet switched off: nothing readable in the browser's own files either
    assert on_disk(profile) == []
    driver = start_chromium(profile)
    try:
        network(driver, online=False)
        driver.get(f"{gateway.base}/mobile/")
        unlock(driver)
        assert pending(driver) == 10
        open_person(driver, "Σταυρουλα", "Σταυρούλα Οικονόμου")  # still there, found unaccented
        shot(driver, "16-offline-03-after-restart")

        # the signal returns: the sync asks for the password again (no token survives a restart)
        driver.get(f"{gateway.base}/mobile/#")
        network(driver, online=True)
        app_shows(driver, "Σε σύνδεση")
        synced_at = datetime.now(UTC)
        driver.find_element(By.ID, "sync").click()
        app_shows(driver, "Δώστε ξανά τον κωδικό σας")
        driver.find_element(By.CSS_SELECTOR, "#relogin input[name=password]").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#relogin button[type=submit]").click()
        app_shows(driver, "Συγχρονισμός: 10 καταχωρίστηκαν, 0 ήταν ήδη καταχωρισμένες")
        shot(driver, "16-offline-04-synced")
        assert pending(driver) == 0
        ids = json.loads(raw_indexeddb(driver) or "{}")  # the command ids are the records' refs
        command_ids = [item["ref"] for item in ids["outbox"]]
        assert len(command_ids) == 10

        # exactly once: each command left its one event in the stores
        assert events_of(admin_url, gateway.settings, command_ids) == dict.fromkeys(command_ids, 1)

        # the lead centre sees the day on the timeline at the moments it was recorded offline
        timeline_is_consistent(gateway)
        for person in (eleni, nikos):
            record = gateway.client("kalamata.head").get(f"/beneficiaries/{person}").json()
            offline_steps = [s for s in record["timeline"] if s["site"] == "MU-KALAMATA"][1:]
            assert offline_steps, record["timeline"]
            for step in offline_steps:
                at = datetime.fromisoformat(step["occurred_at"])
                assert went_offline <= at <= recorded_until < synced_at, step
        found = gateway.client("kalamata.head").search("Οικονόμου").json()["results"]
        assert [r["family_name"] for r in found] == ["Οικονόμου"]

        # logging out leaves nothing on the device
        driver.find_element(By.ID, "logout").click()
        app_shows(driver, "Σύνδεση κινητής μονάδας")
        assert raw_indexeddb(driver) is None
        shot(driver, "16-offline-05-logged-out")
    finally:
        driver.quit()
    assert on_disk(profile) == []


def centre_records_a_service(gateway: GatewayPlatform, beneficiary: str) -> None:
    """The lead centre's head, at the centre, on the same person while the unit is offline."""
    body = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": today_in_greece().isoformat(),
        "service": "psychosocial_counselling",
        "site": "KK-KALAMATA",
        "staff_id": "kalamata.head",
    }
    answer = gateway.client("kalamata.head").post(f"/beneficiaries/{beneficiary}/services", body)
    assert answer.status_code == 200, answer.text


@pytest.mark.slow
def test_a_conflict_is_shown_field_by_field_and_resolved_by_the_worker(gateway, tmp_path):
    eleni = gateway.register(WORKER, "MU-KALAMATA", municipality_code="9256", **ELENI)
    driver = start_chromium(tmp_path / "tablet")
    try:
        download_the_day(driver, gateway.base, "1 ωφελούμενος")
        worker_controls(driver)
        network(driver, online=False)
        open_person(driver, "Ελενη", "Ελένη Παπαδάκη")
        fill_form(
            driver,
            "Επαφή",
            {"notes": "Ζητά βοήθεια για το ΕΕΕ"},
            {"channel": "Επίσκεψη Κινητής Μονάδας"},
        )
        fill_form(driver, "Υπηρεσία", choices={"service": "Ενημέρωση"})

        # meanwhile, at the centre
        centre_records_a_service(gateway, eleni)

        driver.get(f"{gateway.base}/mobile/#")
        network(driver, online=True)
        app_shows(driver, "Σε σύνδεση")
        driver.find_element(By.ID, "sync").click()
        app_shows(driver, "2 σε σύγκρουση")
        assert len(driver.find_elements(By.CSS_SELECTOR, "li.item.conflict")) == 2
        driver.find_elements(By.LINK_TEXT, "Επίλυση")[0].click()

        # field by field: what the worker recorded, and what the centre recorded meanwhile
        app_shows(driver, "Τι καταχωρίστηκε στο μεταξύ")
        yours, theirs = driver.find_elements(By.CSS_SELECTOR, ".conflict section")
        assert "Τρόπος επαφής Επίσκεψη Κινητής Μονάδας" in yours.text
        assert "Δήμος Οιχαλία" in yours.text
        assert "Ζητά βοήθεια για το ΕΕΕ" in yours.text
        assert "Υπηρεσία Ψυχοκοινωνική στήριξη" in theirs.text, theirs.text
        assert "Kalamata Head" in theirs.text or "Υπεύθυνος" in theirs.text, theirs.text
        assert "KK-KALAMATA" not in theirs.text  # the centre by its name
        shot(driver, "16-conflict-00-field-by-field")

        # hers is recorded as well, on top of what she has now seen; her second is dropped
        driver.find_element(By.ID, "keep-mine").click()
        app_shows(driver, "1 καταχωρίστηκαν")
        driver.find_element(By.LINK_TEXT, "Επίλυση").click()
        app_shows(driver, "Τι καταχωρίστηκε στο μεταξύ")
        driver.find_element(By.ID, "drop-mine").click()
        app_shows(driver, "Όλες οι καταχωρίσεις έχουν σταλεί.")
        shot(driver, "16-conflict-01-resolved")
    finally:
        driver.quit()

    # both contributions are in the history, nothing overwritten; the dropped one is not
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        history = cluster.intake.case_history(eleni, 0)
    assert [(e["type"], e["metadata"]["actor"]) for e in history] == [
        ("ServiceDelivered", "kalamata.head"),
        ("ContactRecorded", WORKER),
    ]
