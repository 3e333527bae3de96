"""The portal while a dependency is away: a Greek "temporarily unavailable, try again" page (503,
Retry-After), never a 500 page; the registration form comes back with what was typed and its
command id, so sending it again is the same registration, never a second person. A bug is still a
bug."""

from __future__ import annotations

from types import SimpleNamespace

import psycopg2
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.common.outages import BROKER, Unavailable
from services.portal_gateway.domain.access import Principal
from services.portal_gateway.entrypoints.web import pages

SECRET = b"s" * 32
WORKER = Principal(
    "kalamata.worker",
    "case_worker",
    "MU-KALAMATA",
    network=frozenset({"MU-KALAMATA", "KK-KALAMATA"}),
    session_id="session-1",
)


class Gateway:
    """What the pages ask of the gateway, each answer given by the test."""

    def __init__(self, principal=lambda token: WORKER, register=None):
        self.settings = SimpleNamespace(token_secret=SECRET)
        self.principal = principal
        self.registries = SimpleNamespace(register_beneficiary=register, agencies=list)
        self.sites = SimpleNamespace(get=lambda registries: [])

    def backends(self):
        return SimpleNamespace(registries=self.registries)

    def authentication(self):
        return SimpleNamespace(renew=lambda session_id: {"token": "renewed"})


def request(method: str, path: str, form: dict | None = None, lang: str = "") -> Request:
    builder = EnvironBuilder(
        method=method,
        path=path + (f"?lang={lang}" if lang else ""),
        base_url="http://portal.test",
        headers={"Origin": "http://portal.test", "Cookie": "kentra_token=t"},
        data=form,
    )
    return Request(builder.get_environ())


def test_a_page_whose_database_is_away_says_so_in_greek_with_retry_after():
    def lost(token):
        raise psycopg2.OperationalError("server closed the connection unexpectedly")

    status, headers, html = pages.handle(
        Gateway(principal=lost), request("GET", "/search"), "search"
    )
    assert status == 503 and headers["Retry-After"] == "5"
    assert "Η υπηρεσία δεν είναι διαθέσιμη προσωρινά" in html and "Δοκιμάστε ξανά" in html
    assert 'href="/search"' in html


def test_in_english_on_request():
    def lost(token):
        raise Unavailable(BROKER)

    answer = pages.handle(Gateway(principal=lost), request("GET", "/inbox", lang="en"), "inbox")
    assert answer[0] == 503 and "temporarily unavailable" in answer[2]


def test_a_registration_whose_answer_was_lost_comes_back_with_its_command_id():
    def lost_answer(command, context):
        raise Unavailable(BROKER, stored=None)

    typed = {
        "_csrf": pages.csrf_token(SECRET, WORKER.session_id),
        "given_name": "Ελένη",
        "family_name": "Παππά",
        "birth_date": "1961-06-01",
        "municipality_code": "9256",
        "site": "MU-KALAMATA",
    }
    gateway = Gateway(register=lost_answer)
    status, headers, html = pages.handle(gateway, request("POST", "/register", typed), "register")
    assert status == 503 and headers["Retry-After"] == "5"
    assert 'value="Παππά"' in html and "Δεν είναι βέβαιο αν αποθηκεύτηκε" in html
    sent = html.split('name="command_id" value="', 1)[1].split('"', 1)[0]
    assert len(sent) == 36, "the form keeps the id it sent: sent again, the same registration"


def test_a_bug_is_not_dressed_as_an_outage():
    def bug(token):
        raise KeyError("site")

    with pytest.raises(KeyError):
        pages.handle(Gateway(principal=bug), request("GET", "/search"), "search")
