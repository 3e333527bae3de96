"""Read your writes on the portal: every form of the record, saved and then saved again from the
page it lands on, with no pause in between (the timeline's consumer runs live from the bus, as in
production). Each page after a save shows what was saved, and the next save, made from that
page's form as a browser would post it, is never refused for our own lag (a 409)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from contracts import names
from services.portal_gateway.entrypoints.web.i18n import LABELS, WORDS
from tests.e2e.test_platform_flow import live_timeline  # noqa: F401 (a fixture)
from tests.e2e.test_web_portal import browser


class Forms(HTMLParser):
    """A page's forms as a browser posts them untouched: every input's value (a checkbox only if
    ticked), each select's chosen option (else its first), each textarea's text."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[tuple[str, list[list[str]]]] = []
        self._select: list[str] | None = None
        self._textarea: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), []))
        elif not self.forms:
            return
        fields = self.forms[-1][1]
        if tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                fields.append(
                    [a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")]
                )
        elif tag == "select":
            self._select = [a["name"], None]
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in a:
                self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def filled(self, action: str, **typed) -> list[tuple[str, str]]:
        """The first form posting to `action`, with what a person types into it."""
        fields = next(f for a, f in self.forms if a == action)
        kept = [(n, v) for n, v in fields if n not in typed]
        for name, value in typed.items():
            kept += [(name, v) for v in (value if isinstance(value, list) else [value])]
        return kept


def shown(page, event_type: str) -> int:
    """How many rows of the record's timeline are of this type."""
    return page.text.count(f'data-label="{WORDS["what"][0]}">{LABELS[event_type][0]}')


@pytest.mark.slow
def test_save_then_save_again_on_every_form_succeeds_without_waiting(gateway, live_timeline):  # noqa: F811
    worker, base = browser(gateway, "kalamata.worker"), gateway.base
    for name in ("Ελένη", "Ευτυχία"):  # the registration form, twice
        form = Forms(worker.get(f"{base}/register").text).filled(
            "/register", given_name=name, family_name="Σταθοπούλου", birth_date="1980-03-03"
        )
        page = worker.post(f"{base}/register", data=form)
        assert page.status_code == 200 and name in page.text, page.text[-2000:]
        assert shown(page, names.BENEFICIARY_REGISTERED) == 1
    record = page.url.split("?")[0].removeprefix(base)

    def save_twice(segment: str, event_type: str, **typed) -> None:
        nonlocal page
        for _ in range(2):
            before = shown(page, event_type)
            action = f"{record}/{segment}"
            page = worker.post(f"{base}{action}", data=Forms(page.text).filled(action, **typed))
            assert page.status_code == 200 and 'class="ok"' in page.text, (
                segment,
                page.status_code,
                page.text[page.text.find('class="error"') :][:400],
            )
            assert shown(page, event_type) == before + 1, segment

    save_twice("contacts", names.CONTACT_RECORDED, notes="στο Κέντρο")
    save_twice("services", names.SERVICE_DELIVERED)
    save_twice("consents", names.CONSENT_RECORDED, recipient="KK-SPARTI", purpose="στέγαση")
    save_twice(
        "assessments",
        names.NEEDS_ASSESSED,
        groups=["poverty"],
        needs=["employment"],
        housing="ενοίκιο",
    )
    save_twice(
        "referrals",
        names.REFERRAL_REQUESTED,
        recipient="centre:KK-SPARTI",  # picked by name from the registry's centres
    )
    before = shown(page, names.ACTION_PLAN_OPENED)
    action = f"{record}/action-plans"
    page = worker.post(f"{base}{action}", data=Forms(page.text).filled(action, goals="εργασία"))
    assert shown(page, names.ACTION_PLAN_OPENED) == before + 1
    save_twice("action-steps", names.ACTION_STEP_ADDED, description="βιογραφικό")
    save_twice("action-steps-done", names.ACTION_STEP_DONE)
    action = f"{record}/case-closures"
    page = worker.post(
        f"{base}{action}",
        data=Forms(page.text).filled(action, reason="βρήκε εργασία", situation_at_exit="employed"),
    )
    assert shown(page, names.CASE_CLOSED) == 1
    save_twice("follow-ups", names.FOLLOW_UP_RECORDED)


def test_a_person_just_registered_is_shown_at_once_to_whoever_registered_them(gateway):
    """No consumer runs here: the record page decides access and reads the person from the
    services, never from the timeline, so the new record opens on the very next request."""
    head = browser(gateway, "kalamata.head")
    form = Forms(head.get(f"{gateway.base}/register").text).filled(
        "/register", given_name="Νίκη", family_name="Αλεξίου", birth_date="1975-05-05"
    )
    page = head.post(f"{gateway.base}/register", data=form)
    assert page.status_code == 200 and "Αλεξίου" in page.text and 'class="ok"' in page.text
