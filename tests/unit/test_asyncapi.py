"""The published AsyncAPI document (contracts/asyncapi.py): read cleanly by the AsyncAPI
Initiative's own parser, true to the broker's access model, and with examples that the contracts
and the HTTP ingest's own check accept."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

from contracts import asyncapi
from contracts.base import all_event_contracts, event_contract
from contracts.examples import example
from contracts.municipal import EVENT_TYPES, routing_key
from deploy.rabbitmq import definitions as broker

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "contracts" / "published"
VALIDATE = ROOT / "tools" / "asyncapi" / "validate.mjs"


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load((PUBLISHED / "asyncapi.yaml").read_text("utf-8"))


def messages(doc: dict, prefix: str = "") -> dict[str, dict]:
    return {k: m for k, m in doc["components"]["messages"].items() if k.startswith(prefix)}


def payload_validator(doc: dict, message_id: str) -> Draft7Validator:
    """The message's payload, its references resolved within the document (AsyncAPI's schema
    format is a superset of JSON Schema draft 7)."""
    return Draft7Validator({**doc, "$ref": f"#/components/messages/{message_id}/payload"})


def test_the_asyncapi_parser_reports_no_error_and_no_warning():
    if shutil.which("node") is None or not (VALIDATE.parent / "node_modules").exists():
        pytest.fail("node or tools/asyncapi/node_modules is missing: run scripts/bootstrap")
    run = subprocess.run(
        ["node", str(VALIDATE), str(PUBLISHED / "asyncapi.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    bad = [d for d in found if d["severity"] in ("error", "warning")]
    assert run.returncode == 0 and not bad, run.stdout + run.stderr


def test_the_parser_check_fails_on_a_document_with_a_broken_reference(tmp_path):
    """So that the test above can fail: one operation naming a message its channel lacks."""
    broken = (PUBLISHED / "asyncapi.yaml").read_text("utf-8")
    broken = broken.replace(
        "#/channels/intake.events/messages/ContactRecorded'",
        "#/channels/intake.events/messages/NoSuchMessage'",
    )
    (tmp_path / "broken.yaml").write_text(broken, "utf-8")
    run = subprocess.run(
        ["node", str(VALIDATE), str(tmp_path / "broken.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1 and '"severity":"error"' in run.stdout


def test_publishing_the_contracts_imports_no_service_code():
    script = (
        "import sys; from contracts import publish; publish.generated();"
        " print([m for m in sys.modules if m.split('.')[0] in ('services', 'nameko')])"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"


def test_it_is_asyncapi_3_on_the_kentra_vhost_with_a_user_and_password_and_tls_in_production(
    doc,
):
    assert doc["asyncapi"].startswith("3.")
    production = doc["servers"]["production"]
    assert production["protocol"] == "amqps" and production["protocolVersion"] == "0-9-1"
    assert production["pathname"] == f"/{broker.VHOST}"
    schemes = doc["components"]["securitySchemes"]
    assert [s["type"] for s in schemes.values()] == ["userPassword"]
    for server in doc["servers"].values():
        assert server["security"] == [{"$ref": "#/components/securitySchemes/brokerUser"}]
    for channel in doc["channels"].values():
        assert channel["bindings"]["amqp"]["exchange"]["vhost"] == broker.VHOST


def test_there_is_a_channel_for_each_exchange_that_exists_and_no_other(doc):
    exchanges = {e["name"] for e in broker.exchanges()}
    assert set(doc["channels"]) <= exchanges
    assert set(doc["channels"]) == {f"{s}.events" for s in broker.SOURCES} | {
        broker.MUNICIPAL_EXCHANGE
    }
    for name, channel in doc["channels"].items():
        assert channel["bindings"]["amqp"]["exchange"]["name"] == name


def test_every_event_a_relay_publishes_is_received_from_its_sources_exchange(doc):
    for c in all_event_contracts():
        if c.source not in broker.SOURCES:
            continue
        channel = doc["channels"][f"{c.source}.events"]
        assert c.type in channel["messages"]
        assert c.type in channel["parameters"]["eventType"]["enum"]  # the routing key
        operation = doc["operations"][f"receive{c.type}"]
        assert operation["action"] == "receive"
        assert operation["bindings"]["amqp"]["userId"] == f"{c.source}-relay"


def test_events_kept_in_stores_without_a_relay_have_no_channel_or_message(doc):
    """The gateway's audit (RecordViewed) and reporting's releases never reach the broker."""
    unrelayed = {c.type for c in all_event_contracts() if c.source not in broker.SOURCES}
    assert "RecordViewed" in unrelayed
    assert not unrelayed & set(doc["components"]["messages"])
    for channel in doc["channels"].values():
        assert not unrelayed & set(channel["messages"])


def test_a_municipal_publisher_sends_its_centres_events_with_the_routing_key_the_broker_allows(
    doc,
):
    channel = doc["channels"][broker.MUNICIPAL_EXCHANGE]
    assert channel["address"] == "{site}.{eventType}"
    assert channel["parameters"]["site"]["location"] == "$message.payload#/data/site"
    assert channel["parameters"]["eventType"]["enum"] == list(EVENT_TYPES)
    sends = {k: o for k, o in doc["operations"].items() if o["action"] == "send"}
    assert {o["channel"]["$ref"] for o in sends.values()} == {
        f"#/channels/{broker.MUNICIPAL_EXCHANGE}"
    }
    assert {o["bindings"]["amqp"]["deliveryMode"] for o in sends.values()} == {2}
    topics = {t["user"]: t for t in broker.definitions()["topic_permissions"]}
    for user, site in broker.PUBLISHERS.items():
        allowed = re.compile(topics[user]["write"])
        other = next(s for s in broker.PUBLISHERS.values() if s != site)
        for type_ in EVENT_TYPES:
            assert allowed.match(routing_key(site, type_))
            assert not allowed.match(routing_key(other, type_))


def test_every_message_has_a_name_title_summary_tags_and_one_example(doc):
    for key, message in messages(doc).items():
        assert message["name"] == key
        assert message["title"] and message["summary"] and message["tags"]
        assert len(message["examples"]) == 1


def test_every_example_is_valid_against_its_own_message_payload(doc):
    for key, message in messages(doc).items():
        validator = payload_validator(doc, key)
        assert not list(validator.iter_errors(message["examples"][0]["payload"])), key


def test_the_payload_check_refuses_an_example_of_another_type(doc):
    """So that the test above can fail."""
    contact = messages(doc)["ContactRecorded"]["examples"][0]["payload"]
    assert list(payload_validator(doc, "ServiceDelivered").iter_errors(contact))
    municipal = copy.deepcopy(messages(doc)["MunicipalContactRecorded"]["examples"][0]["payload"])
    municipal["data"]["channel"] = "carrier pigeon"
    assert list(payload_validator(doc, "MunicipalContactRecorded").iter_errors(municipal))


def test_every_contracts_example_is_accepted_by_the_contract_itself():
    for c in all_event_contracts():
        c.schema().load(example(c.type, c.schema))  # raises ValidationError naming the field


def test_personal_fields_travel_sealed_and_never_in_data(doc):
    schemas = doc["components"]["schemas"]
    for c in asyncapi.relayed():
        message = doc["components"]["messages"][c.type]
        sent = message["examples"][0]["payload"]
        assert not c.personal_fields & set(schemas[f"{c.type}Data"]["properties"])
        assert not c.personal_fields & set(sent["data"])
        for name in c.personal_fields:
            assert f"`{name}`" in message["description"]
        if c.personal_fields:
            assert set(schemas[f"{c.type}Sealed"]["properties"]) == c.personal_fields
            assert sent["sealed"] and sent["subject_id"] == sent["data"]["beneficiary_id"]
        else:
            assert sent["sealed"] is None


def test_a_municipal_publisher_sends_the_personal_fields_in_data_for_the_platform_to_seal(doc):
    contact = messages(doc)["MunicipalContactRecorded"]["examples"][0]["payload"]
    assert "notes" in contact["data"]
    assert "`notes`" in messages(doc)["MunicipalContactRecorded"]["description"]


def test_the_municipal_events_are_those_the_http_ingest_accepts():
    from services.portal_gateway.application.municipal_events import COMMANDS as ACCEPTED

    assert set(ACCEPTED) == set(EVENT_TYPES)


def test_each_municipal_example_passes_the_http_ingests_own_check(doc):
    """The document and the running check agree: the example is one valid item of
    POST /api/v1/ingest/events, against the published JSON Schema the ingest reads."""
    from services.portal_gateway.application.municipal_events import problems

    found = messages(doc, "Municipal")
    assert set(found) == {f"Municipal{t}" for t in EVENT_TYPES}
    for message in found.values():
        sent = message["examples"][0]["payload"]
        assert problems(sent) == []
        contract = event_contract(sent["type"])
        path = PUBLISHED / "schemas" / "events" / f"{contract.type}.v{contract.version}.json"
        published = Draft202012Validator(json.loads(path.read_text("utf-8")))
        assert not list(published.iter_errors(sent["data"]))
