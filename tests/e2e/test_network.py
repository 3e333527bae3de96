"""The network in the real registries service, and intake checking a mobile unit's visit against it."""

from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo.seed import demo_commands, seed_network
from services.common.rpc_commands import CommandRejected
from services.intake.entrypoints.service import IntakeService
from services.registries.entrypoints.service import RegistriesService

WORKER = {"actor": "kalamata.social1", "site": "MU-KALAMATA"}
OICHALIA, TRIFYLIA, SPARTI = "9256", "9258", "9252"


@pytest.fixture
def cluster(running, platform_config):
    running(RegistriesService, IntakeService)
    with ClusterRpcProxy(platform_config) as proxy:
        seed_network(proxy.registries)
        yield proxy


def visit(cluster, municipality_code: str, beneficiary_id: str | None = None) -> dict:
    return cluster.intake.record_contact(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary_id or str(uuid.uuid4()),
            "expected_version": 0,
            "occurred_on": "2026-11-20",
            "channel": "mobile_unit_visit",
            "site": "MU-KALAMATA",
            "municipality_code": municipality_code,
            "staff_id": "kalamata.social1",
        },
        WORKER,
    )


def test_the_demo_network_has_five_expanded_centres_each_with_a_mobile_unit_and_staff(cluster):
    network = cluster.registries.network()
    assert len(network["municipalities"]) == 26 and len(network["regional_units"]) == 5
    centres = [s for s in network["sites"] if s["kind"] == "centre"]
    units = {s["site"]: s for s in network["sites"] if s["kind"] == "mobile_unit"}
    assert len(centres) == 5 and len(units) == 5
    assert units["MU-KALAMATA"]["partner_municipalities"] == [
        "9253",
        "9255",
        "9256",
        "9257",
        "9258",
    ]
    assert {t["role"] for t in units["MU-KALAMATA"]["staff"]} == {"social_scientist", "driver"}


def test_seeding_again_changes_nothing(cluster):
    before = cluster.registries.last_position()
    assert seed_network(cluster.registries) == 0 and cluster.registries.last_position() == before
    assert before == len(demo_commands())


def test_a_mobile_unit_visit_in_a_partner_municipality_is_recorded(cluster):
    answer = visit(cluster, TRIFYLIA)
    assert [e["type"] for e in answer["events"]] == ["ContactRecorded"]


def test_a_mobile_unit_visit_outside_its_partner_municipalities_is_refused(cluster):
    with pytest.raises(CommandRejected) as raised:
        visit(cluster, SPARTI)
    assert (
        raised.value.code == "rule_violated" and raised.value.details["municipality_code"] == SPARTI
    )


def test_a_changed_coverage_counts_from_the_moment_it_is_stored(cluster):
    visit(cluster, OICHALIA)
    cluster.registries.change_partner_municipalities(
        {
            "command_id": "coverage-change-1",
            "site": "MU-KALAMATA",
            "partner_municipalities": ["9253", "9258"],
            "reason": "η Οιχαλία εξυπηρετείται πλέον από άλλη δομή",
        },
        {"actor": "head.kalamata", "site": "KK-KALAMATA"},
    )
    with pytest.raises(CommandRejected):
        visit(cluster, OICHALIA)
    assert cluster.registries.partner_municipalities("MU-KALAMATA") == ["9253", "9258"]


def test_a_visit_recorded_under_a_site_that_is_no_mobile_unit_is_refused(cluster):
    with pytest.raises(CommandRejected) as raised:
        cluster.intake.record_contact(
            {
                "command_id": str(uuid.uuid4()),
                "beneficiary_id": str(uuid.uuid4()),
                "expected_version": 0,
                "occurred_on": "2026-11-20",
                "channel": "mobile_unit_visit",
                "site": "MU-NOWHERE",
                "municipality_code": TRIFYLIA,
                "staff_id": "x",
            },
            WORKER,
        )
    assert raised.value.details["field"] == "site"


def test_staffing_is_reported_against_the_population_rule_as_warnings(cluster):
    report = {s["site"]: s for s in cluster.registries.staffing()}
    assert report["KK-KALAMATA"]["population"] == 72_906 and report["KK-KALAMATA"]["warnings"] == []
    assert (
        report["KK-SPARTI"]["warnings"] == []
    )  # 32,786 residents: 2 staff, and it has a social worker
    answer = cluster.registries.staff_member_leaves(
        {
            "command_id": "leave-psychologist-1",
            "staff_id": "kalamata.psychologist2",
            "site": "KK-KALAMATA",
            "on": "2026-06-30",
        },
        {"actor": "head.kalamata", "site": "KK-KALAMATA"},
    )
    assert answer["warnings"] == ["2 of the 3 staff the rule asks for 72,906 residents"]


def test_a_mobile_unit_outside_its_centres_regional_unit_is_refused_naming_the_field(cluster):
    with pytest.raises(CommandRejected) as raised:
        cluster.registries.register_mobile_unit(
            {
                "command_id": "mu-wrong-1",
                "site": "MU-KALAMATA-2",
                "name": "Δεύτερη μονάδα",
                "parent_centre": "KK-KALAMATA",
                "partner_municipalities": [SPARTI],
            },
            {"actor": "head.kalamata", "site": "KK-KALAMATA"},
        )
    assert (
        raised.value.code == "rule_violated"
        and raised.value.details["field"] == "partner_municipalities"
    )
