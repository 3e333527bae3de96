"""The alerting rules: checked and unit-tested with promtool (Debian's prometheus package, which
scripts/bootstrap installs), and every metric they query is exported by a real process: ours,
RabbitMQ's own exporter, or postgres_exporter run here against the real database."""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from services.common.ports import METRICS_PORTS

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
PROMQL_WORDS = {"by", "without", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "sum", "max",
                "min", "avg", "count", "rate", "increase", "deriv", "offset", "bool"}


def promtool(*args: str) -> str:
    if not shutil.which("promtool"):
        pytest.fail("promtool is missing: scripts/bootstrap installs Debian's prometheus package")
    done = subprocess.run(["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def rule_metrics() -> set[str]:
    names = set()
    for group in yaml.safe_load((PROMETHEUS / "rules" / "kentra.yml").read_text())["groups"]:
        for rule in group["rules"]:
            expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"", " ", rule["expr"])
            names |= {w for w in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr) if w not in PROMQL_WORDS}
            names -= {w for w in re.findall(r"by \(([^)]*)\)", rule["expr"]) for w in w.split(", ")}
    return {n for n in names if "_" in n and not n.isupper() and n not in ("consumer", "source", "service", "command")}


def test_the_rules_and_both_configs_pass_promtool_check():
    assert "SUCCESS" in promtool("check", "rules", "rules/kentra.yml")
    promtool("check", "config", "prometheus.yml")
    promtool("check", "config", "prometheus-compose.yml")


def test_the_alerts_fire_when_they_should_and_not_before():
    assert "SUCCESS" in promtool("test", "rules", "tests/kentra_test.yml")


def test_both_configs_scrape_every_process_of_the_platform():
    for name in ("prometheus.yml", "prometheus-compose.yml"):
        jobs = {j["job_name"] for j in yaml.safe_load((PROMETHEUS / name).read_text())["scrape_configs"]}
        assert jobs == {*METRICS_PORTS, "rabbitmq", "postgres"}, name


def scrape(url: str) -> str:
    return urllib.request.urlopen(url, timeout=10).read().decode()


def exported_names(text: str) -> set[str]:
    found = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            name, kind = line.split()[2:4]
            found |= {name, name + "_total"} if kind == "counter" else {name}
        elif line and not line.startswith("#"):
            found.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return found


@pytest.fixture
def postgres_exporter(database_url):
    binary = shutil.which("prometheus-postgres-exporter") or shutil.which("postgres_exporter")
    if not binary:
        pytest.fail("postgres_exporter is missing: scripts/bootstrap installs prometheus-postgres-exporter")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dsn = database_url + ("&" if "?" in database_url else "?") + "sslmode=disable"
    process = subprocess.Popen([binary, f"--web.listen-address=127.0.0.1:{port}"], env={"DATA_SOURCE_NAME": dsn},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/metrics"
    for _ in range(50):
        try:
            scrape(url)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)


def test_every_metric_a_rule_queries_is_exported_by_a_real_process(postgres_exporter):
    from services.common import metrics  # noqa: F401  (the runtime's metrics, as every process exports them)
    from services.common.metrics import serve_metrics

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve_metrics(port)
    ours = exported_names(scrape(f"http://127.0.0.1:{port}/metrics"))
    broker = exported_names(scrape("http://127.0.0.1:15692/metrics"))
    database = exported_names(scrape(postgres_exporter))
    missing = {n for n in rule_metrics() if n not in ours | broker | database}
    assert rule_metrics() >= {"kentra_consumer_lag_events", "rabbitmq_alarms_memory_used_watermark", "pg_up"}
    assert missing == set()
