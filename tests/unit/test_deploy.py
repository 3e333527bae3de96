"""The compose file (which can't run here: no Docker engine) starts what the local runner starts."""

from pathlib import Path

import yaml

from deploy.local.run import ADMINISTRATIVE, process_environment, read_procfile, split
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
            "migrate-once": {"condition": "service_completed_successfully"},
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


def test_the_migrate_step_runs_first_and_alone_holds_the_administrative_login():
    procfile = read_procfile(DEPLOY / "Procfile")
    assert procfile[0].name == "migrate-once"
    for proc in procfile:
        env = compose()[proc.name]["environment"]
        assert "@" not in env["KENTRA_DATABASE_URL"], proc.name  # no login: the service roles
        assert ("KENTRA_ADMIN_DATABASE_URL" in env) == (proc.name == "migrate-once"), proc.name


def test_the_local_runner_migrates_before_any_service_and_after_steps_come_after():
    before, services, after = split(read_procfile(DEPLOY / "Procfile"))
    assert [p.name for p in before] == ["migrate-once"]
    assert services and not any(p.one_shot for p in services)
    assert [p.name for p in after] == ["seed-once", "accounts-once", "demo-once"]


def test_the_local_runner_gives_the_administrative_login_to_the_migrate_step_alone():
    env = {
        "KENTRA_ADMIN_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/kentra",
        "KENTRA_ADMIN_DATABASE_URL_FILE": "/run/secrets/admin",
        "KENTRA_DATABASE_URL": "postgresql://127.0.0.1:5432/kentra",
    }
    for proc in read_procfile(DEPLOY / "Procfile"):
        given = process_environment(proc, env)
        holds = {k for k in given if k.startswith("KENTRA_ADMIN")}
        assert holds == (set(ADMINISTRATIVE) if proc.name == "migrate-once" else set()), proc.name
        assert given["KENTRA_DATABASE_URL"] == env["KENTRA_DATABASE_URL"]
