"""Input an attacker sends before or after logging in: nesting deep enough to exhaust the parser,
text that is not Unicode, and bodies far larger than any command. Each is a 4xx, never a 500,
and a large body is refused unread (the gateway's memory does not grow)."""

from __future__ import annotations

import json
import resource
import uuid

import requests


def rss_mb() -> float:
    """This process's peak resident memory (the gateway runs in it, in nameko containers)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_json_nested_100000_deep_is_refused_before_login(gateway):
    deep = "[" * 100_000 + "]" * 100_000
    answer = requests.post(
        f"{gateway.base}/api/v1/auth/token",
        data=deep,
        timeout=30,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and answer.json()["code"] == "too_deep"
    assert "επίπεδα εμφώλευσης" in answer.json()["error"]  # Greek, unless English is asked for


def test_a_lone_surrogate_in_a_name_is_refused_with_a_422(gateway):
    fields = {
        "command_id": str(uuid.uuid4()),
        "family_name": "Κ",
        "birth_date": "1980-01-01",
        "site": "MU-KALAMATA",
        "municipality_code": "9256",
    }
    # json.dumps cannot write a lone surrogate; an attacker's client can: splice it in as an escape
    body = json.dumps({**fields, "given_name": "@"}).replace('"@"', '"\\ud800"')
    client = gateway.client("kalamata.worker")
    answer = client.call(
        "POST",
        "/beneficiaries",
        raw=body.encode(),
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )
    assert answer.status_code == 422 and "not valid Unicode" in answer.json()["error"]


def test_a_20_mb_body_is_refused_unread_and_the_gateway_does_not_grow(gateway):
    huge = b'{"username": "' + b"a" * (20 * 1024 * 1024) + b'", "password": "x"}'
    requests.post(f"{gateway.base}/api/v1/auth/token", data=b"{}", timeout=30)  # warm
    before = rss_mb()
    for _ in range(5):
        answer = requests.post(
            f"{gateway.base}/api/v1/auth/token",
            data=huge,
            timeout=60,
            headers={"Content-Type": "application/json"},
        )
        assert answer.status_code == 413
    assert rss_mb() - before < 25, "a refused body was read into memory"
    assert gateway.client("kalamata.worker").token  # and it still serves


def test_a_large_form_on_a_portal_page_is_refused(gateway):
    session = requests.Session()
    session.headers["Origin"] = gateway.base  # from the portal's own page, as a browser sends it
    answer = session.post(
        f"{gateway.base}/login",
        data={"username": "x" * (2 * 1024 * 1024), "password": "y"},
        timeout=60,
    )
    assert answer.status_code == 413
