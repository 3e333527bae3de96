"""The consistency check, as an RPC of the reporting service and as a command that exits non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
from nameko.standalone.rpc import ServiceRpcProxy

from services.intake.entrypoints.service import IntakeService
from services.referrals.entrypoints.service import ReferralsService
from services.registries.entrypoints.service import RegistriesService
from services.reporting.entrypoints.service import ReportingService
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = {"actor": "sw-1", "site": "KK-KALAMATA"}


def consumer_command(platform_settings, action: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KENTRA_DATABASE_URL": platform_settings.database_url,
        "KENTRA_AMQP_URI": platform_settings.amqp_uri,
        "KENTRA_SCHEMA_PREFIX": platform_settings.schema_prefix,
        "KENTRA_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "services.reporting.entrypoints.consumer",
            action,
            "--settle-seconds",
            "0",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_reporting_agrees_with_every_source_and_the_check_says_so(
    running, relays, platform_config, platform_settings, admin_url
):
    running(RegistriesService, IntakeService, ReferralsService, ReportingService)
    relays("registries", "intake")
    with (
        ServiceRpcProxy("registries", platform_config) as registries,
        ServiceRpcProxy("intake", platform_config) as intake,
    ):
        stream = registries.register_beneficiary(
            {
                "command_id": str(uuid.uuid4()),
                "given_name": "Άννα",
                "family_name": "Κ",
                "municipality_code": "9253",
                "site": "KK-KALAMATA",
            },
            CONTEXT,
        )["stream"]
        beneficiary = stream.split("-", 1)[1]
        for version in range(3):
            intake.record_contact(
                {
                    "command_id": str(uuid.uuid4()),
                    "beneficiary_id": beneficiary,
                    "expected_version": version,
                    "occurred_on": "2026-11-20",
                    "channel": "centre",
                    "site": "KK-KALAMATA",
                    "municipality_code": "9253",
                    "staff_id": "sw-1",
                },
                CONTEXT,
            )

    # the consumer process catches up from the stores, then the check finds nothing
    stop = _run_consumer_in_background(platform_settings)
    try:
        with ServiceRpcProxy("reporting", platform_config) as reporting:
            report = eventually(
                lambda: (r := reporting.consistency_report())["consistent"] and r,
                60,
                0.5,
                what="a clean consistency report",
            )
            assert report == {"consistent": True, "differences": []}
            activity = reporting.daily_activity("KK-KALAMATA", False)  # the centre's own
            assert {(a["event_type"], a["events"]) for a in activity} == {
                ("BeneficiaryRegistered", 1),
                ("ContactRecorded", 3),
            }
    finally:
        stop()
    assert consumer_command(platform_settings, "check").returncode == 0

    _forge_a_head(platform_settings, admin_url)
    forged = consumer_command(platform_settings, "check")
    assert forged.returncode == 1 and '"hash differs"' in forged.stdout


def _run_consumer_in_background(platform_settings):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KENTRA_DATABASE_URL": platform_settings.database_url,
        "KENTRA_AMQP_URI": platform_settings.amqp_uri,
        "KENTRA_SCHEMA_PREFIX": platform_settings.schema_prefix,
        "KENTRA_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.reporting.entrypoints.consumer", "run"], env=env
    )

    def stop():
        proc.terminate()
        proc.wait(20)

    return stop


def _forge_a_head(platform_settings, admin_url):
    conn = psycopg2.connect(admin_url)
    with conn, conn.cursor() as cur:
        cur.execute(
            f'UPDATE "{platform_settings.schema("reporting")}".consumer_streams SET hash = %s'
            " WHERE stream LIKE 'case-%%'",
            ("f" * 64,),
        )
    conn.close()
