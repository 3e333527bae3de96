"""The platform as real OS processes for fault tests: nameko services and the gateway started as
deploy/Procfile starts them (`nameko run --config deploy/nameko.yaml ...`), relays and a consumer
beside them, on a broker and a database the test chooses (a ThrowAwayBroker, a throw-away
PostgreSQL, or a multi-host URL over a primary and its standby), in schemas of their own.

A test drives it through the HTTP API as a client would (`client(username)`, the accounts of
tests/e2e/gateway_platform.py) and checks the truth in the stores through connections of its own,
logged in as the administrator of the server that is primary at that moment."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg2
import requests

from deploy.demo.seed import CONTEXT, seed_network
from deploy.rabbitmq.definitions import SERVICES
from services.common.config import Settings
from services.common.db import drop_platform
from services.common.migrate import migrate_platform
from services.common.nameko_support import wait_until_answering
from services.common.rpc_client import cluster_rpc
from tests.e2e.gateway_platform import GatewayPlatform, staff_members
from tests.support.broker import declare_topology
from tests.support.faults import (
    ServiceProcess,
    ThrowAwayBroker,
    free_port,
    port_open,
    relay_process,
    service_process,
)
from tests.support.waiting import eventually


class RestartableBroker(ThrowAwayBroker):
    """A ThrowAwayBroker whose RabbitMQ application an operator stops and starts again
    (`rabbitmqctl stop_app` / `start_app`): the Erlang node stays up, every client connection is
    closed, and new ones are refused until start_app."""

    def stop_app(self) -> None:
        assert self._ctl("stop_app").returncode == 0, "rabbitmqctl stop_app failed"
        eventually(lambda: not port_open(self.port), 30, 0.1, what="the broker to stop listening")

    def start_app(self) -> None:
        assert self._ctl("start_app").returncode == 0, "rabbitmqctl start_app failed"
        eventually(lambda: port_open(self.port), 60, 0.1, what="the broker to listen again")


class ProcessPlatform:
    """`services`: the nameko services to run besides the gateway (always run). `admin_url`: a
    function answering the administrative login of the server that is primary now (it moves in
    a failover)."""

    def __init__(
        self,
        admin_url: Callable[[], str],
        database_url: str,
        amqp_uri: str,
        log_dir: Path,
        services: tuple[str, ...] = ("registries", "intake", "referrals"),
    ):
        self.admin_url, self.log_dir = admin_url, log_dir
        self.settings = Settings.from_env(
            {
                "KENTRA_DATABASE_URL": database_url,
                "KENTRA_AMQP_URI": amqp_uri,
                "KENTRA_SCHEMA_PREFIX": f"p{uuid.uuid4().hex[:8]}_",
            }
        )
        self.web_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.processes: dict[str, ServiceProcess] = {}
        migrate_platform(admin_url(), Settings.for_migration(self._env()))
        declare_topology(amqp_uri)
        for service in (*services, "portal_gateway"):
            self.processes[service] = self._nameko(service)
        self.gateway: GatewayPlatform | None = None

    # -- starting -----------------------------------------------------------------------------------
    def start(self) -> GatewayPlatform:
        """Every process started, answering, the demo network and the staff in the registry, and
        one account per role (GatewayPlatform's)."""
        for process in self.processes.values():
            process.start()
        rpc = [name for name in self.processes if name != "portal_gateway"]
        wait_until_answering(self.settings.amqp_uri, rpc, 120, say=lambda _: None)
        with cluster_rpc(self.settings.amqp_uri) as cluster:
            seed_network(cluster.registries)
            for member in staff_members():
                cluster.registries.assign_staff_member(member, CONTEXT)
        eventually(
            lambda: self.health().status_code == 200,
            60,
            0.5,
            what="the gateway to answer /health",
            tolerate=(requests.RequestException,),
            explain=self.diagnostics,
        )
        self.gateway = GatewayPlatform(self.settings, self.base)
        return self.gateway

    def relay(self, service: str) -> ServiceProcess:
        relay = relay_process(self.settings, service, self.log_dir, metrics_port=free_port())
        self.processes[relay.name] = relay
        relay.start()
        return relay

    def add(self, process: ServiceProcess) -> ServiceProcess:
        self.processes[process.name] = process
        return process

    def _nameko(self, service: str) -> ServiceProcess:
        process = service_process(
            self.settings, service, SERVICES[service], self.log_dir, metrics_port=free_port()
        )
        process.env["KENTRA_WEB_ADDRESS"] = f"127.0.0.1:{self.web_port}"  # the gateway's
        return process

    def _env(self) -> dict[str, str]:
        return {
            "KENTRA_DATABASE_URL": self.settings.database_url,
            "KENTRA_SCHEMA_PREFIX": self.settings.schema_prefix,
        }

    # -- what the test observes -----------------------------------------------------------------
    def health(self, path: str = "/health") -> requests.Response:
        return requests.get(self.base + path, timeout=10)

    def stored_commands(self, service: str, command_ids: list[str]) -> set[str]:
        """Which of these command ids the service's store recorded (table `commands`)."""
        conn = psycopg2.connect(self.admin_url(), connect_timeout=5)
        try:
            with conn.cursor() as cur:
                cur.execute(
                    f'SELECT command_id FROM "{self.settings.schema(service)}".commands'
                    " WHERE command_id = ANY(%s)",
                    (command_ids,),
                )
                return {row[0] for row in cur.fetchall()}
        finally:
            conn.close()

    def exited(self) -> dict[str, int | None]:
        """Processes that are not running (name -> exit code), and how often each was started."""
        return {
            name: p.proc.returncode if p.proc else None
            for name, p in self.processes.items()
            if not p.alive() or p.starts != 1
        }

    def diagnostics(self) -> str:
        return "\n".join(p.log_tail() for p in self.processes.values())

    def close(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        if self.gateway is not None:
            self.gateway.accounts.db.close()
        try:
            drop_platform(self.admin_url(), self.settings.schema_prefix)
        except psycopg2.Error as exc:  # never hide the test's own result behind its clean-up
            print(f"could not drop {self.settings.schema_prefix}*: {exc}")
