"""The alerting rules: checked and unit-tested with promtool (Debian's prometheus package, which
scripts/bootstrap installs), and every metric they query is exported by a real process: ours,
RabbitMQ's own exporter, or postgres_exporter run here against the real database."""

from __future__ import annotations

import re

import yaml

from services.common.ports import METRICS_PORTS
from tests.support.observability import PROMETHEUS, promtool, rule_metrics


def test_the_rules_and_both_configs_pass_promtool_check():
    assert "SUCCESS" in promtool("check", "rules", "rules/kentra.yml")
    promtool("check", "config", "prometheus.yml")
    promtool("check", "config", "prometheus-compose.yml")


def test_the_alerts_fire_when_they_should_and_not_before():
    assert "SUCCESS" in promtool("test", "rules", "tests/kentra_test.yml")


def test_both_configs_scrape_every_process_of_the_platform():
    for name in ("prometheus.yml", "prometheus-compose.yml"):
        jobs = {
            j["job_name"] for j in yaml.safe_load((PROMETHEUS / name).read_text())["scrape_configs"]
        }
        assert jobs == {*METRICS_PORTS, "rabbitmq", "rabbitmq-detailed", "postgres"}, name


def test_every_metric_a_rule_queries_is_exported_by_a_real_process(exported):
    assert rule_metrics() >= {
        "kentra_consumer_lag_events",
        "kentra_erasure_position",
        "rabbitmq_alarms_memory_used_watermark",
        "rabbitmq_detailed_queue_messages_ready",
        "pg_up",
    }
    assert rule_metrics() - exported == set()


def test_every_recorded_series_an_alert_reads_is_recorded_by_a_rule():
    """A typo in `kentra:…` would make an SLO alert read nothing, and never fire."""
    rules = [
        r
        for g in yaml.safe_load((PROMETHEUS / "rules" / "kentra.yml").read_text())["groups"]
        for r in g["rules"]
    ]
    recorded = {r["record"] for r in rules if "record" in r}
    read = {
        name for r in rules if "alert" in r for name in re.findall(r"kentra:[a-z0-9_:]+", r["expr"])
    }
    assert read and read <= recorded, read - recorded


def test_every_alert_has_its_runbook_entry_in_the_operations_guide():
    guide = (PROMETHEUS.parents[1] / "docs" / "operations.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\w+)$", guide, flags=re.MULTILINE))
    alerts = [
        r
        for g in yaml.safe_load((PROMETHEUS / "rules" / "kentra.yml").read_text())["groups"]
        for r in g["rules"]
        if "alert" in r
    ]
    assert len(alerts) >= 20
    for rule in alerts:
        assert rule["annotations"]["runbook"] == f"docs/operations.md#{rule['alert'].lower()}"
        assert rule["alert"] in headings, f"docs/operations.md has no entry for {rule['alert']}"
