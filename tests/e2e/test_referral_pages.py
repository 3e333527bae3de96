"""The referral loop's pages (issue 15) over HTTP: the recipient picked by name from the proposals
for the chosen need, consent given to a recipient of the registry, a typed name only for one
outside it, the agency's buttons only for the agency, a confirmation after each step."""

from __future__ import annotations

import uuid

from tests.e2e.gateway_platform import DYPA_KALAMATA, referral_to_dypa
from tests.e2e.test_web_portal import browser
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()


def test_changing_the_need_refilters_the_proposals_named_not_coded(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    page = browser(gateway, "kalamata.worker")
    record = f"{gateway.base}/beneficiaries/{beneficiary}"

    work = page.get(record, params={"need": "employment"}).text
    food = page.get(record, params={"need": "food"}).text

    assert f'value="agency:{DYPA_KALAMATA}"' in work
    assert "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας</option>" in work
    assert f'value="agency:{DYPA_KALAMATA}"' not in food  # ΔΥΠΑ takes no need for food


def test_consent_is_given_to_a_registry_recipient_chosen_by_name(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    page = browser(gateway, "kalamata.worker")
    record = f"{gateway.base}/beneficiaries/{beneficiary}"
    form = page.get(record).text
    assert f'<option value="{DYPA_KALAMATA}" >ΔΥΠΑ — Κέντρο Προώθησης' in form

    saved = page.post(
        f"{record}/consents",
        data={
            "expected_version": "0",
            "recipient": DYPA_KALAMATA,
            "purpose": "εργασία",
            "given_on": TODAY,
        },
    )

    assert saved.status_code == 200 and "Η συγκατάθεση καταχωρίστηκε." in saved.text
    shared = gateway.client("kalamata.worker").post(
        "/referrals", referral_to_dypa(beneficiary, str(uuid.uuid4()), shares_personal_data=True)
    )
    assert shared.status_code == 201, shared.text  # the consent covers ΔΥΠΑ


def test_a_referral_picked_from_the_proposals_names_the_registrys_recipient(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    page = browser(gateway, "kalamata.worker")
    record = f"{gateway.base}/beneficiaries/{beneficiary}"

    done = page.post(
        f"{record}/referrals",
        data={
            "need": "employment",
            "recipient": f"agency:{DYPA_KALAMATA}",
            "recipient_name": "ό,τι πληκτρολογήθηκε",  # left in a closed "other": not used
            "_bools": "shares_personal_data",
            "from_site": "MU-KALAMATA",
            "requested_on": TODAY,
        },
    )

    assert done.status_code == 200 and "Η παραπομπή καταχωρίστηκε." in done.text
    (referral,) = (
        gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}").json()["referrals"]
    )
    assert (referral["recipient_kind"], referral["recipient_id"]) == ("agency", DYPA_KALAMATA)
    assert referral["recipient_name"].startswith("ΔΥΠΑ")


def test_a_made_up_agency_is_refused_by_the_service_and_said_on_the_page(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    page = browser(gateway, "kalamata.worker")

    refused = page.post(
        f"{gateway.base}/beneficiaries/{beneficiary}/referrals",
        data={
            "need": "employment",
            "recipient": "agency:DYPA-KALAMATAS",  # no such id in the registry
            "_bools": "shares_personal_data",
            "from_site": "MU-KALAMATA",
            "requested_on": TODAY,
        },
    )

    assert refused.status_code == 404 and 'role="alert"' in refused.text
    assert (
        gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}").json()["referrals"]
        == []
    )


def test_a_case_worker_sees_the_referral_in_the_inbox_but_not_the_agencys_buttons(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    worker, referral = gateway.client("kalamata.worker"), str(uuid.uuid4())
    assert worker.post("/referrals", referral_to_dypa(beneficiary, referral)).status_code == 201
    sent = worker.post(
        f"/referrals/{referral}/sending",
        {"command_id": str(uuid.uuid4()), "expected_version": 1, "sent_on": TODAY},
    )
    assert sent.status_code == 200, sent.text

    worker_page = browser(gateway, "kalamata.worker")
    theirs = worker_page.get(f"{gateway.base}/inbox").text
    english = worker_page.get(f"{gateway.base}/inbox", params={"lang": "en"}).text
    agency = browser(gateway, "dypa.officer")
    answered = agency.post(
        f"{gateway.base}/referrals/{referral}/receipt",
        data={"received_on": TODAY, "expected_version": "2"},
    )

    assert "Παπαδόπουλος" in theirs and f"/referrals/{referral}/receipt" not in theirs
    assert "1 παραπομπές · σελίδα 1 από 1" in theirs
    assert "1 referrals · page 1 of 1" in english and "Overdue only" in english
    assert answered.status_code == 200 and "Η παραλαβή καταχωρίστηκε." in answered.text
    assert f"/referrals/{referral}/acceptance" in answered.text
