"""Rebuilding a read model from the store: events/s for a million events (10% with sealed
personal fields, decrypted on the way as every real read is), through the consumer's catch-up."""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import date, timedelta

from bench.common import contact_payload, report, scratch
from services.common.consumer import Consumer
from services.common.consumer.setup import open_read_model, personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.intake import bootstrap as intake_bootstrap
from services.reporting import bootstrap as reporting_bootstrap
from services.reporting.adapters import queries, release_tables
from services.reporting.adapters.projections.daily_activity import activity
from services.reporting.adapters.projections.model import ReportingModel
from services.reporting.domain.periods import containing

META = Metadata("sw-1", "MU-KALAMATA")


def fill(store, events: int, per_append: int = 1000) -> float:
    started = time.perf_counter()
    for b in range(events // per_append):
        subject = uuid.uuid4()
        sealed = b % 10 == 0
        batch = [
            NewEvent(
                "ContactRecorded",
                contact_payload(i),
                2,
                personal={"notes": "Ενημέρωση για το Ελάχιστο Εγγυημένο Εισόδημα"}
                if sealed
                else None,
                subject_id=subject if sealed else None,
            )
            for i in range(per_append)
        ]
        store.append(f"case-{subject}", NO_STREAM, batch, META)
    return events / (time.perf_counter() - started)


def report_query_latencies(read_db, events: int, runs: int = 200) -> None:
    """The main report queries at this size: p50 and p99 over `runs` calls each."""
    today = date.today()
    queries_to_time = {
        "daily register of a site, one week": lambda cur: queries.daily_register(
            cur, "MU-KALAMATA", (today - timedelta(days=6)).isoformat(), today.isoformat()
        ),
        "caseload of a site": lambda cur: queries.caseload(cur, "MU-KALAMATA"),
        "a month's release tables (before the disclosure audit)": lambda cur: (
            release_tables.regional(cur, containing(today, "month"))
        ),
        "targets": lambda cur: queries.targets(cur, today),
    }
    for name, run in queries_to_time.items():
        timings = []
        for _ in range(runs):
            with read_db.transaction() as cur:
                started = time.perf_counter()
                run(cur)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p50, p99 = statistics.median(timings), timings[int(len(timings) * 0.99) - 1]
        print(
            f"query '{name}' at {events:,} events: p50 {p50:.2f} ms, p99 {p99:.2f} ms", flush=True
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    events = 20_000 if args.quick else args.events
    with scratch("replay") as settings:
        store, db = intake_bootstrap.open_store(settings, max_connections=2)
        print(f"filling the store with {events:,} events ...", flush=True)
        print(f"  (batched append while filling: {fill(store, events):,.0f} ev/s)", flush=True)
        projection = ReportingModel(reporting_bootstrap.pseudonyms(settings))
        projection.sources = ("intake",)
        read_db = open_read_model(settings, settings.schema("reporting"), projection)
        consumer = Consumer(
            projection,
            read_db,
            StoreEventSource({"intake": store}),
            page_size=5000,
            opener=personal_opener(settings, projection),
        )
        seconds = []
        for _ in range(args.repeats if not args.quick else 1):
            started = time.perf_counter()
            assert consumer.rebuild() == events
            seconds.append(time.perf_counter() - started)
        with read_db.transaction() as cur:
            assert sum(a["events"] for a in activity(cur)) == events
        report(
            f"rebuild from the store ({events:,} events)",
            events / statistics.median(seconds),
            "ev/s",
            target=20_000,
        )
        report_query_latencies(read_db, events)
        read_db.close()
        db.close()


if __name__ == "__main__":
    main()
