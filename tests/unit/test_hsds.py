"""HSDS 3.0 tabular packages in and out, on the demo directory (pure: no database)."""

from __future__ import annotations

import csv
import io

import pytest

from deploy.demo.seed import demo_directory as demo_package
from services.common.event_codec import jsonable
from services.registries.adapters.hsds import PackageRejected, Problem, export
from services.registries.adapters.hsds_import import read_package


def edited(files: dict, name: str, row: int, column: str, value: str) -> dict:
    rows = list(csv.DictReader(io.StringIO(files[name])))
    rows[row - 2][column] = value  # row numbers as a spreadsheet shows them: the header is row 1
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return {**files, name: out.getvalue()}


def problems_of(files: dict) -> list[Problem]:
    with pytest.raises(PackageRejected) as raised:
        read_package(files)
    return raised.value.problems


def test_the_demo_package_reads_into_agencies_and_programmes_with_greek_intact():
    agencies, programmes, notices = read_package(demo_package())
    assert notices == [] and len(agencies) == 10 and len(programmes) == 1
    dypa = next(
        a for a in agencies if a["name"].startswith("ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας")
    )
    assert dypa["agency_type"] == "employment_service" and "9256" in dypa["municipalities"]
    assert dypa["needs"] == ["employment", "training"] and dypa["response_days"] == 10
    assert programmes[0]["agency_id"] == dypa["agency_id"] and programmes[0]["min_age"] == 55


def test_exporting_what_was_read_gives_back_the_same_files():
    files = demo_package()
    agencies, programmes, _ = read_package(files)
    assert export([jsonable(a) for a in agencies], [jsonable(p) for p in programmes]) == files


def test_a_bad_age_is_named_by_file_row_and_field():
    files = edited(demo_package(), "services.csv", 3, "minimum_age", "δεκαπέντε")
    assert problems_of(files) == [
        Problem("services.csv", 3, "minimum_age", "min_age: Not a valid integer.")
    ]


def test_an_unknown_municipality_is_named_by_its_service_area_row():
    (problem,) = problems_of(edited(demo_package(), "service_areas.csv", 4, "extent", "9999"))
    assert (problem.file, problem.row, problem.field) == ("service_areas.csv", 4, "extent")


def test_a_service_of_an_unknown_organization_is_refused():
    problems = problems_of(
        edited(demo_package(), "services.csv", 2, "organization_id", "no-such-org")
    )
    assert Problem("services.csv", 2, "organization_id", "no such organization") in problems


def test_an_unknown_taxonomy_term_is_refused():
    (problem,) = problems_of(edited(demo_package(), "attributes.csv", 5, "taxonomy_term_id", "x"))
    assert (problem.file, problem.row, problem.field) == ("attributes.csv", 5, "taxonomy_term_id")


def test_a_missing_file_and_a_missing_column_are_named():
    files = demo_package()
    del files["organizations.csv"]
    assert problems_of(files)[0] == Problem(
        "organizations.csv", None, None, "the file is missing from the package"
    )
    header, rest = demo_package()["phones.csv"].split("\n", 1)
    files = {**demo_package(), "phones.csv": header.replace(",number", "") + "\n" + rest}
    assert problems_of(files)[0].field == "number"


def test_an_age_range_upside_down_is_refused():
    files = edited(demo_package(), "services.csv", 2, "minimum_age", "70")
    assert problems_of(files)[0].field == "maximum_age"


def test_a_service_area_of_a_service_not_in_the_package_is_refused():
    files = demo_package()
    lines = files["services.csv"].split("\n")
    files["services.csv"] = "\n".join(line for i, line in enumerate(lines) if i != 2)  # drop row 3
    problems = problems_of(files)
    assert any(p.file == "service_areas.csv" and p.field == "service_id" for p in problems)
