"""An agency's referral inbox over the API (issue 15): never a referral not yet sent; filters by
state, due day and overdue; pages of 20 with a count; the person's name and phone only where
their consent in force covers the agency, each shown person audited."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.e2e.gateway_platform import DYPA_KALAMATA, referral_to_dypa
from tests.support.clock import today_in_greece

TODAY = today_in_greece()


def consent_to_dypa(gateway, beneficiary: str) -> None:
    answer = gateway.client("kalamata.worker").post(
        f"/beneficiaries/{beneficiary}/consents",
        {
            "command_id": str(uuid.uuid4()),
            "expected_version": 0,
            "recipient": DYPA_KALAMATA,
            "purpose": "παραπομπή για εργασία",
            "given_on": TODAY.isoformat(),
        },
    )
    assert answer.status_code == 200, answer.text


def referred(gateway, beneficiary: str, send: bool = True, **fields) -> str:
    """A referral to ΔΥΠΑ Καλαμάτας from the mobile unit, sent today unless told otherwise."""
    worker, referral = gateway.client("kalamata.worker"), str(uuid.uuid4())
    answer = worker.post("/referrals", referral_to_dypa(beneficiary, referral, **fields))
    assert answer.status_code == 201, answer.text
    if send:
        sent = worker.post(
            f"/referrals/{referral}/sending",
            {"command_id": str(uuid.uuid4()), "expected_version": 1, "sent_on": TODAY.isoformat()},
        )
        assert sent.status_code == 200, sent.text
    return referral


def views_of(gateway, beneficiary: str) -> list[dict]:
    found = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    return [v for v in found if v["purpose"] == "referral_inbox"]


def test_the_agency_sees_the_persons_name_and_phone_only_under_consent_and_each_read_is_audited(
    gateway,
):
    consenting = gateway.register_only(
        "kalamata.worker",
        "MU-KALAMATA",
        given_name="Ελένη",
        family_name="Συγκαταθέτουσα",
        phone="6900000001",
    )
    consent_to_dypa(gateway, consenting)
    silent = gateway.register_only(
        "kalamata.worker",
        "MU-KALAMATA",
        given_name="Νίκος",
        family_name="Χωρίςσυγκατάθεση",
        phone="6900000002",
    )
    shared = referred(gateway, consenting, shares_personal_data=True)
    unshared = referred(gateway, silent)

    answer = gateway.client("dypa.officer").get("/referrals/inbox")

    assert answer.status_code == 200, answer.text
    by_id = {r["referral_id"]: r for r in answer.json()["referrals"]}
    assert by_id[shared]["person"] == {
        "given_name": "Ελένη",
        "family_name": "Συγκαταθέτουσα",
        "phone": "6900000001",
    }
    assert by_id[unshared]["person"] is None
    assert "Χωρίςσυγκατάθεση" not in answer.text and "6900000002" not in answer.text
    (view,) = views_of(gateway, consenting)
    assert (view["viewer"], view["categories"], view["refused"]) == (
        "dypa.officer",
        ["identity"],
        False,
    )
    assert views_of(gateway, silent) == []


def test_a_withdrawn_consent_hides_the_person_at_the_next_request(gateway):
    beneficiary = gateway.register_only(
        "kalamata.worker", "MU-KALAMATA", family_name="Ανακαλούσα", phone="6900000003"
    )
    consent_to_dypa(gateway, beneficiary)
    referral = referred(gateway, beneficiary, shares_personal_data=True)
    officer = gateway.client("dypa.officer")
    assert "Ανακαλούσα" in officer.get("/referrals/inbox").text
    withdrawn = gateway.client("kalamata.worker").post(
        f"/beneficiaries/{beneficiary}/consent-withdrawals",
        {
            "command_id": str(uuid.uuid4()),
            "expected_version": 1,
            "recipient": DYPA_KALAMATA,
            "withdrawn_on": TODAY.isoformat(),
        },
    )
    assert withdrawn.status_code == 200, withdrawn.text

    again = officer.get("/referrals/inbox")  # no consumer has run: the facts are intake's own

    (row,) = [r for r in again.json()["referrals"] if r["referral_id"] == referral]
    assert row["person"] is None and "Ανακαλούσα" not in again.text


def test_the_inbox_lists_no_unsent_referral_and_filters_by_state_due_and_overdue(gateway):
    beneficiary = gateway.register_only("kalamata.worker", "MU-KALAMATA")
    unsent = referred(gateway, beneficiary, send=False)
    sent = referred(gateway, beneficiary)
    received = referred(gateway, beneficiary)
    officer = gateway.client("dypa.officer")
    acknowledged = officer.post(
        f"/referrals/{received}/receipt",
        {"command_id": str(uuid.uuid4()), "expected_version": 2, "received_on": str(TODAY)},
    )
    assert acknowledged.status_code == 200, acknowledged.text

    def ids(**query) -> set[str]:
        answer = officer.get("/referrals/inbox", **query)
        assert answer.status_code == 200, answer.text
        return {r["referral_id"] for r in answer.json()["referrals"]}

    assert ids() == {sent, received} and unsent not in ids(state="sent")
    assert ids(state="received") == {received}
    assert ids(due_by=str(TODAY)) == set()  # due in the agency's response days, not today
    assert ids(due_by=str(TODAY + timedelta(days=60))) == {sent, received}
    assert ids(overdue="true") == set()
    gateway.sql(  # ΔΥΠΑ did not answer in time: its due day passed (moved back by hand)
        "UPDATE {}.referral_view SET due_on = %s WHERE referral_id = %s".format(
            gateway.settings.schema("referrals")
        ),
        TODAY - timedelta(days=1),
        sent,
    )
    assert ids(overdue="true") == {sent}
    refused = officer.get("/referrals/inbox", state="requested")
    assert refused.status_code == 422 and "state" in refused.json()["details"]


def test_the_inbox_comes_in_pages_of_twenty_with_the_count(gateway):
    beneficiary = gateway.register_only("kalamata.worker", "MU-KALAMATA")
    mine = {referred(gateway, beneficiary) for _ in range(23)}
    officer = gateway.client("dypa.officer")

    first = officer.get("/referrals/inbox").json()
    second = officer.get("/referrals/inbox", page=2).json()

    assert (first["total"], first["page"], first["per_page"]) == (23, 1, 20)
    assert len(first["referrals"]) == 20 and len(second["referrals"]) == 3
    assert {r["referral_id"] for r in first["referrals"] + second["referrals"]} == mine


def test_a_case_worker_sees_the_referrals_of_the_network_and_another_network_none(gateway):
    beneficiary = gateway.register_only("kalamata.worker", "MU-KALAMATA", family_name="Δικός")
    referral = referred(gateway, beneficiary)

    own = gateway.client("kalamata.head").get("/referrals/inbox").json()
    other = gateway.client("sparti.worker").get("/referrals/inbox").json()

    (row,) = [r for r in own["referrals"] if r["referral_id"] == referral]
    assert row["person"]["family_name"] == "Δικός"
    assert other["referrals"] == [] and other["total"] == 0
