"""The OpenAPI document the gateway publishes, read as an outside client would: valid OpenAPI 3.1,
an answer's schema for every operation, the statuses each route can really answer, one error
shape, typed offline commands and municipal events, files where routes give files."""

from __future__ import annotations

from openapi_spec_validator import OpenAPIV31SpecValidator

from services.portal_gateway.entrypoints.api import ROUTES
from services.portal_gateway.entrypoints.api.openapi import PARAM, document


def operation(method: str, path: str) -> dict:
    return document()["paths"][path][method]


def schema(name: str) -> dict:
    return document()["components"]["schemas"][name]


def answer(method: str, path: str, status: str = "200") -> dict:
    ref = operation(method, path)["responses"][status]["content"]["application/json"]["schema"]
    return schema(ref["$ref"].rsplit("/", 1)[1])


def test_the_document_is_valid_openapi_3_1():
    assert document()["openapi"].startswith("3.1")
    errors = list(OpenAPIV31SpecValidator(document()).iter_errors())
    assert errors == []


def test_every_route_names_the_schema_of_its_answer():
    assert [f"{r.method} {r.path}" for r in ROUTES if r.answers is None] == []
    for path, item in document()["paths"].items():
        for method, op in item.items():
            success = [s for s in op["responses"] if s.startswith("2")]
            assert len(success) == 1, (method, path)
            content = op["responses"][success[0]]["content"]["application/json"]["schema"]
            assert content["$ref"].startswith("#/components/schemas/"), (method, path)
            assert content["$ref"].rsplit("/", 1)[1] != "Error", (method, path)


def test_each_route_lists_the_statuses_it_can_answer_and_no_others():
    assert set(operation("get", "/network")["responses"]) == {"200", "401", "503"}
    # a read of one person: no body to be refused, no role refused before the record is looked at
    assert set(operation("get", "/beneficiaries/{beneficiary_id}")["responses"]) == {
        "200",
        "401",
        "404",
        "503",
    }
    assert set(operation("get", "/openapi.json")["responses"]) == {"200"}  # needs nobody
    login = operation("post", "/auth/token")["responses"]
    assert {"400", "401", "413", "422", "429"} <= set(login) and "403" not in login
    assert "Retry-After" in login["429"]["headers"]
    case_command = operation("post", "/beneficiaries/{beneficiary_id}/contacts")["responses"]
    assert {"409", "410", "404", "422"} <= set(case_command) and "429" not in case_command


def test_every_route_that_needs_a_dependency_may_answer_503_with_retry_after():
    for path, item in document()["paths"].items():
        for method, op in item.items():
            if path == "/openapi.json":
                continue
            assert "Retry-After" in op["responses"]["503"]["headers"], (method, path)
    stored = schema("Error")["properties"]["stored"]
    assert stored["type"] == ["boolean", "null"]


def test_whatever_makes_something_new_answers_201_and_a_registration_names_the_person():
    assert "201" in operation("post", "/beneficiaries")["responses"]
    assert "200" not in operation("post", "/beneficiaries")["responses"]
    assert "201" in operation("post", "/referrals")["responses"]
    registration = answer("post", "/beneficiaries", "201")
    assert {"beneficiary_id", "stream", "version"} <= set(registration["required"])


def test_every_refusal_has_one_shape_with_a_code():
    error = schema("Error")
    assert set(error["required"]) == {"error", "code"}
    for item in document()["paths"].values():
        for op in item.values():
            for status, response in op["responses"].items():
                if not status.startswith("2"):
                    shown = response["content"]["application/json"]["schema"]
                    assert shown == {"$ref": "#/components/schemas/Error"}


def test_expected_version_says_the_version_of_which_stream():
    contact = schema("RecordContact_beneficiary_id")["properties"]["expected_version"]
    assert "case stream (case-<beneficiary_id>)" in contact["description"]
    sending = schema("SendReferral_beneficiary_id_by_referral_id")["properties"]["expected_version"]
    assert "referral-<referral_id>" in sending["description"]


def test_an_offline_command_and_a_municipal_event_are_typed():
    offline = schema("Batch")["properties"]["commands"]["items"]
    kinds = {s["title"] for s in offline["properties"]["fields"]["anyOf"]}
    assert {"kind: beneficiaries", "kind: referrals", "kind: contacts"} <= kinds
    assert "fields_" not in offline["properties"]
    item = schema("Posted")["properties"]["events"]["items"]
    assert set(item["required"]) == {"event_id", "type", "schema_version", "data"}
    assert {s["title"] for s in item["properties"]["data"]["anyOf"]} == {
        "ContactRecorded",
        "ServiceDelivered",
    }


def test_reports_document_their_csv_and_xlsx_files():
    for path in ("/reports/daily-register", "/reports/esf"):
        content = operation("get", path)["responses"]["200"]["content"]
        assert set(content) == {
            "application/json",
            "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }


def test_every_path_parameter_is_declared():
    for r in ROUTES:
        declared = {
            p["name"] for p in operation(r.method.lower(), PARAM.sub(r"{\2}", r.path))["parameters"]
        }
        assert {name for _, name in PARAM.findall(r.path)} <= declared
