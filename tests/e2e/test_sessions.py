"""Sessions, played by an attacker against the running gateway and its PostgreSQL: a token that
outlives its logout, its account's deactivation or a change of role or site; guessing passwords
faster than a person types; a weak password. Each must fail at the next request."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import jwt
import requests

from services.portal_gateway.entrypoints import accounts_cli
from services.portal_gateway.entrypoints.web.pages import COOKIE, csrf_token
from tests.e2e.gateway_platform import PASSWORD, Client

WRONG = "λάθος-κωδικός"


def log_in(gateway, username: str, password: str = PASSWORD) -> requests.Response:
    return gateway.client().post("/auth/token", {"username": username, "password": password})


def as_if_a_minute_passed(gateway) -> None:
    """The throttle's window, passed without sleeping: every recorded attempt made older than it
    (PostgreSQL's clock is the one the throttle reads)."""
    gateway.sql("UPDATE login_attempt SET at = at - interval '61 seconds'")


def as_if_all_came_at_once(gateway) -> None:
    """Every recorded attempt made at this instant: a slow machine spends no part of the window
    between a test's first attempt and its last."""
    gateway.sql("UPDATE login_attempt SET at = now()")


# --- a token lives only as long as its session -------------------------------------------------


def test_a_token_stops_working_at_once_when_its_session_is_logged_out(gateway):
    worker, other_session = gateway.client("kalamata.worker"), gateway.client("kalamata.worker")
    assert worker.get("/network").status_code == 200
    assert worker.post("/auth/logout").status_code == 200
    assert worker.get("/network").status_code == 401
    assert worker.post("/auth/refresh").status_code == 401  # nor can it be renewed
    assert other_session.get("/network").status_code == 200  # the person's other login stays


def test_a_token_lasts_fifteen_minutes_and_is_renewed_for_the_same_session(gateway):
    answer = log_in(gateway, "kalamata.worker").json()
    assert answer["expires_at"] - time.time() <= 15 * 60
    assert answer["session_ends_at"] - time.time() > 7 * 3600  # a working day
    client = Client(gateway.base, answer["token"])
    fresh = client.post("/auth/refresh")
    assert fresh.status_code == 200
    claims = [
        jwt.decode(t, options={"verify_signature": False})
        for t in (answer["token"], fresh.json()["token"])
    ]
    assert claims[0]["sid"] == claims[1]["sid"]
    assert Client(gateway.base, fresh.json()["token"]).post("/auth/logout").status_code == 200
    assert client.get("/network").status_code == 401  # the first token ended with the session


def test_a_session_past_its_working_day_is_over_whatever_its_token_says(gateway):
    worker = gateway.client("kalamata.worker")
    gateway.sql("UPDATE login_session SET ends_at = now() - interval '1 second'")
    assert worker.get("/network").status_code == 401
    assert worker.post("/auth/refresh").status_code == 401


def test_an_expired_token_signed_by_the_installation_is_refused(gateway):
    worker = gateway.client("kalamata.worker")
    claims = jwt.decode(worker.token, options={"verify_signature": False})
    expired = {**claims, "exp": int(time.time()) - 1}
    worker.token = jwt.encode(expired, gateway.settings.token_secret, algorithm="HS256")
    answer = worker.get("/network")
    assert answer.status_code == 401 and "έληξε" in answer.json()["error"]  # Greek by default


def test_deactivating_an_account_ends_its_sessions_at_the_next_request(gateway, monkeypatch):
    worker = gateway.client("sparti.worker")
    assert worker.get("/network").status_code == 200
    for name, value in (
        ("KENTRA_DATABASE_URL", gateway.settings.database_url),
        ("KENTRA_AMQP_URI", gateway.settings.amqp_uri),
        ("KENTRA_SCHEMA_PREFIX", gateway.settings.schema_prefix),
    ):
        monkeypatch.setenv(name, value)
    assert accounts_cli.main(["deactivate", "sparti.worker"]) == 0
    assert worker.get("/network").status_code == 401
    assert log_in(gateway, "sparti.worker").status_code == 401  # the right password, refused
    reasons = [f["reason"] for f in failed_logins(gateway, "sparti.worker")]
    assert reasons == ["inactive_account"]


def test_a_change_of_role_or_site_ends_the_sessions_at_the_next_request(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker = gateway.client("kalamata.worker")
    assert worker.get(f"/beneficiaries/{beneficiary}").status_code == 200
    gateway.accounts.change("kalamata.worker", "case_worker", "KK-SPARTI", None)
    assert worker.get(f"/beneficiaries/{beneficiary}").status_code == 401
    moved = gateway.client("kalamata.worker")  # logged in again: now a Sparti worker
    assert moved.get(f"/beneficiaries/{beneficiary}").status_code == 404
    head = gateway.client("kalamata.head")
    gateway.accounts.change("kalamata.head", "case_worker", "KK-KALAMATA", None)
    assert head.get("/network").status_code == 401


def test_a_token_speaks_with_the_account_as_it_is_now_not_as_it_was_at_login(gateway):
    """Even a change made behind the gateway's back (straight in the table, no session ended) holds
    at the next request: the role is read from the account, never from the token."""
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    head = gateway.client("kalamata.head")
    assert head.get(f"/beneficiaries/{beneficiary}").status_code == 200
    gateway.sql("UPDATE account SET role = 'ops' WHERE username = 'kalamata.head'")
    assert head.get(f"/beneficiaries/{beneficiary}").status_code == 404
    gateway.sql("UPDATE account SET active = false WHERE username = 'kalamata.head'")
    assert head.get("/network").status_code == 401


# --- guessing passwords ------------------------------------------------------------------------


def test_the_sixth_wrong_password_within_a_minute_is_throttled_and_the_right_one_too(gateway):
    for _ in range(5):
        assert log_in(gateway, "dpo", WRONG).status_code == 401
    sixth = log_in(gateway, "dpo", WRONG)
    assert sixth.status_code == 429
    assert 1 <= int(sixth.headers["Retry-After"]) <= 60
    assert sixth.json()["details"]["retry_after"] == int(sixth.headers["Retry-After"])
    assert "δοκιμάστε ξανά σε" in sixth.json()["error"]
    right = log_in(gateway, "dpo")
    assert right.status_code == 429 and "Retry-After" in right.headers
    assert log_in(gateway, "DPO ").status_code == 429  # another spelling is the same account
    as_if_a_minute_passed(gateway)
    assert log_in(gateway, "dpo").status_code == 200


def test_throttled_attempts_do_not_keep_the_window_open(gateway):
    for _ in range(5):
        log_in(gateway, "dpo", WRONG)
    for _ in range(10):  # hammering while throttled: none of these is checked, none counts
        assert log_in(gateway, "dpo", WRONG).status_code == 429
    as_if_a_minute_passed(gateway)
    assert log_in(gateway, "dpo").status_code == 200


def test_a_client_spraying_one_password_over_many_accounts_is_throttled(gateway):
    for n in range(20):
        assert log_in(gateway, f"staff{n}", "Kalokairi2024!").status_code == 401
    as_if_all_came_at_once(gateway)
    # a real account, never tried before, with its right password: this client must wait
    answer = log_in(gateway, "coordinator")
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) >= 1
    as_if_a_minute_passed(gateway)
    assert log_in(gateway, "coordinator").status_code == 200


def test_a_burst_of_parallel_guesses_gets_no_more_than_five_passwords_checked(gateway):
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda _: log_in(gateway, "ops", WRONG).status_code, range(20)))
    assert statuses.count(401) <= 5 and statuses.count(429) >= 15
    assert set(statuses) <= {401, 429}


