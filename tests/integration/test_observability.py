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


def metrics_in(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label names, functions and strings left out)."""
    labels = {w for group in re.findall(r"(?:by|without) \(([^)]*)\)", expr) for w in group.split(", ")}
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"|(?:by|without) \([^)]*\)", " ", expr)
    words = {w for w in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare) if w not in PROMQL_WORDS}
    return {w for w in words - labels if "_" in w and w not in ("histogram_quantile",)}


def rule_metrics() -> set[str]:
    rules = [r for g in yaml.safe_load((PROMETHEUS / "rules" / "kentra.yml").read_text())["groups"] for r in g["rules"]]
    return set().union(*(metrics_in(r["expr"]) for r in rules))


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
            suffixes = {"counter": ("", "_total"), "histogram": ("", "_bucket", "_sum", "_count"),
                        "summary": ("", "_sum", "_count")}.get(kind, ("",))
            found |= {name + suffix for suffix in suffixes}
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


@pytest.fixture
def exported(postgres_exporter) -> set[str]:
    """What real processes export: the runtime's metrics (as every Kentra process serves them),
    RabbitMQ's exporter and postgres_exporter."""
    from services.common.metrics import serve_metrics

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve_metrics(port)
    ours = exported_names(scrape(f"http://127.0.0.1:{port}/metrics"))
    return ours | exported_names(scrape("http://127.0.0.1:15692/metrics")) | exported_names(scrape(postgres_exporter))


def test_every_metric_a_rule_queries_is_exported_by_a_real_process(exported):
    assert rule_metrics() >= {"kentra_consumer_lag_events", "rabbitmq_alarms_memory_used_watermark", "pg_up"}
    assert rule_metrics() - exported == set()
