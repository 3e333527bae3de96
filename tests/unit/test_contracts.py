"""Contracts are defined once, versioned, upcast, and published as JSON Schema and AsyncAPI."""

import json
import unicodedata
import uuid

import pytest
import yaml
from jsonschema import Draft202012Validator
from marshmallow import ValidationError

from contracts import asyncapi, publish
from contracts.base import (
    UnknownEventType,
    all_event_contracts,
    event_contract,
    split_personal,
    upcast,
    validate_event,
)
from contracts.names import BENEFICIARY_REGISTERED, CONTACT_RECORDED

REGISTERED = {
    "beneficiary_id": str(uuid.uuid4()),
    "municipality_code": "9253",
    "site": "MU-KALAMATA",
    "given_name": "Γιώργος",
    "family_name": "Παπαδόπουλος",
    "amka": "01013099997",
}


def test_contact_recorded_v1_reads_back_as_v2_with_its_channel():
    assert upcast(CONTACT_RECORDED, 1, {"by_mobile_unit": True, "site": "MU-KALAMATA"}) == (
        2,
        {"site": "MU-KALAMATA", "channel": "mobile_unit_visit"},
    )
    assert upcast(CONTACT_RECORDED, 1, {"by_mobile_unit": False})[1]["channel"] == "centre"


def test_a_current_version_is_not_touched_by_upcasting():
    assert upcast(CONTACT_RECORDED, 2, {"channel": "phone"}) == (2, {"channel": "phone"})


def test_an_unknown_event_type_passes_through_upcasting():
    assert upcast("SomethingElse", 3, {"a": 1}) == (3, {"a": 1})


def test_an_unknown_event_type_has_no_contract():
    with pytest.raises(UnknownEventType):
        event_contract("SomethingElse")


def test_personal_fields_are_split_from_public_data():
    data, personal = split_personal(BENEFICIARY_REGISTERED, REGISTERED)
    assert set(personal) == {"given_name", "family_name", "amka"}
    assert "given_name" not in data and data["municipality_code"] == "9253"


def test_an_event_without_personal_values_seals_nothing():
    assert split_personal(CONTACT_RECORDED, {"channel": "phone", "notes": None}) == (
        {"channel": "phone"},
        None,
    )


def test_greek_text_typed_decomposed_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Γιώργος")
    loaded = validate_event(BENEFICIARY_REGISTERED, {**REGISTERED, "given_name": decomposed})
    assert loaded["given_name"] == "Γιώργος" and unicodedata.is_normalized(
        "NFC", loaded["given_name"]
    )


def test_a_validation_error_names_the_field():
    with pytest.raises(ValidationError) as raised:
        validate_event(BENEFICIARY_REGISTERED, {**REGISTERED, "amka": "123"})
    assert "amka" in raised.value.messages


def test_every_event_version_has_a_published_json_schema_and_every_relayed_event_a_message():
    files = publish.generated()
    doc = yaml.safe_load(files["asyncapi.yaml"])
    for c in all_event_contracts():
        for version in (*c.history, c.version):
            assert f"schemas/events/{c.type}.v{version}.json" in files
    for c in asyncapi.relayed():
        assert c.type in doc["channels"][f"{c.source}.events"]["messages"]
        assert c.type in doc["components"]["messages"]


def test_published_json_schemas_are_valid_and_mark_personal_fields():
    for path, text in publish.generated().items():
        if path.endswith(".json"):
            Draft202012Validator.check_schema(json.loads(text))
    registered = json.loads(publish.generated()["schemas/events/BeneficiaryRegistered.v1.json"])
    assert registered["properties"]["amka"]["x-personal"] is True


def test_the_published_schema_accepts_a_valid_event_and_rejects_an_invalid_one():
    schema = json.loads(publish.generated()["schemas/events/ContactRecorded.v2.json"])
    event = {
        "beneficiary_id": str(uuid.uuid4()),
        "occurred_on": "2026-11-20",
        "channel": "home_visit",
        "site": "MU-KALAMATA",
        "municipality_code": "9258",
        "staff_id": "sw-1",
    }
    assert not list(Draft202012Validator(schema).iter_errors(event))
    assert list(Draft202012Validator(schema).iter_errors({**event, "channel": "carrier pigeon"}))


def test_the_committed_published_files_are_up_to_date():
    assert publish.stale_files() == []


def test_a_nul_character_is_refused_naming_the_field_before_it_reaches_postgresql():
    from marshmallow import ValidationError

    from contracts.registries import RegisterBeneficiarySchema

    with pytest.raises(ValidationError) as raised:
        RegisterBeneficiarySchema().load(
            {
                "command_id": "abcdefgh\x00",
                "given_name": "Ελένη",
                "family_name": "Μ",
                "municipality_code": "9254",
                "site": "KK-KALAMATA",
            }
        )
    assert list(raised.value.messages) == ["command_id"]