def test_the_portal_login_is_throttled_in_greek_with_retry_after(gateway):
    session = requests.Session()
    session.headers["Origin"] = gateway.base
    for _ in range(5):
        page = session.post(f"{gateway.base}/login", data={"username": "dpo", "password": WRONG})
        assert page.status_code == 401 and "Λάθος όνομα χρήστη ή κωδικός" in page.text
    page = session.post(f"{gateway.base}/login", data={"username": "dpo", "password": PASSWORD})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) >= 1
    assert "Πολλές αποτυχημένες προσπάθειες· δοκιμάστε ξανά σε" in page.text
    assert COOKIE not in session.cookies


# --- the audit of failed logins ----------------------------------------------------------------


def failed_logins(gateway, username: str | None = None) -> list[dict]:
    query = {"username": username} if username else {}
    answer = gateway.client("dpo").get("/auth/failed-logins", **query)
    assert answer.status_code == 200, answer.text
    return answer.json()["failed_logins"]


def test_a_failed_login_is_audited_with_the_account_and_address_never_the_password(gateway):
    assert log_in(gateway, "kalamata.worker", "Μυστικό-που-δεν-είναι-1").status_code == 401
    assert log_in(gateway, "Μυστικό-στο-λάθος-κουτί", "x").status_code == 401
    [wrong] = failed_logins(gateway, "kalamata.worker")
    assert wrong["reason"] == "wrong_password" and wrong["client"] == "127.0.0.1"
    [unknown] = failed_logins(gateway)
    assert unknown["reason"] == "unknown_account" and unknown["username"] is None
    assert unknown["account_key"] != wrong["account_key"]
    stored = json.dumps(gateway.sql("SELECT data, metadata FROM events"), ensure_ascii=False)
    assert "Μυστικό" not in stored  # neither the password nor a name that may be one
    assert gateway.client("kalamata.worker").get("/auth/failed-logins").status_code == 403


