"""What the observability tests share: promtool, the metric names a PromQL expression or the alert
rules read, and what a real /metrics endpoint exports. The fixtures that start exporters are in the
root conftest.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
PROMQL_WORDS = {
    "by",
    "without",
    "and",
    "or",
    "unless",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "sum",
    "max",
    "min",
    "avg",
    "count",
    "rate",
    "increase",
    "deriv",
    "min_over_time",
    "offset",
    "bool",
}


def promtool(*args: str) -> str:
    if not shutil.which("promtool"):
        pytest.fail("promtool is missing: scripts/bootstrap installs Debian's prometheus package")
    done = subprocess.run(
        ["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def metrics_in(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label names, functions and strings left out)."""
    labels = {
        w for group in re.findall(r"(?:by|without) \(([^)]*)\)", expr) for w in group.split(", ")
    }
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"|(?:by|without) \([^)]*\)", " ", expr)
    words = {w for w in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare) if w not in PROMQL_WORDS}
    return {w for w in words - labels if "_" in w and w not in ("histogram_quantile",)}


def rule_metrics() -> set[str]:
    """What the rules read from the targets: not what they record themselves (`level:name:op`)."""
    rules = [
        r
        for g in yaml.safe_load((PROMETHEUS / "rules" / "kentra.yml").read_text())["groups"]
        for r in g["rules"]
    ]
    read = set().union(*(metrics_in(r["expr"]) for r in rules))
    return {name for name in read if ":" not in name}


def scrape(url: str) -> str:
    return urllib.request.urlopen(url, timeout=10).read().decode()


def exported_names(text: str) -> set[str]:
    found = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            name, kind = line.split()[2:4]
            suffixes = {
                "counter": ("", "_total"),
                "histogram": ("", "_bucket", "_sum", "_count"),
                "summary": ("", "_sum", "_count"),
            }.get(kind, ("",))
            found |= {name + suffix for suffix in suffixes}
        elif line and not line.startswith("#"):
            found.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return found
