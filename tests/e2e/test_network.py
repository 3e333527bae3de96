"""The network in the real registries service, and intake checking a mobile unit's visit against it.
Each process connects as its own broker user, and the registries relay runs: intake keeps the
network's facts it checks against and hears from the relay when they change."""

from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo.seed import demo_commands, seed_network
from services.common.rpc_commands import CommandRejected
from services.intake.entrypoints.service import IntakeService
from services.registries.entrypoints.service import RegistriesService
from tests.support.waiting import eventually

WORKER = {"actor": "kalamata.social1", "site": "MU-KALAMATA"}
OICHALIA, TRIFYLIA, SPARTI = "9256", "9258", "9252"


CHANGE_HEARD = 3  # seconds: the relay's poll, the broker's delivery, intake dropping what it kept


@pytest.fixture
def cluster(broker_access, platform_config, container_factory, relays):
    config = {**platform_config, "KENTRA_BROKER_PREFIX": broker_access.prefix}
    for service in (RegistriesService, IntakeService):
        container_factory(service, {**config, "AMQP_URI": broker_access.uri(service.name)}).start()
    relays("registries", uri=lambda source: broker_access.uri(f"{source}-relay"))
    # the test asks as the broker's administrator: it seeds, and reads the store's position
    with ClusterRpcProxy({**config, "AMQP_URI": broker_access.admin_uri}) as proxy:
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


def refused(command) -> bool:
    try:
        command()
    except CommandRejected as rejected:
        return rejected.code == "rule_violated"
    return False


def test_a_changed_coverage_counts_once_the_registry_publishes_it(cluster):
    visit(cluster, OICHALIA)
    visit(cluster, OICHALIA)  # asked of the registry once, kept after
    cluster.registries.change_partner_municipalities(
        {
            "command_id": "coverage-change-1",
            "site": "MU-KALAMATA",
            "partner_municipalities": ["9253", "9258"],
            "reason": "η Οιχαλία εξυπηρετείται πλέον από άλλη δομή",
        },
        {"actor": "head.kalamata", "site": "KK-KALAMATA"},
    )
    eventually(lambda: refused(lambda: visit(cluster, OICHALIA)), CHANGE_HEARD, interval=0.05)
    assert cluster.registries.partner_municipalities("MU-KALAMATA") == ["9253", "9258"]


def test_a_staff_member_who_left_may_no_longer_record_once_the_registry_publishes_it(cluster):
    def contact():
        return cluster.intake.record_contact(
            {
                "command_id": str(uuid.uuid4()),
                "beneficiary_id": str(uuid.uuid4()),
                "expected_version": 0,
                "occurred_on": "2026-11-20",
                "channel": "centre",
                "site": "KK-KALAMATA",
                "municipality_code": "9257",
                "staff_id": "kalamata.psychologist2",
            },
            {"actor": "kalamata.psychologist2", "site": "KK-KALAMATA"},
        )

    contact()
    contact()  # asked of the registry once, kept after
    cluster.registries.staff_member_leaves(
        {
            "command_id": "leave-psychologist-2",
            "staff_id": "kalamata.psychologist2",
            "site": "KK-KALAMATA",
            "on": "2026-11-30",
        },
        {"actor": "head.kalamata", "site": "KK-KALAMATA"},
    )
    eventually(lambda: refused(contact), CHANGE_HEARD, interval=0.05)


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