# --- passwords ---------------------------------------------------------------------------------


def test_a_weak_password_is_refused_with_the_reasons_in_greek(gateway):
    worker = gateway.client("kalamata.worker")
    for weak, reason in (
        ("kentra-demo", "τουλάχιστον 12 χαρακτήρες"),
        ("kalamata.worker2024", "μαντεύεται εύκολα"),
        ("password123456", "μαντεύεται εύκολα"),
    ):
        answer = worker.post("/auth/password", {"current_password": PASSWORD, "new_password": weak})
        assert answer.status_code == 422, weak
        assert any(reason in m for m in answer.json()["details"]["new_password"]), answer.text
    english = worker.post(
        "/auth/password",
        {"current_password": PASSWORD, "new_password": "short"},
        headers={"Accept-Language": "en"},
    )
    assert "at least 12 characters" in english.text
    assert log_in(gateway, "kalamata.worker").status_code == 200  # nothing was changed


def test_a_password_change_needs_the_current_one_and_ends_the_other_sessions(gateway):
    worker, elsewhere = gateway.client("kalamata.worker"), gateway.client("kalamata.worker")
    new = "Τρία-πουλάκια-κάθονταν-στον-φράχτη"
    wrong = worker.post("/auth/password", {"current_password": WRONG, "new_password": new})
    assert wrong.status_code == 422 and "current_password" in wrong.json()["details"]
    done = worker.post("/auth/password", {"current_password": PASSWORD, "new_password": new})
    assert done.status_code == 200
    assert worker.get("/network").status_code == 200  # the session that changed it goes on
    assert elsewhere.get("/network").status_code == 401  # a stolen one does not
    assert log_in(gateway, "kalamata.worker").status_code == 401
    assert log_in(gateway, "kalamata.worker", new).status_code == 200


