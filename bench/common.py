"""What every benchmark shares: a throw-away database, fresh schemas, timing and reporting.
Each figure is printed beside a baseline measured in the same run on the same machine."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from services.common.config import Settings
from services.common.db import drop_platform, ensure_database
from services.common.migrate import migrate_platform

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "kentra_bench"
AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


def bench_admin_url() -> str:
    """The administrative login to the benchmarks' database (migrations, the raw baselines)."""
    return ensure_database(ADMIN_URL, BENCH_DB)


def bench_settings(prefix: str) -> Settings:
    """What the platform's processes get: the database without a login."""
    parts = urlsplit(bench_admin_url())
    return Settings.from_env(
        {
            "KENTRA_DATABASE_URL": urlunsplit(parts._replace(netloc=parts.netloc.split("@")[-1])),
            "KENTRA_AMQP_URI": AMQP_URI,
            "KENTRA_SCHEMA_PREFIX": prefix,
        }
    )


@contextmanager
def scratch(name: str):
    """Settings of a platform migrated as the migrate step does, dropped afterwards."""
    prefix = f"b{uuid.uuid4().hex[:6]}_"
    settings = bench_settings(prefix)
    migrate_platform(bench_admin_url(), settings)
    try:
        yield settings
    finally:
        drop_platform(bench_admin_url(), prefix)


PEOPLE = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"kentra-bench-{n}")) for n in range(5000)]


def contact_payload(i: int) -> dict:
    """About 150 bytes, shaped like an intake contact (5,000 people met again and again)."""
    return {
        "beneficiary_id": PEOPLE[i % len(PEOPLE)],
        "site": "MU-KALAMATA",
        "municipality_code": "9258",
        "channel": "mobile_unit_visit",
        "occurred_on": "2026-11-20",
        "staff_id": f"sw-{i % 7}",
        "seq": i,
    }


def payload_json(i: int) -> str:
    return json.dumps(contact_payload(i))


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_rate(count: int, seconds: list[float]) -> float:
    return count / statistics.median(seconds)


RESULTS: list[dict] = []


def report(
    name: str,
    value: float,
    unit: str,
    baseline: float | None = None,
    baseline_name: str = "",
    target: float | None = None,
) -> None:
    line = f"{name}: {value:,.0f} {unit}"
    row = {"name": name, "value": value, "unit": unit}
    if baseline:
        ratio = value / baseline
        line += f" ({baseline_name} {baseline:,.0f} {unit}) ratio {ratio:.2f}"
        row.update(baseline=baseline, baseline_name=baseline_name, ratio=ratio)
        if target is not None:
            line += f" [target >= {target}] {'OK' if ratio >= target else 'MISSED'}"
            row.update(target=target, met=ratio >= target)
    elif target is not None:
        line += f" [target >= {target:,.0f}] {'OK' if value >= target else 'MISSED'}"
        row.update(target=target, met=value >= target)
    RESULTS.append(row)
    print(line, flush=True)
