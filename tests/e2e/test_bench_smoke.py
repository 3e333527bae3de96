"""The benchmarks still run (figures are read by people from `python -m bench`, not asserted)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_benchmark_runs_in_quick_mode_and_prints_its_ratio():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KENTRA_LOG_LEVEL": "ERROR"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name in (
        "batched append",
        "relay store -> broker",
        "live consumer -> read model",
        "rebuild from the store",
        "rpc round trips, answers unconfirmed",
        "contacts, registry answers kept",
    ):
        assert name in done.stdout
    assert "| benchmark |" in done.stdout


@pytest.mark.slow
def test_the_national_bench_runs_end_to_end_on_a_small_data_set():
    """It runs by hand for an hour at full size: a read it times that the code no longer has
    (it once called a removed use case after the rebuilds) must fail here, not there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KENTRA_LOG_LEVEL": "ERROR"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.national", "--people", "2000", "--events", "40000"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("rebuild of the timeline model", "search by name", "ESF+ tables of a year"):
        assert name in done.stdout
