"""A mobile unit's trip download against the real API (POST /api/v1/trips): the network's people
of the municipalities its site serves, with the case version the sync chains on, never another
network's person nor the needs assessment, each one audited; a municipality the site does not
serve refused with the field named; labels in the reader's language."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from nameko.standalone.rpc import ClusterRpcProxy

from contracts import api as api_contract
from services.common.transport import nameko_config
from tests.e2e.gateway_platform import DYPA_KALAMATA, GatewayPlatform
from tests.support import openapi
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()
# MU-KALAMATA's partner municipalities in the demo network: Messinia's but Kalamata itself
MESSINIA_BUT_KALAMATA = ["9253", "9255", "9256", "9257", "9258"]
OICHALIA, KALAMATA = "9256", "9254"


def downloaded(gateway: GatewayPlatform, user="kalamata.worker", body=None, **kw) -> dict:
    """The trip, checked against its contract (contracts/api.py `Trip`, unknown fields refused)
    and against the OpenAPI document the gateway serves."""
    response = gateway.client(user).post("/trips", body, **kw)
    assert response.status_code == 200, response.text
    document = gateway.client().get("/openapi.json").json()
    assert openapi.problems(document, response) == []
    answer = response.json()
    api_contract.Trip().load(answer)
    return answer


def assessed(gateway: GatewayPlatform, beneficiary: str, version: int) -> None:
    answer = gateway.client("kalamata.worker").post(
        f"/beneficiaries/{beneficiary}/assessments",
        {
            "command_id": str(uuid.uuid4()),
            "expected_version": version,
            "assessed_on": TODAY,
            "groups": ["roma"],
            "needs": ["εργασία"],
            "household_size": 4,
            "labour_status": "long_term_unemployed",
            "education": "0-2",
            "disability": True,
            "citizenship": "GR",
            "foreign_background": False,
            "housing": "παράγκα",
            "rural": True,
        },
    )
    assert answer.status_code == 200, answer.text


def consented_to_dypa(gateway: GatewayPlatform, beneficiary: str, version: int) -> None:
    consent = {
        "command_id": str(uuid.uuid4()),
        "expected_version": version,
        "recipient": DYPA_KALAMATA,
        "purpose": "παραπομπή για εργασία",
        "given_on": TODAY,
    }
    answer = gateway.client("kalamata.worker").post(
        f"/beneficiaries/{beneficiary}/consents", consent
    )
    assert answer.status_code == 200, answer.text


def case_version(gateway: GatewayPlatform, beneficiary: str) -> int:
    with ClusterRpcProxy(nameko_config(gateway.settings.amqp_uri)) as cluster:
        return cluster.intake.case_version(beneficiary)


def test_a_mobile_unit_takes_its_networks_people_of_its_municipalities_and_no_one_else(gateway):
    nikos = gateway.register("kalamata.worker", "MU-KALAMATA", given_name="Νίκος")
    assessed(gateway, nikos, 0)
    consented_to_dypa(gateway, nikos, 1)
    elsewhere = gateway.register("sparti.worker", "KK-SPARTI", given_name="Σπύρος")  # also Oichalia
    in_town = gateway.register(
        "kalamata.worker", "MU-KALAMATA", given_name="Κατερίνα", municipality_code=KALAMATA
    )
    gateway.catch_up()
    trip = downloaded(gateway)
    people = {p["beneficiary_id"]: p for p in trip["people"]}
    assert nikos in people and elsewhere not in people and in_town not in people
    mine = people[nikos]
    assert mine["given_name"] == "Νίκος" and mine["municipality_code"] == OICHALIA
    assert mine["case"] == {"version": case_version(gateway, nikos), "closed": False, "plan": None}
    assert mine["case"]["version"] == 2
    assert mine["consents"] == [DYPA_KALAMATA]
    # the needs assessment (special-category) never leaves, even for the case worker who made it
    assert (
        "assessment" not in mine
        and "roma" not in json.dumps(mine)
        and "παράγκα" not in json.dumps(trip)
    )
    assert [m["code"] for m in trip["municipalities"]] == MESSINIA_BUT_KALAMATA
    assert {"code": OICHALIA, "name": "Οιχαλία"} in trip["municipalities"]
    assert (trip["site"], trip["staff_id"]) == ("MU-KALAMATA", "kalamata.worker")
    assert trip["site_name"] == "Κινητή Μονάδα Καλαμάτα"
    uuid.UUID(trip["trip_id"])
    window = datetime.fromisoformat(trip["expires_at"]) - datetime.fromisoformat(
        trip["downloaded_at"]
    )
    assert window == timedelta(days=7)  # the sync's window (KENTRA_OFFLINE_DAYS)
    recipients = {(r["kind"], r["id"]) for r in trip["recipients"]}
    assert ("agency", DYPA_KALAMATA) in recipients and ("centre", "KK-SPARTI") in recipients


def test_each_downloaded_person_is_audited_as_an_offline_download(gateway):
    nikos = gateway.register("kalamata.worker", "MU-KALAMATA")
    elsewhere = gateway.register("sparti.worker", "KK-SPARTI")
    downloaded(gateway, body={"municipalities": [OICHALIA]})
    dpo = gateway.client("dpo")
    views = dpo.get(f"/beneficiaries/{nikos}/audit").json()["views"]
    offline = [v for v in views if v["purpose"] == "offline_download"]
    assert len(offline) == 1
    assert {k: offline[0][k] for k in ("viewer", "site", "categories", "refused")} == {
        "viewer": "kalamata.worker",
        "site": "MU-KALAMATA",
        "categories": ["contacts", "identity"],
        "refused": False,
    }
    others = dpo.get(f"/beneficiaries/{elsewhere}/audit").json()["views"]
    assert [v for v in others if v["purpose"] == "offline_download"] == []


def test_an_erased_person_is_not_downloaded(gateway):
    nikos = gateway.register("kalamata.worker", "MU-KALAMATA")
    erased = gateway.client("dpo").post(
        f"/beneficiaries/{nikos}/erasure", {"reason": "αίτημα διαγραφής του ιδίου"}
    )
    assert erased.status_code == 200, erased.text
    gateway.catch_up()
    assert nikos not in {p["beneficiary_id"] for p in downloaded(gateway)["people"]}


def test_a_municipality_the_site_does_not_serve_is_refused_naming_the_field(gateway):
    client = gateway.client("kalamata.worker")
    refused = client.post("/trips", {"municipalities": [OICHALIA, KALAMATA]})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "rule_violated"
    assert body["error"] == "Η λήψη για την εξόρμηση ζητά δήμο που δεν εξυπηρετεί η δομή σας."
    assert body["details"] == {
        "municipalities": ["Δεν είναι δήμος που εξυπηρετεί η δομή σας: 9254"]
    }
    english = client.post(
        "/trips", {"municipalities": [KALAMATA]}, headers={"Accept-Language": "en"}
    ).json()
    assert english["details"] == {"municipalities": ["not a municipality your site serves: 9254"]}
    document = gateway.client().get("/openapi.json").json()
    assert openapi.problems(document, refused) == []


def test_roles_that_keep_no_files_may_not_download_a_trip(gateway):
    for user in ("coordinator", "dypa.officer", "dpo"):
        refused = gateway.client(user).post("/trips", {})
        assert refused.status_code == 403, (user, refused.text)
        assert refused.json()["code"] == "forbidden"


def test_the_choices_are_labelled_in_greek_unless_english_is_asked(gateway):
    greek = downloaded(gateway)["choices"]
    assert {"code": "mobile_unit_visit", "label": "Επίσκεψη Κινητής Μονάδας"} in greek["channels"]
    assert {"code": "employment", "label": "Απασχόληση"} in greek["needs"]
    english = downloaded(gateway, headers={"Accept-Language": "en"})["choices"]
    assert {"code": "mobile_unit_visit", "label": "Mobile unit visit"} in english["channels"]
    assert {"code": "woman", "label": "Woman"} in english["genders"]
    assert set(greek) == {
        "channels",
        "services",
        "needs",
        "vulnerable_groups",
        "labour_status",
        "education",
        "genders",
    }
    # every code has its words: a label is never the code itself
    assert all(c["label"] != c["code"] for codes in greek.values() for c in codes)
