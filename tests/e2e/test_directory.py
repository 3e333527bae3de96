"""Agencies and programmes through the real registries service, in and out as HSDS 3.0."""

from __future__ import annotations

import json
import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.rpc_commands import CommandRejected
from services.registries.entrypoints.service import RegistriesService
from tests.unit.test_hsds import demo_package, edited
from tests.unit.test_hsds_standard import rows, standard_package

COORDINATOR = {"actor": "coordinator.portal", "site": "KK-KALAMATA"}


@pytest.fixture
def registries(running, platform_config):
    running(RegistriesService)
    with ServiceRpcProxy("registries", platform_config) as proxy:
        yield proxy


def test_a_valid_package_creates_the_agencies_and_programmes_and_exports_back_the_same(registries):
    answer = registries.import_hsds(demo_package(), COORDINATOR)
    assert answer == {
        "agencies": 10,
        "programmes": 1,
        "registered": 11,
        "changed": 0,
        "unchanged": 0,
        "notices": [],
    }
    names = [a["name"] for a in registries.agencies()]
    assert "Βοήθεια στο Σπίτι Δήμου Τριφυλίας" in names and len(registries.programmes()) == 1
    exported, agencies = registries.export_hsds(), registries.agencies()
    assert exported == demo_package()
    again = registries.import_hsds(exported, COORDINATOR)  # export then import: the same registry
    assert again["unchanged"] == 11 and registries.agencies() == agencies


def test_importing_the_same_package_again_stores_nothing(registries):
    registries.import_hsds(demo_package(), COORDINATOR)
    before = registries.last_position()
    again = registries.import_hsds(demo_package(), COORDINATOR)
    assert again["unchanged"] == 11 and registries.last_position() == before


def test_a_changed_row_changes_only_that_agency(registries):
    registries.import_hsds(demo_package(), COORDINATOR)
    answer = registries.import_hsds(
        edited(demo_package(), "services.csv", 2, "maximum_age", "64"), COORDINATOR
    )
    assert (answer["changed"], answer["unchanged"]) == (1, 10)


def test_a_malformed_package_is_refused_with_row_and_field_and_changes_nothing(registries):
    registries.import_hsds(demo_package(), COORDINATOR)
    before = registries.last_position()
    broken = edited(
        edited(demo_package(), "services.csv", 2, "maximum_age", "64"),  # a valid change...
        "service_areas.csv",
        4,
        "extent",
        "9999",
    )  # ...and a bad municipality further down
    with pytest.raises(CommandRejected) as raised:
        registries.import_hsds(broken, COORDINATOR)
    assert raised.value.code == "invalid"
    (problem,) = raised.value.details["problems"]
    assert (problem["file"], problem["row"], problem["field"]) == ("service_areas.csv", 4, "extent")
    assert registries.last_position() == before  # not even the valid change went in


def test_an_agency_described_by_hand_is_validated_by_its_contract(registries):
    with pytest.raises(CommandRejected) as raised:
        registries.describe_agency(
            {
                "command_id": str(uuid.uuid4()),
                "agency_id": str(uuid.uuid4()),
                "name": "Ξενώνας",
                "agency_type": "hotel",
                "level": "local",
                "municipalities": ["9254"],
                "needs": ["shelter"],
                "active_from": "2026-01-01",
            },
            COORDINATOR,
        )
    assert "agency_type" in raised.value.details


def test_the_standards_example_imports_with_notices_and_exports_back_as_given(registries):
    answer = registries.import_hsds(standard_package(), COORDINATOR)
    assert (answer["agencies"], answer["programmes"], answer["registered"]) == (1, 1, 2)
    codes = {n["code"] for n in answer["notices"]}
    assert {"hsds_no_service", "hsds_area_not_municipality", "hsds_row_unlinked"} <= codes
    exported = registries.export_hsds()
    assert rows(exported, "services.csv") == rows(standard_package(), "services.csv")
    assert rows(exported, "schedules.csv") == rows(standard_package(), "schedules.csv")
    before = registries.last_position()
    again = registries.import_hsds(exported, COORDINATOR)  # export then import: nothing changes
    assert again["unchanged"] == 2 and registries.last_position() == before
    assert registries.export_hsds() == exported


def test_the_standards_json_example_imports_through_the_running_service(registries):
    """An HSDS API object (the standard's `service_full.json`) is a package of one file."""
    from tests.unit.test_hsds_json import example

    answer = registries.import_hsds(example("service_full.json"), COORDINATOR)
    assert (answer["agencies"], answer["programmes"]) == (1, 1)
    exported = registries.export_hsds()
    (service,) = rows(exported, "services.csv")
    assert service["id"] == json.loads(example("service_full.json")["service_full.json"])["id"]
