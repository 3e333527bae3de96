"""Every other endpoint of the API, its success and a failure: the case's commands, merges, the
network's commands, the directory, withdrawals and overdue referrals. Every answer of the tour,
refusals included, is checked against the OpenAPI document the gateway publishes."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from tests.e2e.gateway_platform import DYPA_KALAMATA
from tests.support import openapi
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()


@pytest.fixture(autouse=True)
def every_answer_matches_the_openapi_document(gateway):
    """After each journey: each answer's status, media type and body as the document says."""
    yield
    document = gateway.client().get("/openapi.json").json()
    assert len(gateway.responses) > 10
    assert [p for r in gateway.responses for p in openapi.problems(document, r)] == []


def cmd(version: int | None = None, **fields) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        **({} if version is None else {"expected_version": version}),
        **fields,
    }


def test_the_whole_case_through_the_api(gateway):
    person = gateway.register("kalamata.worker", "MU-KALAMATA")
    w = gateway.client("kalamata.worker")
    plan = str(uuid.uuid4())
    steps = [
        (
            "services",
            cmd(
                0,
                occurred_on=TODAY,
                service="psychosocial_counselling",
                site="MU-KALAMATA",
                staff_id="kalamata.worker",
            ),
        ),
        ("consents", cmd(1, recipient=DYPA_KALAMATA, purpose="παραπομπή", given_on=TODAY)),
        ("consent-withdrawals", cmd(2, recipient=DYPA_KALAMATA, withdrawn_on=TODAY)),
        ("action-plans", cmd(3, plan_id=plan, opened_on=TODAY, goals="εύρεση εργασίας")),
        (
            "action-steps",
            cmd(4, plan_id=plan, step_id="s1", description="εγγραφή στη ΔΥΠΑ", due_on=TODAY),
        ),
        ("action-steps-done", cmd(5, plan_id=plan, step_id="s1", done_on=TODAY)),
        (
            "action-plan-closures",
            cmd(6, plan_id=plan, closed_on=TODAY, outcome="ο στόχος επιτεύχθηκε"),
        ),
        ("case-closures", cmd(7, closed_on=TODAY, reason="ολοκληρώθηκε")),
        ("case-reopenings", cmd(8, reopened_on=TODAY, reason="επέστρεψε")),
        ("case-transfers", cmd(9, to_site="KK-SPARTI", transferred_on=TODAY, reason="μετακόμισε")),
    ]
    assert w.call("DELETE", f"/beneficiaries/{person}").status_code == 405  # JSON, with Allow
    assert w.get("/nowhere").status_code == 404
    for segment, body in steps:
        answer = w.post(f"/beneficiaries/{person}/{segment}", body)
        assert answer.status_code == 200, (segment, answer.text)
        refused = w.post(f"/beneficiaries/{person}/{segment}", {**body, "command_id": "short"})
        assert refused.status_code == 422 and "command_id" in refused.json()["details"], segment
    gateway.catch_up()
    # the case went to Sparti: Sparti's staff now see the person
    record = gateway.client("sparti.worker").get(f"/beneficiaries/{person}")
    last = record.json()["timeline"][-1] if record.status_code == 200 else {}
    assert last["type"] == "CaseTransferred" and last["data"]["to_site"] == "KK-SPARTI"


def test_merge_and_unmerge_through_the_api(gateway):
    one = gateway.register(
        "kalamata.worker", "MU-KALAMATA", given_name="Άννα", family_name="Λάμπρου"
    )
    two = gateway.register(
        "kalamata.worker", "KK-KALAMATA", given_name="Anna", family_name="Lamprou"
    )
    head = gateway.client("kalamata.head")
    assert (
        gateway.client("kalamata.worker")
        .post(f"/beneficiaries/{two}/merge", {"survivor_id": one, "reason": "ίδια"})
        .status_code
        == 403
    )
    assert (
        head.post(f"/beneficiaries/{two}/merge", {"survivor_id": two, "reason": "ίδια"}).status_code
        == 422
    )
    assert (
        head.post(
            f"/beneficiaries/{two}/merge", {"survivor_id": one, "reason": "ίδια ταυτότητα"}
        ).status_code
        == 200
    )
    gateway.catch_up()
    record = gateway.client("kalamata.worker").get(f"/beneficiaries/{two}").json()
    assert record["beneficiary_id"] == one and sorted(record["records"]) == sorted([one, two])
    assert head.post(f"/beneficiaries/{two}/unmerge", {"reason": "δύο πρόσωπα"}).status_code == 200
    assert head.post(f"/beneficiaries/{two}/unmerge", {"reason": "ξανά"}).status_code == 422


