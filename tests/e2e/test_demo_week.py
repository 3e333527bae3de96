"""The demo's working week through the real services: many events, a valid AMKA for most people,
and a second run that stores nothing new."""

from __future__ import annotations

from datetime import date

from nameko.standalone.rpc import ClusterRpcProxy
from stdnum.gr import amka

from deploy.demo.seed import CONTEXT as SEED
from deploy.demo.seed import demo_directory, seed_network
from deploy.demo.week import Week, person
from services.intake.entrypoints.service import IntakeService
from services.referrals.entrypoints.service import ReferralsService
from services.registries.entrypoints.service import RegistriesService


def test_people_of_the_demo_have_valid_amka_and_live_in_messinia():
    import random

    rng = random.Random(1)
    people = [person(rng, i, date(2026, 11, 16)) for i in range(200)]
    with_amka = [p["amka"] for p in people if p["amka"]]
    assert 150 < len(with_amka) < 200 and all(amka.is_valid(a) for a in with_amka)
    assert {p["site"] for p in people} == {"KK-KALAMATA", "MU-KALAMATA"}
    assert all(
        p["municipality_code"] in {"9253", "9255", "9256", "9257", "9258"}
        for p in people
        if p["site"] == "MU-KALAMATA"
    )


def test_a_week_is_stored_once_however_often_it_runs(container_factory, platform_config):
    for service in (RegistriesService, IntakeService, ReferralsService):
        container_factory(service, platform_config).start()
    with ClusterRpcProxy(platform_config) as cluster:
        seed_network(cluster.registries)
        cluster.registries.import_hsds(demo_directory(), SEED)
        first = Week(cluster, 25, date(2026, 11, 16)).run()
        positions = [
            getattr(cluster, s).last_position() for s in ("registries", "intake", "referrals")
        ]
        again = Week(cluster, 25, date(2026, 11, 16)).run()
        assert first > 100 and again == 0
        assert [
            getattr(cluster, s).last_position() for s in ("registries", "intake", "referrals")
        ] == positions
        assert positions[2] > 0  # referrals were made and answered
