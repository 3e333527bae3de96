"""A person recorded twice (once by the mobile unit without a number, once at the centre with an
AMKA) is merged explicitly; both histories stay reachable from the survivor, and an unmerge
makes them two people again. Real registries and intake services."""

from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo.seed import seed_network
from services.common.rpc_commands import CommandRejected
from services.intake.entrypoints.service import IntakeService
from services.registries.entrypoints.service import RegistriesService

HEAD = {"actor": "head.kalamata", "site": "KK-KALAMATA"}
AMKA = "01013099997"


@pytest.fixture
def cluster(running, platform_config):
    running(RegistriesService, IntakeService)
    with ClusterRpcProxy(platform_config) as proxy:
        seed_network(proxy.registries)  # MU-KALAMATA is the Kalamata centre's mobile unit
        yield proxy


def register(cluster, site: str, **person) -> tuple[str, dict]:
    answer = cluster.registries.register_beneficiary(
        {
            "command_id": str(uuid.uuid4()),
            "municipality_code": "9258",
            "site": site,
            "birth_date": "1990-01-01",
            **person,
        },
        {"actor": "worker", "site": site},
    )
    return answer["stream"].split("-", 1)[1], answer


def contact(cluster, beneficiary_id: str, site: str) -> None:
    cluster.intake.record_contact(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary_id,
            "expected_version": 0,
            "occurred_on": "2026-11-20",
            "channel": "phone",
            "site": site,
            "municipality_code": "9258",
            "staff_id": "kalamata.social1",  # the demo network's (deploy/demo/seed.py)
        },
        {"actor": "kalamata.social1", "site": site},
    )


def merge(cluster, duplicate: str, survivor: str, command_id: str | None = None) -> dict:
    return cluster.registries.merge_beneficiaries(
        {
            "command_id": command_id or str(uuid.uuid4()),
            "beneficiary_id": duplicate,
            "survivor_id": survivor,
            "reason": "ίδιο πρόσωπο: ίδια ταυτότητα στο κέντρο",
            "decided_by": "head.kalamata",
        },
        HEAD,
    )


def test_merged_records_keep_both_histories_reachable_from_the_survivor_and_unmerge_separates_them(
    cluster,
):
    met_by_unit, _ = register(
        cluster, "MU-KALAMATA", given_name="Giorgos", family_name="Papadopoulos"
    )
    at_centre, answer = register(
        cluster, "KK-KALAMATA", given_name="Γιώργος", family_name="Παπαδόπουλος", amka=AMKA
    )
    assert answer["possible_duplicates"] == [
        {"beneficiary_id": met_by_unit, "score": 0.9}
    ]  # a warning only
    assert cluster.registries.person(met_by_unit)["records"] == [met_by_unit]
    contact(cluster, met_by_unit, "MU-KALAMATA")
    contact(cluster, at_centre, "KK-KALAMATA")

    command_id = str(uuid.uuid4())
    merged = merge(cluster, met_by_unit, at_centre, command_id)
    assert [e["type"] for e in merged["events"]] == ["BeneficiaryMerged"]
    assert merge(cluster, met_by_unit, at_centre, command_id)["duplicate"]  # a retry stores nothing
    person = cluster.registries.person(met_by_unit)
    assert person["beneficiary_id"] == at_centre and sorted(person["records"][1:]) == [met_by_unit]
    histories = [
        cluster.intake.read_stream(f"case-{record}", 1, 10) for record in person["records"]
    ]
    assert [[e["metadata"]["site"] for e in h] for h in histories] == [
        ["KK-KALAMATA"],
        ["MU-KALAMATA"],
    ]
    assert cluster.registries.find_by_amka(AMKA) == [at_centre]
    # both records bear the name: a search answers the person once, as the survivor
    assert [f["beneficiary_id"] for f in cluster.registries.search("Giorgos Papadopoulos")] == [
        at_centre
    ]
    # the unit meets them again and types their AMKA: the survivor, not a third record
    again, answer = register(
        cluster, "MU-KALAMATA", given_name="Γιώργος", family_name="Παπαδόπουλος", amka=AMKA
    )
    assert answer["found_existing"] and again == at_centre

    cluster.registries.unmerge_beneficiary(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": met_by_unit,
            "reason": "δύο αδέλφια, όχι ένας",
            "decided_by": "head.kalamata",
        },
        HEAD,
    )
    assert cluster.registries.person(at_centre)["records"] == [at_centre]
    assert cluster.registries.person(met_by_unit)["beneficiary_id"] == met_by_unit
    found = cluster.registries.search("Γιώργος Παπαδόπουλος")
    assert sorted(f["beneficiary_id"] for f in found) == sorted([at_centre, met_by_unit])
    types = [e["type"] for e in cluster.registries.read_stream(f"beneficiary-{met_by_unit}", 1, 10)]
    assert types == [
        "BeneficiaryRegistered",
        "BeneficiaryMerged",
        "BeneficiaryUnmerged",
    ]  # history kept


def test_merges_never_chain(cluster):
    a, _ = register(cluster, "KK-KALAMATA", given_name="Άννα", family_name="Α")
    b, _ = register(cluster, "KK-KALAMATA", given_name="Άννα", family_name="Β")
    c, _ = register(cluster, "KK-KALAMATA", given_name="Άννα", family_name="Γ")
    merge(cluster, b, a)
    with pytest.raises(CommandRejected) as into_merged:
        merge(cluster, c, b)
    assert into_merged.value.details["field"] == "survivor_id"
    with pytest.raises(CommandRejected) as survivor_away:
        merge(cluster, a, c)
    assert (
        survivor_away.value.code == "rule_violated"
        and survivor_away.value.details["field"] == "beneficiary_id"
    )


def test_merging_an_unknown_record_is_not_found(cluster):
    a, _ = register(cluster, "KK-KALAMATA", given_name="Άννα", family_name="Α")
    with pytest.raises(CommandRejected) as raised:
        merge(cluster, a, str(uuid.uuid4()))
    assert raised.value.code == "not_found"
