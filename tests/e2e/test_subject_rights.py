"""A person's rights, asked of the DPO against the running platform: everything held about them
(GDPR Art. 15) and who saw their file and why. Both are personal reads, so both are audited; nobody
but the DPO may ask."""

from __future__ import annotations

import json

from tests.e2e.gateway_platform import USERS
from tests.e2e.test_gateway_api import assessed, contact

MARK = "Ζωγράφου-7Q"  # a value only this person's file holds
WHY = {"reason": "medical_emergency", "details": "λιποθύμησε στο κέντρο, χρειάζεται ιστορικό"}


def person_with_a_history(gateway) -> str:
    beneficiary = gateway.register(
        "kalamata.worker", "MU-KALAMATA", family_name=MARK, amka="01013099997"
    )
    worker = gateway.client("kalamata.worker")
    noted = contact(0, notes=f"σημείωση {MARK}")
    assert worker.post(f"/beneficiaries/{beneficiary}/contacts", noted).status_code == 200
    gateway.catch_up()
    return beneficiary


def test_the_dpos_export_holds_the_persons_values_and_is_itself_audited(gateway):
    beneficiary = person_with_a_history(gateway)
    answer = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/subject-access")
    assert answer.status_code == 200, answer.text
    export = answer.json()
    assert export["registry"][0]["registered"]["family_name"] == MARK
    assert export["registry"][0]["registered"]["amka"] == "01013099997"
    notes = [e["data"].get("notes") for e in export["case_history"]]
    assert f"σημείωση {MARK}" in notes
    assert any(step["type"] == "ContactRecorded" for step in export["timeline"])
    assert "referrals" in export and "case" in export
    (home,) = export["reporting"]["beneficiary_home"]
    assert home["beneficiary_id"] == beneficiary
    own_read, audit_read = (
        gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    )
    assert (own_read["viewer"], own_read["reason"]) == ("dpo", "subject_access_request")
    assert audit_read["viewer"] == "dpo"  # reading the audit is itself a read of the person
    assert MARK in json.dumps(export, ensure_ascii=False)


def test_the_export_carries_the_assessment_a_case_worker_recorded(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    assessed(gateway, beneficiary)
    export = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/subject-access").json()
    assert export["case"]["assessment"]["groups"] == ["roma"]


def test_the_access_report_names_each_viewer_with_role_site_and_purpose(gateway):
    beneficiary = person_with_a_history(gateway)
    gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}")
    gateway.client("kalamata.head").get(f"/beneficiaries/{beneficiary}")
    sparti = gateway.client("sparti.head")
    assert sparti.post(f"/beneficiaries/{beneficiary}/emergency-access", WHY).status_code == 201
    sparti.get(f"/beneficiaries/{beneficiary}")
    answer = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/access-report")
    assert answer.status_code == 200, answer.text
    seen = [
        (e["what"], e["who"], e["role"], e["site"], e["purpose"]) for e in answer.json()["entries"]
    ]
    assert seen == [
        ("RecordViewed", "kalamata.worker", "case_worker", "MU-KALAMATA", None),
        ("RecordViewed", "kalamata.head", "head_of_centre", "KK-KALAMATA", None),
        ("EmergencyAccessGranted", "sparti.head", "head_of_centre", "KK-SPARTI", WHY["reason"]),
        ("RecordViewed", "sparti.head", "head_of_centre", "KK-SPARTI", WHY["reason"]),
        ("RecordViewed", "dpo", "dpo", None, "access_report"),
    ]
    granted = answer.json()["entries"][2]
    assert granted["details"] == WHY["details"] and granted["until"]


def test_nobody_but_the_dpo_may_export_a_person_or_read_who_saw_them(gateway):
    beneficiary = person_with_a_history(gateway)
    for username in USERS:
        if username == "dpo":
            continue
        client = gateway.client(username)
        assert client.get(f"/beneficiaries/{beneficiary}/subject-access").status_code == 403
        assert client.get(f"/beneficiaries/{beneficiary}/access-report").status_code == 403
    views = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    # nothing was shown to anyone else, and each refused attempt is on the person's audit
    others = [u for u in USERS if u != "dpo"]
    assert [(v["viewer"], v["refused"], v["categories"]) for v in views] == [
        *((u, True, []) for u in others for _ in ("subject-access", "access-report")),
        ("dpo", False, ["audit"]),
    ]


def test_an_unknown_person_is_404_to_the_dpo(gateway):
    dpo = gateway.client("dpo")
    unknown = "00000000-0000-4000-8000-000000000000"
    assert dpo.get(f"/beneficiaries/{unknown}/subject-access").status_code == 404
    assert dpo.get(f"/beneficiaries/{unknown}/access-report").status_code == 404
