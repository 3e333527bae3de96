"""No log holds a name or an AMKA (issue 13, point 3): the gateway runs as a real process (`nameko
run`, the platform's logging configuration), a person with a name and AMKA nobody else has is
searched for through the API and the portal, the old GET with ?q= is tried, and neither value is in
any line the gateway or the services behind it wrote."""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import jwt
import pytest
import requests
from stdnum import luhn

from services.portal_gateway.entrypoints.web.pages import COOKIE, csrf_token
from tests.e2e.gateway_platform import PASSWORD, GatewayPlatform
from tests.support.ports import free_port
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def unique_person() -> tuple[str, str]:
    """A family name and an AMKA (valid check digit) that appear nowhere else."""
    letters = "αβγδεζηθικλμνξπρστφχψω"
    name = "Δοκιμ" + "".join(random.choices(letters, k=12))
    digits = "010190" + "".join(random.choices("0123456789", k=4))
    return name, digits + luhn.calc_check_digit(digits)


@pytest.fixture
def gateway_process(container_factory, platform_config, tmp_path):
    """The services behind the gateway in this process, the gateway itself as the Procfile starts
    it, its output (stdout and stderr) kept in a file."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from deploy.demo.seed import seed_network
    from services.intake.entrypoints.service import IntakeService
    from services.referrals.entrypoints.service import ReferralsService
    from services.registries.entrypoints.service import RegistriesService
    from services.reporting.entrypoints.service import ReportingService

    for service in (RegistriesService, IntakeService, ReferralsService, ReportingService):
        container_factory(service, platform_config).start()
    with ClusterRpcProxy(platform_config) as cluster:
        seed_network(cluster.registries)
    config = tmp_path / "nameko.yaml"  # the platform's, but metrics on any free port
    config.write_text((ROOT / "deploy" / "nameko.yaml").read_text() + "METRICS_PORT: 0\n")
    port = free_port()
    env = {
        **os.environ,
        "KENTRA_DATABASE_URL": platform_config["KENTRA_DATABASE_URL"],
        "KENTRA_AMQP_URI": platform_config["AMQP_URI"],
        "KENTRA_SCHEMA_PREFIX": platform_config["KENTRA_SCHEMA_PREFIX"],
        "KENTRA_WEB_ADDRESS": f"127.0.0.1:{port}",
        "KENTRA_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("KENTRA_ADMIN_DATABASE_URL", None)
    output = tmp_path / "gateway.log"
    nameko = Path(sys.executable).parent / "nameko"  # the virtualenv's, as the Procfile runs it
    command = [str(nameko), "run", "--config", str(config)]
    with output.open("w") as out:
        process = subprocess.Popen(
            [*command, "services.portal_gateway.entrypoints.service:PortalGateway"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        eventually(
            lambda: requests.get(f"{base}/health", timeout=5).status_code == 200,
            90,
            what="the gateway to answer /health",
            tolerate=(requests.ConnectionError,),
            explain=output.read_text,
        )
        yield base, output, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def raw_request(base: str, line: str) -> bytes:
    """A request line as a careless or hostile client sends it, malformed on purpose."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"{line}\r\nHost: {host}\r\n\r\n".encode())
        return sock.recv(1024)


def test_no_log_line_holds_a_searched_name_or_amka(gateway_process, platform_settings, caplog):
    caplog.set_level(logging.INFO)
    base, output, process = gateway_process
    name, amka = unique_person()
    platform = GatewayPlatform(platform_settings, base)
    beneficiary = platform.register_only(
        "kalamata.worker", "MU-KALAMATA", family_name=name, amka=amka
    )
    worker = platform.client("kalamata.worker")

    for words in (amka, name):  # the API: a POST, the words in its body
        found = worker.search(words)
        assert found.status_code == 200, found.text
        assert [r["beneficiary_id"] for r in found.json()["results"]] == [beneficiary]
    old = worker.get("/beneficiaries", q=amka)  # the old GET: refused, clearly, never a 500
    assert old.status_code == 405 and old.json()["details"]["allowed"] == ["POST"]

    page = requests.Session()  # the portal: its form posts, with the session's form token
    page.headers["Origin"] = base
    login = {"username": "kalamata.worker", "password": PASSWORD}
    assert page.post(f"{base}/login", data=login).status_code == 200
    sid = jwt.decode(page.cookies.get(COOKIE), options={"verify_signature": False})["sid"]
    form = {"q": name, "_csrf": csrf_token(platform_settings.token_secret, sid)}
    results = page.post(f"{base}/search", data=form)
    assert results.status_code == 200 and f"/beneficiaries/{beneficiary}" in results.text
    old_page = page.get(f"{base}/search", params={"q": name})
    assert old_page.status_code == 400 and f"/beneficiaries/{beneficiary}" not in old_page.text
    # what no browser sends: a request line http.server refuses before the gateway sees it
    assert b" 505 " in raw_request(base, f"GET /api/v1/beneficiaries?q={amka} HTTP/9.9")
    assert b" 400 " in raw_request(base, f"GET /search?q={quote(name)} and more HTTP/1.1")

    process.send_signal(signal.SIGINT)  # every line written and flushed
    process.wait(30)
    lines = output.read_text().splitlines() + caplog.text.splitlines()
    for value in (name, quote(name), amka):
        assert not [line for line in lines if value in line], value
    logged = "\n".join(lines)
    assert "POST /api/v1/beneficiaries/search 200" in logged  # the access log is there, clean
    assert "GET /api/v1/beneficiaries 405" in logged and "GET /search 400" in logged
