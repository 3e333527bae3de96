"""Guarantee 5: a reader tailing the global position never skips an event that commits late.

Eight writer processes draw positions and commit after random pauses, collide on shared streams
and roll back; the reader tails `read_all` meanwhile. Without the store's append lock the same
workload makes the reader skip events, which shows the test can fail."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

WRITERS = 8
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("eventstore_writer.py")


def start_writers(database_url, schema, *extra):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KENTRA_LOG_LEVEL": "ERROR"}
    return [
        subprocess.Popen(
            [sys.executable, str(SCRIPT), database_url, schema, str(w), *extra],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        for w in range(WRITERS)
    ]


def tail(store, writers) -> list[tuple[int, str]]:
    """Read like a relay: after the last position seen, until the writers are done and nothing is left."""
    seen, last = [], 0
    while True:
        done = all(w.poll() is not None for w in writers)
        page = store.read_all(last, 100)
        seen += [(e.position, str(e.event_id)) for e in page]
        last = page[-1].position if page else last
        if done and not page:
            return seen
        if not page:
            time.sleep(0.001)


def committed(admin_url, schema) -> set[str]:
    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute(f"SELECT event_id::text FROM {schema}.events")
        ids = {r[0] for r in cur.fetchall()}
    conn.close()
    return ids


@pytest.mark.slow
def test_a_tailing_reader_sees_every_event_once_in_order_despite_late_commits(
    pg_store, settings, admin_url
):
    writers = start_writers(settings.database_url, pg_store.db.schema, "--appends", "300")
    seen = tail(pg_store, writers)

    assert all(w.returncode == 0 for w in writers)
    positions = [p for p, _ in seen]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    ids = [i for _, i in seen]
    assert len(ids) == len(set(ids)) and set(ids) == committed(admin_url, pg_store.db.schema)
    assert len(ids) > 2000
    assert pg_store.last_position() > len(ids)  # rollbacks left holes, and none of them mattered


@pytest.mark.slow
def test_without_the_append_lock_the_same_reader_skips_late_commits(pg_store, settings, admin_url):
    writers = start_writers(
        settings.database_url,
        pg_store.db.schema,
        "--unlocked",
        "--appends",
        "3000",
        "--max-delay",
        "0.02",
        "--seconds",
        "10",
    )
    seen = tail(pg_store, writers)

    missed = committed(admin_url, pg_store.db.schema) - {i for _, i in seen}
    assert missed, "with writers racing unlocked, a tailing reader must miss late commits"
