"""Appending: batched events/s against raw batched INSERT of the same rows, and the latency of a
one-event command against a raw single-row INSERT and commit."""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime

import psycopg2.extras

from bench.common import (
    bench_admin_url,
    contact_payload,
    median_rate,
    payload_json,
    report,
    scratch,
    timed,
)
from services.common.db import Database
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.intake import bootstrap as intake_bootstrap

META = Metadata("sw-1", "MU-KALAMATA")

# the baseline: the same rows into a plain table of the events table's own shape (columns, keys,
# indexes), without triggers, locks, hashing, sealing or notification
RAW_TABLE = "CREATE TABLE raw_events (LIKE events INCLUDING ALL)"


def raw_batches(db, batches: int, size: int) -> None:
    for _ in range(batches):
        stream = f"case-{uuid.uuid4()}"
        rows = [
            (
                stream,
                "case",
                v + 1,
                uuid.uuid4(),
                "ContactRecorded",
                2,
                payload_json(v),
                None,
                None,
                '{"actor":"sw-1","site":"MU-KALAMATA"}',
                datetime.now(UTC),
                "0" * 64,
            )
            for v in range(size)
        ]
        with db.transaction() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO raw_events (stream, category, version, event_id, type, schema_version, data,"
                " personal, subject_id, metadata, recorded_at, hash) VALUES %s",
                rows,
                page_size=size,
            )


def raw_single_statement(db, i: int) -> None:
    """The floor of a one-event write: one INSERT that is its own transaction, one round trip
    (the store's append is one too; BEGIN and COMMIT make the baseline above three)."""
    with db.statement() as cur:
        cur.execute(
            "INSERT INTO raw_events (stream, category, version, event_id, type, schema_version,"
            " data, metadata, recorded_at, hash) VALUES (%s, 'case', 1, %s, 'ContactRecorded', 2,"
            ' %s, \'{"actor":"sw-1","site":"MU-KALAMATA"}\', %s, %s)',
            (f"case-{uuid.uuid4()}", uuid.uuid4(), payload_json(i), datetime.now(UTC), "0" * 64),
        )


def store_batches(store, batches: int, size: int, personal: bool = False) -> None:
    for _ in range(batches):
        subject = uuid.uuid4()
        events = [
            NewEvent(
                "ContactRecorded",
                contact_payload(v),
                2,
                personal={"notes": "Συζήτηση για το ΚΕΑ"} if personal else None,
                subject_id=subject if personal else None,
            )
            for v in range(size)
        ]
        store.append(f"case-{subject}", NO_STREAM, events, META)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    events, size, repeats = (5_000, 500, 3) if args.quick else (50_000, 500, 3)
    batches = events // size
    with scratch("append") as settings:
        store, service_db = intake_bootstrap.open_store(settings, max_connections=2)
        db = Database(
            bench_admin_url(), settings.schema("intake"), 2
        )  # the administrator: may create tables
        with db.transaction() as cur:
            cur.execute(RAW_TABLE)
        raw = [timed(lambda: raw_batches(db, batches, size)) for _ in range(repeats)]
        ours = [timed(lambda: store_batches(store, batches, size)) for _ in range(repeats)]
        sealed = [
            timed(lambda: store_batches(store, batches, size, personal=True))
            for _ in range(repeats)
        ]
        raw_rate = median_rate(events, raw)
        report(
            f"batched append ({size}/append)",
            median_rate(events, ours),
            "ev/s",
            raw_rate,
            "raw INSERT",
            0.7,
        )
        report(
            "batched append, personal fields sealed",
            median_rate(events, sealed),
            "ev/s",
            raw_rate,
            "raw INSERT",
        )

        n = 300 if args.quick else 2000
        ours_ms, raw_ms, floor_ms = [], [], []
        for i in range(n):
            started = time.perf_counter()
            store.append(
                f"case-{uuid.uuid4()}",
                NO_STREAM,
                [NewEvent("ContactRecorded", contact_payload(i), 2)],
                Metadata(META.actor, META.site, command_id=str(uuid.uuid4())),  # as a command's
            )
            ours_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            raw_batches(db, 1, 1)
            raw_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            raw_single_statement(db, i)
            floor_ms.append((time.perf_counter() - started) * 1000)
        for name, ms in (
            ("single-command append", ours_ms),
            ("raw single INSERT + commit", raw_ms),
            ("raw single INSERT, autocommitted (one round trip)", floor_ms),
        ):
            q = statistics.quantiles(ms, n=100)
            print(f"{name}: p50 {statistics.median(ms):.2f} ms, p99 {q[98]:.2f} ms", flush=True)
        report(
            "single-command append p50",
            1000 / statistics.median(ours_ms),
            "appends/s",
            1000 / statistics.median(raw_ms),
            "raw INSERT+commit",
            0.8,
        )
        report(
            "single-command append p50, against the one-round-trip floor",
            1000 / statistics.median(ours_ms),
            "appends/s",
            1000 / statistics.median(floor_ms),
            "raw autocommitted INSERT",
        )
        db.close()
        service_db.close()


if __name__ == "__main__":
    main()
