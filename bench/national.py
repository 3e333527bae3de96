"""A national-scale data set (240 centres and 60 mobile units; by default 1,000,000 people and about
20,000,000 events) in its own database, then the read side measured at that size: rebuilding the
reporting model and the timeline, a person's timeline, search by name, a record page's reads and
every report query, each with its plan (EXPLAIN ANALYZE, BUFFERS).

    python -m bench.national [--people 1000000 --events 20000000] [--jobs 2] [--load-only]
    python -m bench.national --people 20000 --events 400000        # a quick run

The data set is kept (database `kentra_national`, schema prefix `n<people>_`) and reused: a load
that stopped resumes at its next chunk; `--fresh` drops it first."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from urllib.parse import urlsplit, urlunsplit

from bench.common import ADMIN_URL, AMQP_URI
from bench.national_data import network_sites
from bench.national_load import (
    ChunkLoader,
    forget_chunks,
    load_network,
    loaded_chunks,
    sealed_here,
)
from services.common.config import Settings
from services.common.db import drop_platform, ensure_database
from services.common.migrate import migrate_platform

DATABASE = "kentra_national"  # never the demo's `kentra`
CHUNK = 2000  # people per transaction: about 40,000 events
OTHER_EVENTS = 4.9  # per person, besides contacts and services (bench/national_data.person)


def admin_url() -> str:
    return ensure_database(ADMIN_URL, DATABASE)


def national_settings(people: int, prefix: str = "n") -> Settings:
    """`prefix`: `n` for the whole data set, `s` for bench/national_search.py's search rows."""
    parts = urlsplit(admin_url())
    return Settings.from_env(
        {
            "KENTRA_DATABASE_URL": urlunsplit(parts._replace(netloc=parts.netloc.split("@")[-1])),
            "KENTRA_AMQP_URI": AMQP_URI,
            "KENTRA_SCHEMA_PREFIX": f"{prefix}{people}_",
            **{k: v for k, v in os.environ.items() if k == "KENTRA_SECRETS_DIR"},
        }
    )


def contacts_mean(people: int, events: int) -> float:
    """Contacts per person so that the whole comes to about `events` (a service at one contact in
    four)."""
    return max(1.0, (events / people - OTHER_EVENTS) / 1.25)


_loader: ChunkLoader | None = None


def _start_worker(people: int, events: int) -> None:
    global _loader
    settings = national_settings(people)
    _loader = ChunkLoader(admin_url(), settings, network_sites(), contacts_mean(people, events))


def _load_chunk(job: tuple[int, int, int]) -> int:
    assert _loader is not None
    return _loader.load(*job)


def generate(people: int, events: int, jobs: int, fresh: bool) -> Settings:
    settings, admin = national_settings(people), admin_url()  # one look for the database
    if not fresh and loaded_chunks(admin, settings.schema_prefix):
        if not sealed_here(admin, settings):
            raise SystemExit(
                f"data set {settings.schema_prefix} in {DATABASE} was sealed under another"
                " installation's key (var/secrets/): run again with --fresh to load it anew"
            )
    if fresh:
        drop_platform(admin, settings.schema_prefix)
        forget_chunks(admin, settings.schema_prefix)
    migrate_platform(admin, settings)
    load_network(settings, network_sites())
    done = loaded_chunks(admin, settings.schema_prefix)
    todo = [
        (chunk, first, min(CHUNK, people - first))
        for chunk, first in enumerate(range(0, people, CHUNK))
        if chunk not in done
    ]
    if not todo:
        print(
            f"data set {settings.schema_prefix}: {sum(done.values()):,} events, reused", flush=True
        )
        return settings
    print(
        f"loading {len(todo)} chunks of {CHUNK:,} people ({len(done)} already loaded),"
        f" {jobs} processes ...",
        flush=True,
    )
    started, loaded = time.perf_counter(), 0
    with multiprocessing.get_context("spawn").Pool(jobs, _start_worker, (people, events)) as pool:
        for n, count in enumerate(pool.imap_unordered(_load_chunk, todo), 1):
            loaded += count
            if n % 10 == 0 or n == len(todo):
                rate = loaded / (time.perf_counter() - started)
                print(
                    f"  {n}/{len(todo)} chunks, {loaded:,} events, {rate:,.0f} ev/s,"
                    f" about {(len(todo) - n) * (loaded / n) / rate / 60:.0f} min to go",
                    flush=True,
                )
    print(f"loaded {loaded:,} events in {time.perf_counter() - started:,.0f} s", flush=True)
    return settings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="drop the data set and load it again")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument(
        "--measure-only", action="store_true", help="measure what is loaded (a load cut short)"
    )
    parser.add_argument(
        "--reads-only", action="store_true", help="with --measure-only: the models are rebuilt"
    )
    parser.add_argument(
        "--models",
        default="reporting,timeline",
        help="the read models to rebuild, and whose queries to time",
    )
    args = parser.parse_args(argv)
    if args.measure_only:
        settings = national_settings(args.people)
        migrate_platform(admin_url(), settings)  # the read models' newer migrations
    else:
        settings = generate(args.people, args.events, args.jobs, args.fresh)
    if not args.load_only:
        from bench import national_measure

        national_measure.measure(
            settings, admin_url(), args.models.split(","), rebuilt=args.reads_only
        )


if __name__ == "__main__":
    main()
