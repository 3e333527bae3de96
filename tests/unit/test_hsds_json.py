"""HSDS 3.0's JSON examples (tests/fixtures/hsds, CC BY-SA 4.0) read as the tables they hold and
imported as the tabular package is (pure: no database)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from services.common.event_codec import jsonable
from services.registries.adapters import hsds
from services.registries.adapters.hsds import PackageRejected
from services.registries.adapters.hsds_import import read_package
from services.registries.adapters.hsds_json import NESTED, tabular_files

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hsds"
EXAMPLES = FIXTURE / "examples"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
PROGRAM = "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
SERVICE_AT_LOCATION = "e94c9f38-1e8f-4564-91d4-d53501ab1765"


def example(*names: str) -> dict[str, str]:
    return {n: (EXAMPLES / n).read_text(encoding="utf-8") for n in names}


def rows(files: dict, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[name])))


def imported(files: dict) -> tuple[list[dict], list[dict], list[hsds.Notice]]:
    agencies, programmes, notices = read_package(tabular_files(files))
    return [jsonable(a) for a in agencies], [jsonable(p) for p in programmes], notices


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_list.json",
        "organization_list.json",
        "service_at_location_list.json",
    ],
)
def test_each_json_example_imports_with_the_examples_ids_and_names(name):
    (agency,), programmes, notices = imported(example(name))
    assert agency["agency_id"] == ORGANIZATION and agency["name"] == "Example Organization Inc."
    assert ("organizations.csv", "hsds_defaults") in {(n.file, n.code) for n in notices}
    if name == "organization_list.json":  # a page of organizations holds no program
        assert programmes == []
        return
    (programme,) = programmes
    assert programme["programme_id"] == PROGRAM
    assert programme["name"] == "Community Mental Health Support"
    services = programme["hsds"]["rows"]["services.csv"]
    assert [(s["id"], s["name"]) for s in services] == [(SERVICE, "Community Counselling")]


def test_nested_objects_become_rows_of_their_table_with_the_parents_key():
    files = tabular_files(example("service_full.json"))
    (service,) = rows(files, "services.csv")
    assert service["organization_id"] == ORGANIZATION and service["program_id"] == PROGRAM
    assert {r["service_id"] for r in rows(files, "phones.csv")} == {SERVICE}
    (at_location,) = rows(files, "service_at_location.csv")
    (location,) = rows(files, "locations.csv")
    assert at_location["service_id"] == SERVICE and at_location["location_id"] == location["id"]
    (attribute,) = rows(files, "attributes.csv")
    assert attribute["link_id"] == SERVICE and attribute["taxonomy_term_id"]
    (program,) = rows(files, "programs.csv")  # the JSON leaves it out: the service's organization's
    assert program["organization_id"] == ORGANIZATION
    assert list(rows(files, "organizations.csv")[0]) == hsds.columns("organizations.csv")


def test_an_attribute_without_its_link_gets_the_id_and_kind_of_the_object_holding_it():
    service = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    for attribute in service["attributes"]:
        attribute.pop("link_id", None), attribute.pop("link_entity", None)
    (attribute, *_) = rows(tabular_files({"service.json": json.dumps(service)}), "attributes.csv")
    assert (attribute["link_id"], attribute["link_entity"]) == (SERVICE, "service")


def test_a_row_met_twice_is_kept_once():
    files = tabular_files(example("service_full.json", "organization_full.json"))
    assert [r["id"] for r in rows(files, "organizations.csv")] == [ORGANIZATION]
    assert [r["id"] for r in rows(files, "services.csv")] == [SERVICE]
    assert [r["id"] for r in rows(files, "programs.csv")] == [PROGRAM]
    (agency,), (programme,), _ = imported(example("service_full.json", "organization_full.json"))
    assert programme["programme_id"] == PROGRAM


def test_the_organization_in_json_is_the_agency_the_csv_example_gives():
    csv_folder = EXAMPLES / "csv"
    given = {p.name: p.read_text(encoding="utf-8") for p in csv_folder.iterdir()}
    (from_csv,), (csv_programme,), _ = imported(given)
    (from_json,), (json_programme,), _ = imported(example("organization_full.json"))
    for field_ in ("agency_id", "name", "description"):
        assert from_json[field_] == from_csv[field_]
    assert json_programme["programme_id"] == csv_programme["programme_id"]
    assert json_programme["name"] == csv_programme["name"]


def test_a_property_hsds_does_not_define_is_kept_as_a_column_and_told():
    service = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    service["kentra_colour"] = "blue"
    _, _, notices = imported({"service.json": json.dumps(service)})
    (told,) = [n for n in notices if n.code == "hsds_unknown_columns"]
    assert told.file == "services.csv" and told.params == {"columns": "kentra_colour"}


def test_a_json_file_beside_csv_files_adds_its_rows_to_theirs():
    given = {p.name: p.read_text(encoding="utf-8") for p in (EXAMPLES / "csv").iterdir()}
    files = tabular_files({**given, **example("taxonomy_term.json")})
    term = json.loads((EXAMPLES / "taxonomy_term.json").read_text(encoding="utf-8"))
    ids = [r["id"] for r in rows(files, "taxonomy_terms.csv")]
    assert term["id"] in ids and len(ids) == len(set(ids))
    assert files["datapackage.json"] == given["datapackage.json"]


@pytest.mark.parametrize(
    "files, told",
    [
        ({"service.json": "{not json"}, "not JSON"),
        ({"widgets.json": "{}"}, "name the file after the HSDS object"),
        ({"service_list.json": '{"contents": [1]}'}, "not an HSDS service object"),
    ],
)
def test_a_json_file_that_cannot_be_read_is_refused_naming_it(files, told):
    with pytest.raises(PackageRejected) as refused:
        tabular_files(files)
    (problem,) = refused.value.problems
    assert problem.file == next(iter(files)) and told in problem.message


def test_a_location_alone_is_refused_for_want_of_an_organization_not_crashed():
    with pytest.raises(PackageRejected) as refused:
        imported(example("location.json"))
    assert [p.file for p in refused.value.problems] == ["organizations.csv"]


def test_the_nesting_map_is_the_one_hsds_json_schemas_give():
    by_kind = {str(r["name"]): path for path, r in hsds.tables().items()}
    from_schemas = {}
    for schema_file in (FIXTURE / "schema").glob("*.json"):
        for prop, spec in json.loads(schema_file.read_text("utf-8")).get("properties", {}).items():
            ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
            if ref:
                from_schemas[prop] = by_kind[ref.removesuffix(".json")]
    api_only = {"services": "services.csv", "service": "services.csv"}
    assert NESTED == {**from_schemas, **api_only}
