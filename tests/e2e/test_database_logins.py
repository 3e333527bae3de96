"""No long-running process holds an administrative database login. The platform is started as the
local runner starts it: the migrate step first, with the administrative URL, then every
long-running line of deploy/Procfile as its own OS process, with the environment the runner gives
it. Then each process's settings are inspected, and PostgreSQL's own list of connections says who
each process logged in as."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

from deploy.local.run import MIGRATE, environment, process_environment, read_procfile
from services.common.config import Settings
from services.common.db import drop_platform
from tests.support.database import without_login
from tests.support.ports import free_port
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
PROCFILE = read_procfile(ROOT / "deploy" / "Procfile")
LONG_RUNNING = [p for p in PROCFILE if not p.one_shot]
# the service roles (schemas) each process logs in as: its own, and nothing else
ROLES = {
    "registries": {"registries"},
    "registries-relay": {"registries"},
    "intake": {"intake"},
    "intake-relay": {"intake"},
    "referrals": {"referrals"},
    "referrals-relay": {"referrals"},
    "referrals-reactions-consumer": {"referrals_reactions"},
    "reporting": {"reporting", "reporting_releases"},
    "reporting-consumer": {"reporting"},
    "timeline-consumer": {"timeline"},
    "portal_gateway": {"portal_gateway", "timeline"},
}
# any power beyond the role's grants: an attribute, or membership of another role (pg_*, an admin)
POWERS = (
    "r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls"
    " OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid)"
)

pytestmark = pytest.mark.slow


@pytest.fixture
def runner_env(rabbit_config, admin_url):
    """What the local runner starts processes with, on this test's vhost and schemas: the
    administrative login is set, as an operator sets it for the migrate step."""
    prefix = f"l{uuid.uuid4().hex[:8]}_"
    env = {
        **environment(),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "KENTRA_ADMIN_DATABASE_URL": admin_url,
        "KENTRA_DATABASE_URL": without_login(admin_url),
        "KENTRA_AMQP_URI": rabbit_config["AMQP_URI"],
        "KENTRA_SCHEMA_PREFIX": prefix,
        "KENTRA_METRICS_PORT": "0",
        "KENTRA_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
        "KENTRA_LOG_LEVEL": "WARNING",
    }
    yield env
    drop_platform(admin_url, prefix)


@pytest.fixture
def started(runner_env, tmp_path):
    """The migrate step run to completion, then every long-running process, each naming itself
    to PostgreSQL (application_name) so its connections can be told apart."""
    (migrate,) = [p for p in PROCFILE if p.name == MIGRATE]
    done = subprocess.run(
        ["bash", "-c", f"exec {migrate.command}"],
        cwd=ROOT,
        env=process_environment(migrate, runner_env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    running = {}
    for proc in LONG_RUNNING:
        log = (tmp_path / f"{proc.name}.log").open("wb")
        running[proc.name] = subprocess.Popen(
            ["bash", "-c", f"exec {proc.command}"],
            cwd=ROOT,
            env={
                **process_environment(proc, runner_env),
                "PGAPPNAME": runner_env["KENTRA_SCHEMA_PREFIX"] + proc.name,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield running
    for popen in running.values():
        if popen.poll() is None:
            os.killpg(popen.pid, signal.SIGTERM)
    for popen in running.values():
        try:
            popen.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(popen.pid, signal.SIGKILL)


def logins(admin_url: str, prefix: str) -> dict[str, set[tuple]]:
    """process -> {(role, whether it has any power beyond its grants)} of every connection it
    holds now."""
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT a.application_name, a.usename, ({POWERS})"
            " FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename"
            " WHERE a.application_name LIKE %s",
            (prefix.replace("_", "\\_") + "%",),
        )
        rows = cur.fetchall()
    conn.close()
    found: dict[str, set[tuple]] = {}
    for application, role, powers in rows:
        found.setdefault(application.removeprefix(prefix), set()).add((role, powers))
    return found


def test_every_long_running_process_gets_settings_without_an_administrative_login(runner_env):
    admin = runner_env["KENTRA_ADMIN_DATABASE_URL"]
    for proc in LONG_RUNNING:
        env = process_environment(proc, runner_env)
        assert not [k for k, v in env.items() if admin in v or k.startswith("KENTRA_ADMIN")]
        settings = Settings.from_env(env)
        assert settings.database_url == without_login(admin), proc.name


def test_every_long_running_process_logs_in_as_its_service_roles_only(
    started, runner_env, admin_url, tmp_path
):
    prefix = runner_env["KENTRA_SCHEMA_PREFIX"]

    def explain() -> str:
        dead = {n: p.returncode for n, p in started.items() if p.poll() is not None}
        return f"exited: {dead}\n" + "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-1500:]}"
            for log in sorted(tmp_path.glob("*.log"))
            if log.stat().st_size
        )

    found = eventually(
        lambda: (
            seen
            if (seen := logins(admin_url, prefix)).keys() >= ROLES.keys()
            or any(p.poll() is not None for p in started.values())
            else None
        ),
        120,
        0.5,
        what="every process to connect",
        explain=explain,
    )
    assert found.keys() >= ROLES.keys(), explain()
    assert {p.name for p in LONG_RUNNING} == ROLES.keys()  # a new process needs its line here
    for process, connections in found.items():
        assert {powerful for _, powerful in connections} == {False}, process
        assert {role for role, _ in connections} == {
            f"kentra_{prefix}{schema}" for schema in ROLES[process]
        }, process
