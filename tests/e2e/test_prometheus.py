"""A real Prometheus (Debian's package) scraping the running platform: every target is up, and a
business metric and the consumer-lag metric come back from its query API with values."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import urllib.parse
import urllib.request
import uuid

import pytest
import yaml
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.intake.entrypoints.service import IntakeService
from services.referrals.entrypoints.service import ReferralsService
from services.registries.entrypoints.service import RegistriesService
from services.reporting import bootstrap as reporting_bootstrap
from services.reporting.entrypoints.service import ReportingService
from tests.support.ports import free_port
from tests.support.waiting import eventually


def get(url: str) -> dict:
    return json.loads(urllib.request.urlopen(url, timeout=5).read())


@pytest.fixture
def platform_with_metrics(container_factory, platform_config, platform_settings, relays):
    ports = {}
    for service in (RegistriesService, IntakeService, ReferralsService, ReportingService):
        ports[service.name] = free_port()
        container_factory(service, {**platform_config, "METRICS_PORT": ports[service.name]}).start()
    relays("registries", "intake", "referrals")
    projection = reporting_bootstrap.projection(platform_settings)
    db = reporting_bootstrap.open_model(platform_settings)
    source, stop = RpcEventSource(platform_settings.amqp_uri), threading.Event()
    live = LiveConsumer(
        Consumer(projection, db, source, opener=personal_opener(platform_settings, projection)),
        platform_settings.amqp_uri,
        publishers=dict.fromkeys(projection.sources, "guest"),
        catch_up_seconds=1,
    )
    threading.Thread(target=live.run, args=(stop,), daemon=True).start()
    assert live.ready.wait(30)
    yield ports
    stop.set()
    source.close()
    db.close()


@pytest.fixture
def prometheus(tmp_path, platform_with_metrics):
    if not shutil.which("prometheus"):
        pytest.fail("prometheus is missing: scripts/bootstrap installs Debian's prometheus package")
    port = free_port()
    config = {
        # four processes' /metrics in one test process, reporting's reading its release from the
        # database: on a loaded CI machine a scrape can take more than one second, so each has two
        "global": {"scrape_interval": "2s", "scrape_timeout": "2s", "evaluation_interval": "1s"},
        "scrape_configs": [
            {
                "job_name": name,
                "static_configs": [
                    {"targets": [f"127.0.0.1:{p}"], "labels": {"platform": "kentra"}}
                ],
            }
            for name, p in platform_with_metrics.items()
        ],
    }
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    process = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(20)


def query(base: str, expr: str) -> list[dict]:
    return get(f"{base}/api/v1/query?query={urllib.parse.quote(expr)}")["data"]["result"]


@pytest.mark.slow
def test_prometheus_scrapes_the_platform_and_a_registration_today_shows_in_no_business_metric(
    prometheus, platform_config
):
    with ClusterRpcProxy(platform_config) as cluster:
        cluster.registries.register_beneficiary(
            {
                "command_id": str(uuid.uuid4()),
                "given_name": "Ελένη",
                "family_name": "Μαυρέα",
                "municipality_code": "9256",
                "site": "MU-KALAMATA",
            },
            {"actor": "kalamata.social4", "site": "MU-KALAMATA"},
        )

    seen_up: set[str] = set()  # a target counts once Prometheus has scraped it whole
    last_errors: dict[str, str] = {}

    def all_up():
        for t in get(f"{prometheus}/api/v1/targets")["data"]["activeTargets"]:
            if t["health"] == "up":
                seen_up.add(t["labels"]["job"])
            else:
                last_errors[t["labels"]["job"]] = t.get("lastError", "")
        return len(seen_up) == 4 and seen_up

    assert eventually(
        all_up,
        60,
        0.5,
        what="every target up",
        tolerate=(OSError,),
        explain=lambda: f"up: {sorted(seen_up)}; last errors: {last_errors}",
    ) == {"registries", "intake", "referrals", "reporting"}
    lag = eventually(
        lambda: query(prometheus, 'kentra_consumer_lag_events{consumer="reporting"}'),
        40,
        0.5,
        tolerate=(OSError,),
    )
    assert {r["metric"]["source"] for r in lag} == {"registries", "intake", "referrals"}
    # the business metrics are the latest released month's shown figures: today's one
    # registration is in none of them (a live gauge would have shown it, and every scrape after)
    eventually(  # the registration is in the read model
        lambda: query(
            prometheus, 'kentra_consumer_lag_events{consumer="reporting",source="registries"} == 0'
        ),
        40,
        0.5,
        tolerate=(OSError,),
    )
    assert query(prometheus, "kentra_beneficiaries_registered") == []
