"""The Grafana dashboards: the committed JSON is what the code generates, every query parses
(promtool checks them as recording rules), and every metric a panel reads is exported by a real
process: a running reporting service (business metrics), the runtime, RabbitMQ, postgres_exporter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from services.reporting.entrypoints.service import ReportingService
from tests.support.observability import exported_names, metrics_in, promtool, scrape
from tests.support.ports import free_port

GRAFANA = Path(__file__).resolve().parents[2] / "deploy" / "grafana"


def generated():
    sys.path.insert(0, str(GRAFANA))
    try:
        import dashboards
    finally:
        sys.path.pop(0)
    return dashboards.render(), list(dashboards.QUERIES)


def test_the_committed_dashboards_are_what_the_code_generates_and_use_the_provisioned_datasource():
    files, _ = generated()
    for name, text in files.items():
        assert (GRAFANA / "dashboards" / name).read_text(encoding="utf-8") == text, name
        board = json.loads(text)
        assert {p["datasource"]["uid"] for p in board["panels"]} == {"kentra-prometheus"}
    (source,) = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "kentra.yml").read_text()
    )["datasources"]
    assert source["uid"] == "kentra-prometheus"


def test_every_dashboard_query_parses(tmp_path):
    _, queries = generated()
    rules = {
        "groups": [
            {
                "name": "dashboards",
                "rules": [
                    {"record": f"kentra:dashboard_query_{i}", "expr": q}
                    for i, q in enumerate(queries)
                ],
            }
        ]
    }
    (tmp_path / "queries.yml").write_text(yaml.safe_dump(rules, allow_unicode=True))
    assert f"SUCCESS: {len(queries)} rules found" in promtool(
        "check", "rules", str(tmp_path / "queries.yml")
    )


def test_every_metric_a_dashboard_reads_is_exported(container_factory, platform_config, exported):
    port = free_port()
    container_factory(ReportingService, {**platform_config, "METRICS_PORT": port}).start()
    business = exported_names(scrape(f"http://127.0.0.1:{port}/metrics"))
    _, queries = generated()
    wanted = set().union(*(metrics_in(q) for q in queries))
    assert {
        "kentra_referrals_pending",
        "rabbitmq_queue_messages_ready",
        "pg_stat_database_xact_commit",
    } <= wanted
    assert wanted - (exported | business) == set()