def test_the_network_and_the_directory_through_the_api(gateway):
    c = gateway.client("coordinator")
    staffing = {s["site"]: s for s in c.get("/network/staffing").json()["sites"]}
    assert staffing["KK-KALAMATA"]["population"] == 72_906
    staff = {
        "command_id": str(uuid.uuid4()),
        "staff_id": "kalamata.mediator1",
        "name": "Διαμεσολαβήτρια",
        "role": "mediator",
        "site": "KK-KALAMATA",
        "since": TODAY,
    }
    assert c.post("/network/staff", staff).status_code == 200
    assert (
        c.post(
            "/network/staff", {**staff, "site": "KK-NOWHERE", "command_id": str(uuid.uuid4())}
        ).status_code
        == 404
    )
    assert gateway.client("kalamata.head").post("/network/staff", staff).status_code == 403
    leaving = {
        "command_id": str(uuid.uuid4()),
        "staff_id": "kalamata.mediator1",
        "site": "KK-KALAMATA",
        "on": TODAY,
    }
    assert c.post("/network/staff-leaving", leaving).status_code == 200
    partners = {
        "command_id": str(uuid.uuid4()),
        "site": "MU-KALAMATA",
        "partner_municipalities": ["9258", "9252"],
        "reason": "λάθος",
    }
    wrong = c.post("/network/partner-municipalities", partners)
    assert wrong.status_code == 422 and wrong.json()["details"]["outside"] == ["9252"]
    centre = {
        "command_id": str(uuid.uuid4()),
        "site": "KK-MESSINI",
        "name": "Κέντρο Κοινότητας Μεσσήνης",
        "lead_municipality_code": "9255",
        "regional_unit": "messinia",
        "expanded": False,
        "operation_mis": "5012345",
        "period_start": "2025-01-01",
        "period_end": "2027-12-31",
        "budget_eur": "250000.00",
        "target_new_beneficiaries": 300,
    }
    assert c.post("/network/centres", centre).json()["warnings"][0].startswith("no social worker")
    unit = {
        "command_id": str(uuid.uuid4()),
        "site": "MU-MESSINI",
        "name": "Κινητή Μονάδα Μεσσήνης",
        "parent_centre": "KK-MESSINI",
        "partner_municipalities": ["9256"],
    }
    assert c.post("/network/mobile-units", unit).status_code == 200

    programme = c.get("/programmes").json()["programmes"][0]
    assert (
        c.post(
            "/programmes", {**programme, "command_id": str(uuid.uuid4()), "capacity": 45}
        ).status_code
        == 200
    )
    assert (
        c.post(
            "/programmes", {**programme, "command_id": str(uuid.uuid4()), "min_age": 70}
        ).status_code
        == 422
    )
    assert gateway.client("dypa.officer").get("/agencies").status_code == 200


def test_a_withdrawn_referral_and_an_overdue_one(gateway):
    person = gateway.register("kalamata.worker", "MU-KALAMATA")
    w = gateway.client("kalamata.worker")

    def refer(requested_on: str) -> str:
        referral = str(uuid.uuid4())
        w.post(
            "/referrals",
            cmd(
                0,
                referral_id=referral,
                beneficiary_id=person,
                from_site="MU-KALAMATA",
                need="employment",
                recipient_kind="agency",
                recipient_id=DYPA_KALAMATA,
                recipient_name="ΔΥΠΑ",
                shares_personal_data=False,
                requested_on=requested_on,
            ),
        )
        assert (
            w.post(f"/referrals/{referral}/sending", cmd(1, sent_on=requested_on)).status_code
            == 200
        )
        return referral

    withdrawn = refer(TODAY)
    no_reason = w.post(f"/referrals/{withdrawn}/withdrawal", cmd(2, withdrawn_on=TODAY))
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["details"]
    assert (
        w.post(
            f"/referrals/{withdrawn}/withdrawal", cmd(2, withdrawn_on=TODAY, reason="βρήκε εργασία")
        ).status_code
        == 200
    )
    late = refer("2026-01-05")
    overdue = [
        r["referral_id"]
        for r in gateway.client("coordinator").get("/referrals/overdue").json()["referrals"]
    ]
    assert late in overdue and withdrawn not in overdue
    assert gateway.client("dpo").get("/referrals/overdue").status_code == 403
    assert w.post(f"/referrals/{uuid.uuid4()}/sending", cmd(1, sent_on=TODAY)).status_code == 404


def _released_month() -> tuple[str, str]:
    """A month that has ended and settled (two months back), and a moment in it."""
    today = today_in_greece()
    month = date(today.year, today.month, 1) - timedelta(days=40)
    return f"{month.year}-{month.month:02d}", f"{month.year}-{month.month:02d}-10T10:00:00+03:00"


def _figures(value) -> list:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _figures(v)]
    return [value] if isinstance(value, int) else []


