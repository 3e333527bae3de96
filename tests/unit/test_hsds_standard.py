"""Open Referral's own HSDS 3.0 example (tests/fixtures/hsds, CC BY-SA 4.0) in and out: imported
as it is, exported as a package frictionless and HSDS's JSON Schemas accept, and stable."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from deploy.demo.seed import demo_directory
from services.common.event_codec import jsonable
from services.registries.adapters import hsds
from services.registries.adapters.hsds_import import read_package

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hsds"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
PROGRAM = "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"


def standard_package() -> dict[str, str]:
    folder = FIXTURE / "examples" / "csv"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def imported(files: dict) -> tuple[list[dict], list[dict], list[hsds.Notice]]:
    agencies, programmes, notices = read_package(files)
    return [jsonable(a) for a in agencies], [jsonable(p) for p in programmes], notices


def exported(files: dict) -> dict[str, str]:
    agencies, programmes, _ = imported(files)
    return hsds.export(agencies, programmes)


def rows(files: dict, name: str) -> list[dict]:
    """A table's rows, cells trimmed as an import reads them."""
    return [{k: v.strip() for k, v in r.items()} for r in csv.DictReader(io.StringIO(files[name]))]


def written(files: dict, folder: Path) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "datapackage.json"


def test_the_standards_example_imports_with_an_organization_without_a_service_of_its_own():
    agencies, programmes, notices = imported(standard_package())
    (agency,), (programme,) = agencies, programmes
    assert agency["agency_id"] == ORGANIZATION and programme["programme_id"] == PROGRAM
    assert programme["name"] == "Community Mental Health Support" and programme["min_age"] == 12
    codes = {(n.file, n.code) for n in notices}
    assert ("organizations.csv", "hsds_no_service") in codes
    assert ("programs.csv", "hsds_defaults") in codes  # level, needs, ... are Kentra's, not given


def test_a_service_area_given_by_extent_is_kept_and_told_not_refused():
    (agency,), (programme,), notices = imported(standard_package())
    assert programme["municipalities"] == []
    (area,) = programme["hsds"]["rows"]["service_areas.csv"]
    assert area["extent_type"] == "geojson" and area["extent"] == "extent"
    assert any(n.code == "hsds_area_not_municipality" for n in notices)


def test_every_row_is_kept_or_told_never_dropped_silently():
    files = standard_package()
    agencies, programmes, notices = imported(files)
    kept = {
        (path, r["id"])
        for record in agencies + programmes
        for path, given in record.get("hsds", {}).get("rows", {}).items()
        for r in given
    }
    told = {(n.file, n.row) for n in notices if n.code == "hsds_row_unlinked"}
    for path in hsds.tables():
        for number, row in enumerate(rows(files, path), start=2):
            assert (path, row["id"]) in kept or (path, number) in told, (path, row["id"])


def test_a_reference_to_a_row_not_in_the_package_is_told():
    _, _, notices = imported(standard_package())
    dropped = {
        (n.file, n.field, n.params["value"]) for n in notices if n.code == "hsds_reference_dropped"
    }
    assert ("locations.csv", "organization_id", "985e4a42-bd9f-4edc-911d-0243a4640aca") in dropped


def test_the_spec_name_and_kentras_former_name_of_service_at_location_both_read():
    files = standard_package()
    files["service_at_locations.csv"] = files.pop("service_at_location.csv")
    assert imported(files) == imported(standard_package())


def test_a_file_that_is_no_hsds_table_is_told():
    _, _, notices = imported({**standard_package(), "notes.csv": "id\n1\n"})
    assert any(n.file == "notes.csv" and n.code == "hsds_not_a_table" for n in notices)


def test_the_export_keeps_ids_status_columns_and_the_programs_service_as_given():
    files, out = standard_package(), exported(standard_package())
    (service,) = rows(out, "services.csv")
    (given,) = rows(files, "services.csv")
    assert service == given  # the id, name (not the program's), status "active", all 23 columns
    assert rows(out, "organizations.csv") == rows(files, "organizations.csv")
    assert rows(out, "schedules.csv") == rows(files, "schedules.csv")


def test_kentras_fields_are_exported_as_attributes_never_as_columns():
    out = exported(standard_package())
    for path in hsds.tables():
        assert list(rows(out, path)[0] if rows(out, path) else []) in ([], hsds.columns(path))
        assert out[path].split("\n", 1)[0] == ",".join(hsds.columns(path))
    levels = [r for r in rows(out, "attributes.csv") if r["link_type"] == "level"]
    assert [(r["link_id"], r["link_entity"]) for r in levels] == [(SERVICE, "service")]


def test_import_export_import_of_the_standards_example_changes_nothing():
    first = imported(standard_package())
    again = imported(exported(standard_package()))
    assert again[:2] == first[:2]
    assert exported(hsds.export(*first[:2])) == hsds.export(*first[:2])


@pytest.mark.parametrize("package", [standard_package, demo_directory], ids=["standard", "demo"])
def test_the_export_validates_with_frictionless(package, tmp_path):
    report = frictionless.validate(str(written(exported(package()), tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def schemas() -> Registry:
    resources = [
        (p.name, Resource.from_contents(json.loads(p.read_text()), DRAFT202012))
        for p in (FIXTURE / "schema").glob("*.json")
        if p.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


def as_json(row: dict, path: str) -> dict:
    """A CSV row as HSDS's JSON form: typed values, empty cells left out."""
    types = {f["name"]: f["type"] for f in hsds.tables()[path]["schema"]["fields"]}
    cast = {"integer": int, "number": float, "boolean": lambda v: v == "true"}
    return {k: cast.get(types[k], str)(v) for k, v in row.items() if v != ""}


@pytest.mark.parametrize("package", [standard_package, demo_directory], ids=["standard", "demo"])
def test_every_exported_row_validates_against_hsds_json_schemas(package):
    registry, out = schemas(), exported(package())
    for path, resource in hsds.tables().items():
        schema = registry.contents(resource["name"] + ".json")
        validator = Draft202012Validator(schema, registry=registry)
        for row in rows(out, path):
            errors = [e.message for e in validator.iter_errors(as_json(row, path))]
            assert errors == [], (path, row["id"], errors)


def test_taxonomy_codes_are_unique_and_every_term_is_described():
    terms = rows(exported(demo_directory()), "taxonomy_terms.csv")
    codes = [t["code"] for t in terms]
    assert len(codes) == len(set(codes)) and all(t["description"] for t in terms)
