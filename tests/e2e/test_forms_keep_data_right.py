"""Forms that keep data right, against the running platform: the municipality a form starts at is
the person's own (or, registering, the site's own), and what no form should store is refused by
the services themselves, through the API as through the pages: dates after today and
municipalities the region does not have, each with the field named."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.test_web_portal import browser
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()


def chosen_municipality(html: str, select_id: str) -> str:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, select_id
    found = re.search(r'<option value="(\d+)" selected>', select.group(1))
    return found.group(1) if found else ""


def contact(**fields) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": TODAY,
        "channel": "centre",
        "site": "KK-KALAMATA",
        "municipality_code": "9254",
        "staff_id": "kalamata.head",
        **fields,
    }


def test_registering_starts_at_the_sites_own_municipality(gateway):
    """A centre's is its lead municipality (Καλαμάτα); a mobile unit's, the first partner it
    serves (it never visits its centre's own): never one municipality for everyone."""
    head = browser(gateway, "kalamata.head").get(f"{gateway.base}/register").text
    unit = browser(gateway, "kalamata.worker").get(f"{gateway.base}/register").text
    assert chosen_municipality(head, "municipality_code") == "9254"
    assert chosen_municipality(unit, "municipality_code") == "9253"


def test_a_contact_starts_at_the_persons_own_municipality(gateway):
    beneficiary = gateway.register("kalamata.head", "KK-KALAMATA", municipality_code="9252")
    page = browser(gateway, "kalamata.head").get(f"{gateway.base}/beneficiaries/{beneficiary}")
    assert chosen_municipality(page.text, "cm") == "9252"


@pytest.mark.parametrize(
    "field, value", [("occurred_on", "2031-01-01"), ("municipality_code", "9999")]
)
def test_a_contact_the_service_refuses_names_its_field(gateway, field, value):
    beneficiary = gateway.register("kalamata.head", "KK-KALAMATA")
    answer = gateway.client("kalamata.head").post(
        f"/beneficiaries/{beneficiary}/contacts", contact(**{field: value})
    )
    assert answer.status_code == 422 and answer.json()["details"]["field"] == field, answer.text


def test_a_service_dated_tomorrow_is_refused(gateway):
    beneficiary = gateway.register("kalamata.head", "KK-KALAMATA")
    tomorrow = today_in_greece().replace(year=today_in_greece().year + 1).isoformat()
    answer = gateway.client("kalamata.head").post(
        f"/beneficiaries/{beneficiary}/services",
        {
            "command_id": str(uuid.uuid4()),
            "expected_version": 0,
            "occurred_on": tomorrow,
            "service": "information",
            "site": "KK-KALAMATA",
            "staff_id": "kalamata.head",
        },
    )
    assert answer.status_code == 422 and answer.json()["details"]["field"] == "occurred_on"


@pytest.mark.parametrize("code", ["9999", "0000"])
def test_registering_in_a_municipality_the_region_does_not_have_is_refused(gateway, code):
    answer = gateway.client("kalamata.head").post(
        "/beneficiaries",
        {
            "command_id": str(uuid.uuid4()),
            "given_name": "Άννα",
            "family_name": "Λάμπρου",
            "municipality_code": code,
            "site": "KK-KALAMATA",
        },
    )
    assert answer.status_code == 422 and answer.json()["details"]["field"] == "municipality_code"


def test_the_registration_page_keeps_what_was_typed_when_the_birth_date_is_in_the_future(gateway):
    head = browser(gateway, "kalamata.head")
    page = head.post(
        f"{gateway.base}/register",
        data={
            "given_name": "Άννα",
            "family_name": "Λάμπρου",
            "birth_date": "2031-01-01",
            "municipality_code": "9254",
            "site": "KK-KALAMATA",
        },
    )
    assert page.status_code == 422 and 'value="Λάμπρου"' in page.text and "birth_date" in page.text


@pytest.mark.parametrize("segment", ["contacts", "services"])
def test_a_staff_id_nobody_in_the_network_has_is_refused(gateway, segment):
    beneficiary = gateway.register("kalamata.head", "KK-KALAMATA")
    body = contact(staff_id="sparti.worker")  # a real login, of another network
    if segment == "services":
        body = {k: v for k, v in body.items() if k not in ("channel", "municipality_code")}
        body["service"] = "information"
    answer = gateway.client("kalamata.head").post(f"/beneficiaries/{beneficiary}/{segment}", body)
    assert answer.status_code == 422 and answer.json()["details"]["field"] == "staff_id"