def test_reports_as_json_and_as_files_suppressed_when_they_leave_the_centre(gateway):
    import csv
    import io

    from openpyxl import load_workbook

    month, moment = _released_month()
    for _ in range(6):
        gateway.register_back_then("kalamata.worker", "MU-KALAMATA", moment)
    gateway.register_back_then("kalamata.head", "KK-KALAMATA", moment, municipality_code="9254")
    head, coordinator = gateway.client("kalamata.head"), gateway.client("coordinator")
    own = head.get("/reports/daily-register", site="MU-KALAMATA").json()  # live, whole
    assert not own["suppressed"] and {(r["measure"], r["n"]) for r in own["rows"]} == {
        ("new_beneficiaries", 6)
    }
    assert head.get("/reports/daily-register", site="KK-SPARTI").status_code == 403
    assert (
        head.get("/reports/daily-register").status_code == 403
    )  # the whole region is not a head's
    regional = coordinator.get("/reports/daily-register", period=month).json()
    assert regional["suppressed"] and regional["period"] == month
    # seven people in the whole region: any figure shown (the total, the 6 of one municipality)
    # would pin the one at Kalamata to 7 - 6, so an LP analyst finds nothing to work with
    assert (
        _figures(regional["tables"]) == []
        and regional["tables"]["new_beneficiaries"]["total"] == "c"
    )
    # never a window of days from outside: two a day apart would differ by that day
    since = coordinator.get("/reports/daily-register", since=f"{month}-01", until=f"{month}-09")
    assert since.status_code == 422 and "period" in since.json()["error"]
    assert coordinator.get("/reports/daily-register", period="yesterday").status_code == 422
    this_month = today_in_greece().isoformat()[:7]
    assert coordinator.get("/reports/daily-register", period=this_month).status_code == 404
    again = coordinator.get("/reports/daily-register", period=month).json()
    assert again["released_at"] == regional["released_at"]  # one release, frozen

    csv_file = coordinator.get("/reports/daily-register", period=month, format="csv")
    assert csv_file.headers["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[0][0] == f"Περίοδος {month}" and lines[-1][0] == "εμπ."
    assert [v for line in lines[1:-1] for v in line[2:] if v.isdigit()] == []
    xlsx = head.get("/reports/daily-register", site="MU-KALAMATA", format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == ["Νέοι ωφελούμενοι", None, 6, 6]

    coverage = {
        m["municipality_code"]: m
        for m in coordinator.get("/reports/coverage", period=month).json()["municipalities"]
    }
    assert coverage["9256"]["new_beneficiaries"] == "c"  # and no rate gives it back
    assert coverage["9256"]["per_1000_residents"] is None and coverage["9256"]["name_el"]
    assert gateway.client("dpo").get("/reports/coverage").status_code == 403
    (kalamata,) = [o for o in head.get("/reports/targets").json()["operations"]]
    assert kalamata["site"] == "KK-KALAMATA" and kalamata["target"] == 900
    released = coordinator.get("/reports/targets", period=month).json()
    assert released["released_through"] == month
    kalamata = next(o for o in released["operations"] if o["site"] == "KK-KALAMATA")
    assert kalamata["new_beneficiaries"] == "c" and kalamata["target"] == 900
    assert kalamata["new_beneficiaries_at_least"] == 0 and kalamata["share_of_target"] is None
    assert head.get("/reports/caseload", site="MU-KALAMATA").status_code == 200
    assert coordinator.get("/reports/caseload", site="MU-KALAMATA").status_code == 403
    assert coordinator.get("/reports/referral-flow", period=month).json()["flow"] == []


def test_esf_indicators_through_the_api(gateway):
    import csv
    import io

    person = gateway.register(
        "kalamata.worker", "MU-KALAMATA", gender="woman", birth_date="1966-04-02"
    )
    last_year = today_in_greece().year - 1
    answer = gateway.client("kalamata.worker").post(
        f"/beneficiaries/{person}/assessments",
        cmd(
            0,
            assessed_on=f"{last_year}-12-20",
            groups=["roma"],
            needs=["εργασία"],
            household_size=3,
            labour_status="unemployed",
            education="0-2",
            disability=False,
            citizenship="GR",
            foreign_background=False,
            housing="ενοίκιο",
            rural=True,
        ),
    )
    assert answer.status_code == 200, answer.text
    gateway.catch_up()
    head, coordinator = gateway.client("kalamata.head"), gateway.client("coordinator")
    own = head.get("/reports/esf", operation="KK-KALAMATA").json()
    assert (
        not own["suppressed"]
        and own["operations"]["KK-KALAMATA"]["minorities_incl_roma"]["woman"] == 1
    )
    assert head.get("/reports/esf", operation="KK-SPARTI").status_code == 403
    regional = coordinator.get("/reports/esf", year=last_year).json()
    kalamata = regional["operations"]["KK-KALAMATA"]
    assert regional["suppressed"] and regional["period"] == str(last_year)
    assert kalamata["rows"]["aged_55_and_over"]["woman"] == "c"
    assert {v for cells in kalamata["rows"].values() for v in cells.values()} == {"c"}
    assert coordinator.get("/reports/esf", year="26").status_code == 422
    assert coordinator.get("/reports/esf", year=last_year + 1).status_code == 404  # not over
    lines = list(
        csv.reader(
            io.StringIO(
                coordinator.get("/reports/esf", year=last_year, format="csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert lines[0][0] == "Πράξη" and own["operation_mis"]["KK-KALAMATA"] == "5000005"
    assert ["MIS 5000005 · KK-KALAMATA", "Σύνολο συμμετεχόντων", *["εμπ."] * 5] in lines
