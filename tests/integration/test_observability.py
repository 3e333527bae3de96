"""The alerting rules: checked and unit-tested with promtool (Debian's prometheus package, which
scripts/bootstrap installs), and every metric they query is exported by a real process: ours,
RabbitMQ's own exporter, or postgres_exporter run here against the real database."""

from __future__ import annotations

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
        assert jobs == {*METRICS_PORTS, "rabbitmq", "postgres"}, name


def test_every_metric_a_rule_queries_is_exported_by_a_real_process(exported):
    assert rule_metrics() >= {
        "kentra_consumer_lag_events",
        "rabbitmq_alarms_memory_used_watermark",
        "pg_up",
    }
    assert rule_metrics() - exported == set()
