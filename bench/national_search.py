"""Search by name at national size without the two hours of the whole national load: only the
registry's search rows (`name_keys`) of a million people, their names drawn as the national data
set draws them (bench/national_data.py: 40 given names, 328 family names), then the query timed
beside the one it replaced, on the same keys (national_baselines.search_before).

    python -m bench.national_search [--people 1000000] [--fresh]

Its own schemas in `kentra_national` (prefix `s<people>_`), kept and reused; `--fresh` drops them.
Each name's keys are computed once (a thousand distinct names, not a million): what the loader
spends per person is the registration's own work, timed by `bench.national`."""

from __future__ import annotations

import argparse
import io
import random
import time
import uuid

import psycopg2

from bench import national_baselines
from bench.national import admin_url, national_settings
from bench.national_data import ENDINGS, GIVEN, ROOTS
from bench.national_measure import RUNS, _in, _names_to_search, p50_p99
from services.common.db import drop_platform
from services.registries import bootstrap as registries_bootstrap
from services.registries.adapters.identity_index import IdentityIndex

CHUNK = 50_000  # rows per COPY
ROUNDS = 3


def load(settings, admin: str, people: int) -> None:
    registries_bootstrap.migrate(admin, settings)
    schema = settings.schema("registries")
    conn = psycopg2.connect(admin)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {schema}.name_keys")
            loaded = cur.fetchone()[0]
        if loaded >= people:
            return
        index, keys_of, rng = IdentityIndex(settings.index_key), {}, random.Random(loaded)
        started = time.perf_counter()
        for first in range(loaded, people, CHUNK):
            rows = io.StringIO()
            for _ in range(first, min(people, first + CHUNK)):
                name = (rng.choice(GIVEN), rng.choice(ROOTS) + rng.choice(ENDINGS))
                if name not in keys_of:
                    keys = index.name_keys({"given_name": name[0], "family_name": name[1]})
                    keys_of[name] = "{" + ",".join(map(str, keys)) + "}"
                rows.write(f"{uuid.UUID(int=rng.getrandbits(128), version=4)}\t{keys_of[name]}\n")
            rows.seek(0)
            with conn, conn.cursor() as cur:
                cur.copy_expert(f"COPY {schema}.name_keys FROM STDIN", rows)
            print(f"  {min(people, first + CHUNK):,} search rows", flush=True)
        print(f"loaded in {time.perf_counter() - started:,.0f} s", flush=True)
    finally:
        conn.close()


def measure(settings, admin: str) -> None:
    schema = settings.schema("registries")
    national_baselines.keep_search_rows(admin, schema)
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for table in ("name_keys", "search_rows_before"):
                cur.execute(f"VACUUM ANALYZE {schema}.{table}")
            cur.execute(f"SELECT count(*) FROM {schema}.name_keys")
            people = cur.fetchone()[0]
            cur.execute(f"SELECT count(*) FROM {schema}.search_rows_before")
            rows = cur.fetchone()[0]
    finally:
        conn.close()
    _, db = registries_bootstrap.open_store(settings, max_connections=2)
    index = IdentityIndex(settings.index_key)
    names = _names_to_search(random.Random(7))

    def new(text):
        return index.search_names(db, text)

    def before(text):
        return _in(db, lambda cur: national_baselines.search_before(cur, index, text))

    if not any(new(n) for n in names):
        raise SystemExit(
            "no name found: these search rows were made under another installation's index key"
            " (KENTRA_INDEX_KEY); run again with --fresh"
        )
    print(f"{people:,} people, {rows:,} index rows for the baseline")
    national_baselines.report_search_differences(db, index, names)
    print(
        "| round | new: p50 | p99 | baseline: p50 | p99 | ratio (p99) |\n|---|---|---|---|---|---|"
    )
    for n in range(1, ROUNDS + 1):  # alternated, so that both meet the same machine
        (b50, b99), (n50, n99) = _timed(before, names), _timed(new, names)
        print(
            f"| {n} | {n50:.2f} ms | {n99:.2f} ms | {b50:.2f} ms | {b99:.2f} ms | {b99 / n99:.1f}× |"
        )
    db.close()


def _timed(search, names: list[str]) -> tuple[float, float]:
    timings = []
    for text in names[:RUNS]:
        started = time.perf_counter()
        search(text)
        timings.append((time.perf_counter() - started) * 1000)
    return p50_p99(timings)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop the search rows and load again")
    args = parser.parse_args(argv)
    settings, admin = national_settings(args.people, prefix="s"), admin_url()
    if args.fresh:
        drop_platform(admin, settings.schema_prefix)
    load(settings, admin, args.people)
    measure(settings, admin)


if __name__ == "__main__":
    main()
