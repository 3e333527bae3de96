"""A platform slice per test: real nameko services in this process, a per-test vhost, and
schemas of its own through KENTRA_SCHEMA_PREFIX, migrated first as the migrate step does."""

from __future__ import annotations

import importlib
import threading
import uuid

import pytest

from services.common.config import Settings
from services.common.db import drop_platform
from services.common.migrate import migrate_platform
from services.common.relay import OutboxRelay
from services.common.relay.publisher import BatchPublisher
from services.common.transport import nameko_config
from tests.support.broker import declare_topology
from tests.support.database import without_login


@pytest.fixture
def platform_config(rabbit_config, admin_url):
    prefix = f"e{uuid.uuid4().hex[:8]}_"
    config = {
        **nameko_config(rabbit_config["AMQP_URI"]),
        **rabbit_config,
        "KENTRA_DATABASE_URL": without_login(admin_url),
        "KENTRA_SCHEMA_PREFIX": prefix,
        "METRICS_PORT": 0,
    }
    migrate_platform(admin_url, Settings.for_migration(config))
    # the exchanges and queues the broker's definitions declare (the municipal events' queue)
    declare_topology(rabbit_config["AMQP_URI"])
    yield config
    drop_platform(admin_url, prefix)


@pytest.fixture
def platform_settings(platform_config) -> Settings:
    return Settings.from_env(
        {
            "KENTRA_DATABASE_URL": platform_config["KENTRA_DATABASE_URL"],
            "KENTRA_AMQP_URI": platform_config["AMQP_URI"],
            "KENTRA_SCHEMA_PREFIX": platform_config["KENTRA_SCHEMA_PREFIX"],
        }
    )


@pytest.fixture
def running(container_factory, platform_config):
    """Start nameko services by class: `running(RegistriesService, IntakeService)`."""

    def start(*service_classes):
        for cls in service_classes:
            container_factory(cls, platform_config).start()

    return start


@pytest.fixture
def relays(platform_settings):
    """Relays in background threads, one per named store, stopped after the test; `uri(service)`
    names the broker user each publishes as (default: the platform's)."""
    stop, threads, stores = threading.Event(), [], {}

    def start(*services, uri=lambda service: platform_settings.amqp_uri):
        for service in services:
            store, db = importlib.import_module(f"services.{service}.bootstrap").open_store(
                platform_settings, 2
            )
            relay = OutboxRelay(
                service,
                store,
                db,
                BatchPublisher(uri(service), service),
                poll_seconds=0.2,
            )
            thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
            thread.start()
            threads.append(thread)
            stores[service] = store
        return stores

    yield start
    stop.set()
    for thread in threads:
        thread.join(10)


@pytest.fixture
def gateway(container_factory, platform_config, platform_settings):
    """The whole platform behind the gateway, in this process, with the demo network and directory
    seeded and one account per role (tests/e2e/gateway_platform.py)."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from deploy.demo.seed import CONTEXT, demo_directory, seed_network
    from services.intake.entrypoints.service import IntakeService
    from services.portal_gateway.entrypoints.service import PortalGateway
    from services.referrals.entrypoints.service import ReferralsService
    from services.registries.entrypoints.service import RegistriesService
    from services.reporting.entrypoints.service import ReportingService
    from tests.e2e.gateway_platform import GatewayPlatform, staff_members
    from tests.support.ports import free_port

    port = free_port()
    config = {**platform_config, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}"}
    containers = {}
    for service in (
        RegistriesService,
        IntakeService,
        ReferralsService,
        ReportingService,
        PortalGateway,
    ):
        containers[service.name] = container_factory(service, config)
        containers[service.name].start()
    with ClusterRpcProxy(config) as cluster:
        seed_network(cluster.registries)
        for member in staff_members():
            cluster.registries.assign_staff_member(member, CONTEXT)
        cluster.registries.import_hsds(demo_directory(), CONTEXT)
    return GatewayPlatform(platform_settings, f"http://127.0.0.1:{port}", containers)


@pytest.fixture
def chrome():
    """Debian's headless Chromium, in Greek, through its chromedriver (selenium)."""
    from tests.support.browser import start_chromium

    driver = start_chromium()
    yield driver
    driver.quit()
