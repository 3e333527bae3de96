"""The runtime's metrics, scraped over HTTP from real processes: names follow Prometheus
conventions and no label carries personal data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.registries import bootstrap as registries_bootstrap
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def families(port: int) -> dict[str, list]:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    return {f.name: f.samples for f in text_string_to_metric_families(text)}


def scrape(port: int, want: str, timeout: float = 20) -> dict[str, list]:
    """The process's metric families once `want` has a sample above zero."""

    def with_want() -> dict[str, list] | None:
        found = families(port)
        return found if any(s.value > 0 for s in found.get(want, [])) else None

    return eventually(
        with_want, timeout, 0.3, what=f"{want} above zero on :{port}", tolerate=(OSError,)
    )


def start(module_args: list[str], settings, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KENTRA_DATABASE_URL": settings.database_url,
        "KENTRA_AMQP_URI": settings.amqp_uri,
        "KENTRA_SCHEMA_PREFIX": settings.schema_prefix,
        "KENTRA_METRICS_PORT": str(port),
        "KENTRA_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", *module_args], env=env)


def test_relay_and_consumer_processes_export_backlog_lag_delay_and_dead_letters(
    running, platform_settings
):
    from services.intake.entrypoints.service import IntakeService
    from services.referrals.entrypoints.service import ReferralsService
    from services.registries.entrypoints.service import RegistriesService

    running(RegistriesService, IntakeService, ReferralsService)
    store, _ = registries_bootstrap.open_store(platform_settings)
    subject = uuid.uuid4()
    store.append(
        f"beneficiary-{subject}",
        NO_STREAM,
        [
            NewEvent(
                "BeneficiaryRegistered",
                {
                    "beneficiary_id": str(subject),
                    "site": "KK-KALAMATA",
                    "municipality_code": "9254",
                },
                personal={"given_name": "Μαρία"},
                subject_id=subject,
            )
        ],
        Metadata("sw-1", "KK-KALAMATA"),
    )
    relay_port, consumer_port = free_port(), free_port()
    relay = start(["services.common.relay", "registries"], platform_settings, relay_port)
    consumer = start(
        ["services.reporting.entrypoints.consumer", "run"], platform_settings, consumer_port
    )
    try:
        relayed = scrape(relay_port, "kentra_relay_published")
        applied = scrape(consumer_port, "kentra_consumer_applied")
    finally:
        for proc in (relay, consumer):
            proc.terminate()
            proc.wait(20)

    assert sum(s.value for s in relayed["kentra_relay_published"]) == 1
    for name in ("kentra_outbox_backlog_events", "kentra_relay_lag_seconds", "kentra_retries"):
        assert name in relayed, name
    assert (
        sum(
            s.value
            for s in applied["kentra_consumer_applied"]
            if s.labels["source"] == "registries"
        )
        == 1
    )
    for name in (
        "kentra_consumer_lag_events",
        "kentra_event_delay_seconds",
        "kentra_dead_letters_open",
    ):
        assert name in applied, name
    every_label = repr(
        [s.labels for f in (relayed, applied) for samples in f.values() for s in samples]
    )
    assert "Μαρία" not in every_label and str(subject) not in every_label


def test_a_service_counts_its_appends_by_type_and_times_them(running, platform_config):
    from nameko.standalone.rpc import ServiceRpcProxy
    from prometheus_client import REGISTRY

    from services.registries.entrypoints.service import RegistriesService

    running(RegistriesService)
    before = (
        REGISTRY.get_sample_value(
            "kentra_events_appended_total",
            {"service": "registries", "type": "BeneficiaryRegistered"},
        )
        or 0
    )
    with ServiceRpcProxy("registries", platform_config) as registries:
        registries.register_beneficiary(
            {
                "command_id": str(uuid.uuid4()),
                "given_name": "Σοφία",
                "family_name": "Λ",
                "municipality_code": "9253",
                "site": "KK-KALAMATA",
            },
            {"actor": "sw-1", "site": "KK-KALAMATA"},
        )
    after = REGISTRY.get_sample_value(
        "kentra_events_appended_total", {"service": "registries", "type": "BeneficiaryRegistered"}
    )
    assert after == before + 1
    assert (
        REGISTRY.get_sample_value("kentra_append_duration_seconds_count", {"service": "registries"})
        >= 1
    )


def test_the_registries_export_their_latest_erasure_and_their_outbox_read_from_the_store(
    running, platform_config
):
    """The erasure-backlog alert compares it with each read model's registries position."""
    from nameko.standalone.rpc import ServiceRpcProxy
    from prometheus_client import REGISTRY

    from services.registries.entrypoints.service import RegistriesService

    running(RegistriesService)
    context = {"actor": "dpo-1", "site": "KK-KALAMATA"}
    with ServiceRpcProxy("registries", platform_config) as registries:
        person = {"given_name": "Ζωή", "family_name": "Κ", "municipality_code": "9253"}
        added = registries.register_beneficiary(
            {"command_id": str(uuid.uuid4()), **person, "site": "KK-KALAMATA"}, context
        )
        before = REGISTRY.get_sample_value("kentra_erasure_position")
        assert before is not None and before < registries.last_position()
        registries.erase_personal_data(
            {
                "command_id": str(uuid.uuid4()),
                "beneficiary_id": added["stream"].split("-", 1)[1],
                "reason": "αίτημα διαγραφής",
                "requested_by": "dpo-1",
            },
            context,
        )
        erased_at = registries.last_position()
        registries.register_beneficiary(
            {"command_id": str(uuid.uuid4()), **person, "site": "KK-KALAMATA"}, context
        )  # a later event moves the store's head, not the erasure's position
        assert REGISTRY.get_sample_value("kentra_erasure_position") == erased_at
        # and the service reads its relay's outbox for the alert, from outside the relay (none
        # runs here: everything it stored is unpublished)
        head = registries.last_position()
        outbox = {"service": "registries"}
        assert REGISTRY.get_sample_value("kentra_store_head_position", outbox) == head
        assert REGISTRY.get_sample_value("kentra_store_unpublished_events", outbox) == head
        assert REGISTRY.get_sample_value("kentra_store_oldest_unpublished_seconds", outbox) > 0
