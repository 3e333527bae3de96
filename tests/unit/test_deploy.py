"""The compose file (which can't run here: no Docker engine) starts what the local runner starts."""

from pathlib import Path

import yaml

from deploy.local.run import read_procfile
from services.common.ports import METRICS_PORTS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]


def test_compose_runs_every_procfile_process_with_the_same_command():
    services = compose()
    for proc in read_procfile(DEPLOY / "Procfile"):
        assert services[proc.name]["command"] == proc.command, proc.name


def test_every_process_waits_for_healthy_infrastructure_and_is_health_checked():
    for name, svc in compose().items():
        if name in ("postgres", "rabbitmq"):
            assert "healthcheck" in svc
            continue
        if name in (
            "prometheus",
            "grafana",
            "postgres-exporter",
        ):  # watching, not part of the platform
            continue
        if name.endswith(
            "-once"
        ):  # a job that runs to completion: retried on failure, not health-checked
            assert svc["restart"] == "on-failure"
            continue
        assert svc["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "rabbitmq": {"condition": "service_healthy"},
        }
        assert "healthcheck" in svc and svc["environment"]["KENTRA_METRICS_ADDR"] == "0.0.0.0"


def test_compose_publishes_each_metrics_port_of_the_port_map():
    services = compose()
    for process, port in METRICS_PORTS.items():
        assert f"{port}:{port}" in services[process]["ports"], process


def test_the_broker_gets_the_management_and_prometheus_plugins():
    assert (
        DEPLOY / "rabbitmq" / "enabled_plugins"
    ).read_text().strip() == "[rabbitmq_management,rabbitmq_prometheus]."
