"""Breaking the glass and the DPO's pages on the Greek portal: a form post with a listed reason
(never a link with a reason in it), the grant's end in Athens time, the DPO's review list and a
person's rights, each refused to everyone else."""

from __future__ import annotations

import re

from tests.e2e.test_emergency_access import WHY, kalamata_person
from tests.e2e.test_web_portal import browser

DATE_TIME = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")


def test_the_portal_breaks_the_glass_by_a_form_post_never_by_a_link(gateway):
    beneficiary = kalamata_person(gateway)
    head = browser(gateway, "sparti.head")
    refused = head.get(f"{gateway.base}/beneficiaries/{beneficiary}", params={"reason": "έκτακτο"})
    assert refused.status_code == 404
    forms = re.findall(r'<form method="(\w+)" action="([^"]+)"', refused.text)
    assert ("post", f"/beneficiaries/{beneficiary}/emergency-access") in forms
    assert not [action for method, action in forms if method == "get" and beneficiary in action]
    assert "Κίνδυνος για τη ζωή" in refused.text  # the reasons, in Greek
    url = f"{gateway.base}/beneficiaries/{beneficiary}/emergency-access"
    short = head.post(url, data={"reason": "danger_to_life", "details": "."})
    assert short.status_code == 422 and 'value="danger_to_life" selected' in short.text
    done = head.post(url, data=WHY, allow_redirects=False)
    assert done.status_code == 303 and done.headers["Location"] == f"/beneficiaries/{beneficiary}"
    page = head.get(f"{gateway.base}/beneficiaries/{beneficiary}")
    assert page.status_code == 200 and "Πρόσβαση έκτακτης ανάγκης έως" in page.text
    assert DATE_TIME.search(page.text)


def test_a_head_opens_their_networks_special_categories_from_the_record_page(gateway):
    beneficiary = kalamata_person(gateway)
    head = browser(gateway, "kalamata.head")
    page = head.get(f"{gateway.base}/beneficiaries/{beneficiary}")
    assert "ανοίγουν μόνο με πρόσβαση έκτακτης ανάγκης" in page.text and "Ρομά" not in page.text
    head.post(f"{gateway.base}/beneficiaries/{beneficiary}/emergency-access", data=WHY)
    page = head.get(f"{gateway.base}/beneficiaries/{beneficiary}")
    assert "Ρομά" in page.text and "Πρόσβαση έκτακτης ανάγκης έως" in page.text


def test_the_dpo_reviews_each_grant_on_a_greek_page_and_nobody_else_may(gateway):
    beneficiary = kalamata_person(gateway)
    head = browser(gateway, "sparti.head")
    head.post(f"{gateway.base}/beneficiaries/{beneficiary}/emergency-access", data=WHY)
    assert head.get(f"{gateway.base}/emergency-access").status_code == 403
    dpo = browser(gateway, "dpo")
    page = dpo.get(f"{gateway.base}/emergency-access")
    assert page.status_code == 200 and "Προσβάσεις έκτακτης ανάγκης" in page.text
    assert (
        "Sparti Head" in page.text and WHY["details"] in page.text and DATE_TIME.search(page.text)
    )
    (grant_id,) = re.findall(r'action="/emergency-access/([^/]+)/review"', page.text)
    reviewed = dpo.post(
        f"{gateway.base}/emergency-access/{grant_id}/review",
        data={"note": "δικαιολογημένη, μίλησα με τον προϊστάμενο"},
    )
    assert reviewed.status_code == 200 and "δικαιολογημένη, μίλησα" in reviewed.text


def test_the_dpo_reads_a_persons_file_and_who_saw_it_in_greek_or_as_json(gateway):
    beneficiary = kalamata_person(gateway)
    gateway.client("kalamata.worker").get(f"/beneficiaries/{beneficiary}")
    dpo = browser(gateway, "dpo")
    page = dpo.get(f"{gateway.base}/subject-rights", params={"beneficiary": beneficiary})
    assert page.status_code == 200 and "Παπαδόπουλος" in page.text
    assert "Ποιος είδε τον φάκελο" in page.text and "Kalamata Worker" in page.text
    assert "03/03/1980" in page.text  # the birth date as the centres write it
    export = dpo.get(
        f"{gateway.base}/subject-rights", params={"beneficiary": beneficiary, "format": "json"}
    )
    assert "attachment" in export.headers.get("Content-Disposition", ""), export.text[:3000]
    assert export.json()["registry"][0]["registered"]["family_name"] == "Παπαδόπουλος"
    head = browser(gateway, "kalamata.head")
    refused = head.get(f"{gateway.base}/subject-rights", params={"beneficiary": beneficiary})
    assert refused.status_code == 403 and "Παπαδόπουλος" not in refused.text
