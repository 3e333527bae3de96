"""Fixtures on the real PostgreSQL and RabbitMQ. Each test gets its own schemas (and, through
nameko's `rabbit_config`, its own vhost), so tests never see each other's events."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import psycopg2
import pytest

from services.common.config import Settings
from services.common.db import ensure_database
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, migrate_store, service_database
from tests.support.database import migrated_read_model, without_login
from tests.support.observability import exported_names, scrape
from tests.support.ports import free_port
from tests.support.waiting import eventually

ADMIN_URL = os.environ.get("KENTRA_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_DATABASE = os.environ.get("KENTRA_TEST_DATABASE", "kentra_test")
AMQP_URI = os.environ.get("KENTRA_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")


def pytest_addoption(parser):
    # nameko's rabbit_config fixture reads these; defaults fit the local broker.
    for name, default in (
        ("--amqp-uri", AMQP_URI),
        ("--rabbit-ctl-uri", "http://guest:guest@127.0.0.1:15672"),
    ):
        try:
            parser.addoption(name, action="store", default=default)
        except ValueError:
            pass


@pytest.fixture(scope="session")
def admin_url() -> str:
    """The administrative login to the test database: what the migrate step holds, and what a
    test uses to play an administrator (or an attacker who became one)."""
    return ensure_database(ADMIN_URL, TEST_DATABASE)


@pytest.fixture
def settings(admin_url) -> Settings:
    """What a process gets: the database without a login (it logs in as its service roles)."""
    return Settings.from_env(
        {"KENTRA_DATABASE_URL": without_login(admin_url), "KENTRA_AMQP_URI": AMQP_URI}
    )


@pytest.fixture
def unique_schema(admin_url):
    """Makes fresh schema names for a test, and drops them afterwards."""
    made: list[str] = []

    def make(prefix: str = "t") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        made.append(name)
        return name

    yield make
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        for name in made:
            cur.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"kentra_{name}",))
            if cur.fetchone():
                cur.execute(f'DROP OWNED BY "kentra_{name}"')
                cur.execute(f'DROP ROLE "kentra_{name}"')
    conn.close()


@pytest.fixture
def pg_store(admin_url, settings, unique_schema) -> PostgresEventStore:
    """A migrated PostgreSQL event store in a schema of its own, connected as its service role
    (one that erases: the contract covers erasure)."""
    schema = unique_schema("store")
    migrate_store(admin_url, settings, schema, erases=True)
    db = service_database(settings, schema)
    yield PostgresEventStore(db, key_vault(settings))
    db.close()


@pytest.fixture
def read_model(admin_url, settings, unique_schema):
    """Opens a projection's read model in a schema of its own (consumer tables included)."""
    opened = []

    def open_(projection):
        db = migrated_read_model(admin_url, settings, unique_schema("rm"), projection)
        opened.append(db)
        return db

    yield open_
    for db in opened:
        db.close()


@pytest.fixture
def postgres_exporter(admin_url):
    """A real postgres_exporter (Debian's package) against the test database: its /metrics URL."""
    binary = shutil.which("prometheus-postgres-exporter") or shutil.which("postgres_exporter")
    if not binary:
        pytest.fail(
            "postgres_exporter is missing: scripts/bootstrap installs prometheus-postgres-exporter"
        )
    port = free_port()
    dsn = admin_url + ("&" if "?" in admin_url else "?") + "sslmode=disable"
    process = subprocess.Popen(
        [binary, f"--web.listen-address=127.0.0.1:{port}"],
        env={"DATA_SOURCE_NAME": dsn},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/metrics"
    eventually(lambda: scrape(url), 10, what="postgres_exporter to answer", tolerate=(OSError,))
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def exported(postgres_exporter, pg_store) -> set[str]:
    """What real processes export: the runtime's metrics (as every Kentra process serves them),
    what a write service reads of its store (the erasure position, the outbox), RabbitMQ's
    exporter (its per-queue detail as Prometheus asks for it) and postgres_exporter."""
    from prometheus_client import CollectorRegistry, generate_latest

    from services.common.metrics import serve_metrics
    from services.common.relay.outbox_watch import OutboxWatch
    from services.registries.adapters.erasure_position import ErasurePosition

    port = free_port()
    serve_metrics(port)
    ours = exported_names(scrape(f"http://127.0.0.1:{port}/metrics"))
    registries = CollectorRegistry()
    registries.register(ErasurePosition(lambda: pg_store.db))
    registries.register(OutboxWatch("registries", lambda: pg_store.db))
    detail = "family=queue_coarse_metrics&family=queue_consumer_count"
    detail += "&family=channel_exchange_metrics"
    return (
        ours
        | exported_names(generate_latest(registries).decode())
        | exported_names(scrape("http://127.0.0.1:15692/metrics"))
        | exported_names(scrape(f"http://127.0.0.1:15692/metrics/detailed?{detail}"))
        | exported_names(scrape(postgres_exporter))
    )


@pytest.fixture
def broker_access(tmp_path):
    """The platform's broker access model (deploy/rabbitmq) applied to a vhost and users of this
    test's own: `uri("registries-relay")` is that process's AMQP URI. The broker's administrator
    (guest, on loopback) may also use the vhost: it plays the attacker who is not a relay."""
    from deploy.rabbitmq.setup import Management, amqp_uri, apply

    management = Management()
    tag = uuid.uuid4().hex[:8]
    vhost, prefix = f"kt-{tag}", f"kt{tag}-"
    uris = apply(management, tmp_path / "broker", vhost=vhost, prefix=prefix)
    management(
        "PUT",
        f"/permissions/{vhost}/guest",
        {"configure": ".*", "write": ".*", "read": ".*"},
    )

    class Access:
        def __init__(self):
            self.vhost, self.prefix, self.management = vhost, prefix, management
            self.admin_uri = amqp_uri("guest", "guest", vhost=vhost)

        def uri(self, user: str) -> str:
            return uris[prefix + user]

    yield Access()
    management("DELETE", f"/vhosts/{vhost}")
    for user in uris:
        management("DELETE", f"/users/{user}")
