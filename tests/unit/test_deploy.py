"""The compose file (which can't run here: no Docker engine) starts what the local runner starts."""

import re
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


WATCHING = ("prometheus", "grafana", "postgres-exporter")
SETUP = ("migrate-once", "broker-once")


def platform_processes():
    return {
        name: svc
        for name, svc in compose().items()
        if name not in ("postgres", "rabbitmq", *WATCHING, *SETUP)
    }


def test_every_process_waits_for_infrastructure_and_setup_and_is_health_checked():
    services = compose()
    assert all("healthcheck" in services[name] for name in ("postgres", "rabbitmq"))
    for name, svc in platform_processes().items():
        for needed in ("postgres", "rabbitmq"):
            assert svc["depends_on"][needed] == {"condition": "service_healthy"}, name
        for needed in SETUP:
            assert svc["depends_on"][needed] == {"condition": "service_completed_successfully"}
        if name.endswith("-once"):  # a job that runs to completion: retried, not health-checked
            assert svc["restart"] == "on-failure"
        else:
            assert "healthcheck" in svc and svc["environment"]["KENTRA_METRICS_ADDR"] == "0.0.0.0"


def test_only_the_portal_is_published_and_the_platform_network_is_internal():
    published = {name: svc["ports"] for name, svc in compose().items() if svc.get("ports")}
    assert published == {
        "portal_gateway": ["8000:8000"],
        "grafana": ["127.0.0.1:3000:3000"],  # the host's loopback only
    }
    networks = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["networks"]
    assert networks["backend"]["internal"] is True
    for name, svc in compose().items():
        assert "backend" in svc["networks"], name
        assert "edge" not in svc["networks"] or name in published, name


def test_metrics_are_scraped_on_the_internal_network():
    scraped = (DEPLOY / "prometheus" / "prometheus-compose.yml").read_text()
    for process, port in METRICS_PORTS.items():
        assert f"'{process}:{port}'" in scraped, process


def test_no_secret_or_default_login_is_written_in_compose():
    text = (DEPLOY / "compose.yaml").read_text()
    for unwanted in ("guest", "trust", "POSTGRES_HOST_AUTH_METHOD", "kentra-demo", "PASSWORD:"):
        assert unwanted not in text, unwanted
    document = yaml.safe_load(text)
    declared = set(document["secrets"])
    for name, svc in document["services"].items():
        env = svc.get("environment") or {}
        for variable, value in env.items():
            if variable.endswith("_FILE"):
                assert value.startswith(("/run/secrets/", "/var/lib/kentra/secrets/broker/")), (
                    name,
                    variable,
                )
                if value.startswith("/run/secrets/"):
                    assert value.removeprefix("/run/secrets/") in svc["secrets"], (name, variable)
        assert set(svc.get("secrets", [])) <= declared, name


def test_each_process_gets_its_own_broker_login_and_only_its_own_database_roles():
    for name, svc in platform_processes().items():
        env = svc["environment"]
        assert env["KENTRA_AMQP_URI_FILE"].endswith(f"/broker/process/{name}"), name
        assert "KENTRA_ADMIN_DATABASE_URL_FILE" not in env, name
        assert "database_admin_url" not in svc.get("secrets", []), name
    assert "KENTRA_ADMIN_DATABASE_URL_FILE" in compose()["migrate-once"]["environment"]


def test_the_secrets_maker_makes_every_secret_compose_mounts(tmp_path):
    from deploy.secrets import make

    made = set(make(tmp_path / "secrets"))
    document = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    wanted = {spec["file"].removeprefix("./secrets/") for spec in document["secrets"].values()}
    assert wanted | {"rabbitmq_admin.conf"} <= made
    assert (tmp_path / "secrets").stat().st_mode & 0o777 == 0o700
    again = {p.name: p.read_text() for p in (tmp_path / "secrets").iterdir()}
    make(tmp_path / "secrets")  # a second run keeps every secret as it was
    assert again == {p.name: p.read_text() for p in (tmp_path / "secrets").iterdir()}


def test_the_broker_is_a_current_rabbitmq_and_loads_no_guest():
    rabbitmq = compose()["rabbitmq"]
    major = int(rabbitmq["image"].split(":")[1].split(".")[0])
    assert major >= 4
    conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    assert "loopback_users.guest = false" not in conf and "definitions" not in conf


def test_the_broker_gets_the_management_and_prometheus_plugins():
    assert (
        DEPLOY / "rabbitmq" / "enabled_plugins"
    ).read_text().strip() == "[rabbitmq_management,rabbitmq_prometheus]."


def test_the_setup_steps_run_first_and_the_migrate_step_alone_holds_the_administrative_login():
    procfile = read_procfile(DEPLOY / "Procfile")
    assert [p.name for p in procfile[:2]] == ["migrate-once", "broker-once"]
    for proc in procfile:
        env = compose()[proc.name].get("environment") or {}
        assert "@" not in env.get("KENTRA_DATABASE_URL", ""), proc.name  # no login: the roles
        holds = any(k.startswith("KENTRA_ADMIN_DATABASE_URL") for k in env)
        assert holds == (proc.name == "migrate-once"), proc.name


def test_the_local_runner_sets_up_before_any_service_and_after_steps_come_after():
    before, services, after = split(read_procfile(DEPLOY / "Procfile"))
    assert [p.name for p in before] == ["migrate-once", "broker-once"]
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


def test_every_rpc_a_service_makes_is_on_its_broker_users_list():
    """The broker refuses a call that is not on the caller's list (ACCESS_REFUSED), so a method a
    service starts calling without its permission breaks that command on the platform while
    the tests, which grant it, stay green: intake's staff_of_network did exactly that."""
    from deploy.rabbitmq.definitions import PRINCIPALS, PUBLIC

    services = DEPLOY.parent / "services"
    for principal in PRINCIPALS:
        if principal.serves is None or principal.serves == "portal_gateway":
            continue
        sources = "\n".join(p.read_text() for p in (services / principal.serves).rglob("*.py"))
        proxies = dict(re.findall(r"(\w+) = RpcProxy\(\"(\w+)\"\)", sources))
        called = {
            (proxies[attr], method)
            for attr, method in re.findall(r"self\.(\w+)\.(\w+)\(", sources)
            if attr in proxies
        }
        for service, method in called:
            allowed = principal.calls.get(service, ())
            assert allowed == PUBLIC or method in allowed, (principal.name, service, method)


def test_the_local_runner_logs_postgres_exporter_in_as_the_statistics_role_without_admin():
    from deploy.local.run import POSTGRES_EXPORTER, Process

    env = {
        "KENTRA_ADMIN_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/kentra",
        "KENTRA_DATABASE_URL": "postgresql://db.example:5433/kentra",
        "KENTRA_SCHEMA_PREFIX": "t1_",
        "KENTRA_DB_PASSWORD_MONITOR_FILE": "/run/secrets/monitor",
    }
    given = process_environment(Process(POSTGRES_EXPORTER, "postgres_exporter"), env)
    assert given["DATA_SOURCE_URI"] == "db.example:5433/kentra?sslmode=disable"
    assert given["DATA_SOURCE_USER"] == "kentra_t1_monitor"
    assert given["DATA_SOURCE_PASS_FILE"] == "/run/secrets/monitor"
    assert not any(k.startswith("KENTRA_ADMIN") for k in given)
