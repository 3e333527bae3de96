"""The gateway decides a principal's network from the registry's sites, kept until the registry's
relay publishes a network change (SitesKept): a mobile unit added to a centre shares that centre's
files within seconds, where a 30 s cache kept them closed."""

from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo.seed import CONTEXT, seed_network
from services.intake.entrypoints.service import IntakeService
from services.portal_gateway.entrypoints.service import PortalGateway
from services.referrals.entrypoints.service import ReferralsService
from services.registries.entrypoints.service import RegistriesService
from services.reporting.entrypoints.service import ReportingService
from tests.e2e.gateway_platform import PASSWORD, GatewayPlatform, staff_members
from tests.support.ports import free_port
from tests.support.waiting import eventually

CHANGE_HEARD = 3  # seconds: the relay's poll, the broker's delivery, the gateway dropping its sites
NEW_UNIT = "MU-KALAMATA-2"


@pytest.fixture
def platform(broker_access, platform_config, platform_settings, container_factory, relays):
    """Every service as its own broker user, and the registry's relay publishing its changes."""
    port = free_port()
    config = {
        **platform_config,
        "KENTRA_BROKER_PREFIX": broker_access.prefix,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
    }
    services = (
        RegistriesService,
        IntakeService,
        ReferralsService,
        ReportingService,
        PortalGateway,
    )
    for service in services:
        container_factory(service, {**config, "AMQP_URI": broker_access.uri(service.name)}).start()
    relays("registries", uri=lambda source: broker_access.uri(f"{source}-relay"))
    with ClusterRpcProxy({**config, "AMQP_URI": broker_access.admin_uri}) as proxy:
        seed_network(proxy.registries)
        for member in staff_members():
            proxy.registries.assign_staff_member(member, CONTEXT)
        yield GatewayPlatform(platform_settings, f"http://127.0.0.1:{port}"), proxy


def test_a_mobile_unit_added_to_a_centre_reads_its_files_once_the_registry_publishes_it(
    platform,
):
    gateway, cluster = platform
    person = gateway.register_only("kalamata.head", "KK-KALAMATA")
    gateway.accounts.create(
        "kalamata2.worker", PASSWORD, "case_worker", "Νέα Μονάδα", NEW_UNIT, None
    )
    worker = gateway.client("kalamata2.worker")
    record = f"/beneficiaries/{person}"
    # a site the registry does not know is a network of its own: the centre's file is not
    # there for it (404, as for a file that does not exist), and the gateway now keeps the sites
    # it was answered
    assert worker.get(record).status_code == 404
    assert worker.get(record).status_code == 404

    cluster.registries.register_mobile_unit(
        {
            "command_id": str(uuid.uuid4()),
            "site": NEW_UNIT,
            "name": "Δεύτερη κινητή μονάδα Καλαμάτας",
            "parent_centre": "KK-KALAMATA",
            "partner_municipalities": ["9256"],
        },
        {"actor": "head.kalamata", "site": "KK-KALAMATA"},
    )

    eventually(lambda: worker.get(record).status_code == 200, CHANGE_HEARD, interval=0.1)