def test_the_accounts_tool_refuses_a_weak_password_in_greek(gateway, monkeypatch, capsys):
    for name, value in (
        ("KENTRA_DATABASE_URL", gateway.settings.database_url),
        ("KENTRA_AMQP_URI", gateway.settings.amqp_uri),
        ("KENTRA_SCHEMA_PREFIX", gateway.settings.schema_prefix),
    ):
        monkeypatch.setenv(name, value)
    weak = accounts_cli.main(
        ["add", "tripoli.worker", "case_worker", "--site", "KK-TRIPOLI"], ask=lambda _: "tripoli123"
    )
    assert weak == 1 and "τουλάχιστον 12 χαρακτήρες" in capsys.readouterr().err
    assert gateway.accounts.find("tripoli.worker") is None
    strong = "Ο-γάτος-της-γειτόνισσας-πετά"
    added = accounts_cli.main(
        ["add", "tripoli.worker", "case_worker", "--site", "KK-TRIPOLI"], ask=lambda _: strong
    )
    assert added == 0 and log_in(gateway, "tripoli.worker", strong).status_code == 200


# --- the portal's cookie is the same session ---------------------------------------------------


def portal(gateway, username: str) -> requests.Session:
    session = requests.Session()
    session.headers["Origin"] = gateway.base
    answer = session.post(
        f"{gateway.base}/login",
        data={"username": username, "password": PASSWORD},
        allow_redirects=False,
    )
    assert answer.status_code == 303
    return session


def form_token(gateway, session: requests.Session) -> str:
    sid = jwt.decode(session.cookies[COOKIE], options={"verify_signature": False})["sid"]
    return csrf_token(gateway.settings.token_secret, sid)


def test_logging_out_of_the_portal_ends_the_session_for_a_copied_cookie_too(gateway):
    session = portal(gateway, "kalamata.worker")
    assert session.get(f"{gateway.base}/search", allow_redirects=False).status_code == 200
    copied = dict(session.cookies)  # what an attacker lifted from the browser
    out = session.post(
        f"{gateway.base}/logout",
        data={"_csrf": form_token(gateway, session)},
        allow_redirects=False,
    )
    assert out.status_code == 303 and out.headers["Location"] == "/login"
    replay = requests.get(f"{gateway.base}/search", cookies=copied, allow_redirects=False)
    assert replay.status_code == 303 and replay.headers["Location"] == "/login"
    token = copied[COOKIE]
    assert Client(gateway.base, token).get("/network").status_code == 401


def test_a_plain_visit_to_logout_ends_nothing(gateway):
    session = portal(gateway, "kalamata.worker")
    session.get(f"{gateway.base}/logout")  # what an <img src=/logout> on another page would do
    assert session.get(f"{gateway.base}/search", allow_redirects=False).status_code == 200


def test_every_page_renews_the_token_and_an_open_form_still_posts(gateway):
    session = portal(gateway, "kalamata.worker")
    first = session.cookies[COOKIE]
    token = form_token(gateway, session)  # the form was rendered with this session's token
    time.sleep(1)  # a token's iat is in seconds
    session.get(f"{gateway.base}/search")
    assert session.cookies[COOKIE] != first  # a fresh 15 minutes
    assert form_token(gateway, session) == token  # bound to the session, not to one token


def test_deactivation_ends_the_portal_session_at_the_next_page(gateway):
    session = portal(gateway, "kalamata.worker")
    gateway.accounts.deactivate("kalamata.worker")
    page = session.get(f"{gateway.base}/search", allow_redirects=False)
    assert page.status_code == 303 and page.headers["Location"] == "/login"
    assert "Max-Age=0" in page.headers["Set-Cookie"]


def test_the_portal_changes_a_password_and_refuses_a_weak_one_on_the_form(gateway):
    session = portal(gateway, "kalamata.worker")
    assert "Αλλαγή κωδικού" in session.get(f"{gateway.base}/password").text
    weak = session.post(
        f"{gateway.base}/password",
        data={
            "_csrf": form_token(gateway, session),
            "current_password": PASSWORD,
            "new_password": "kalamata1234",
        },
    )
    assert weak.status_code == 422 and "μαντεύεται εύκολα" in weak.text
    strong = session.post(
        f"{gateway.base}/password",
        data={
            "_csrf": form_token(gateway, session),
            "current_password": PASSWORD,
            "new_password": "Λεμονιά-στην-αυλή-του-Μάη",
        },
    )
    assert strong.status_code == 200 and "Ο κωδικός άλλαξε" in strong.text
