"""The read side at national size (bench/national.py): rebuilds in events/s with the RSS of the
process doing them, and the p50/p99 of every query a person's page, a search or a report makes,
each printed once with its plan (EXPLAIN (ANALYZE, BUFFERS))."""

from __future__ import annotations

import multiprocessing
import random
import resource
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import psycopg2

from bench import national_baselines
from bench.national_data import network_sites
from contracts.names import CONTACT_RECORDED
from services.common.config import Settings
from services.common.consumer import Consumer, SourceEvent
from services.common.consumer.setup import open_read_model, personal_opener
from services.common.consumer.sources import StoreEventSource
from services.intake import bootstrap as intake_bootstrap
from services.intake.adapters.case_access import CaseAccess
from services.intake.application.cases import Cases
from services.portal_gateway import bootstrap as gateway_bootstrap
from services.portal_gateway.adapters import timeline
from services.referrals import bootstrap as referrals_bootstrap
from services.referrals.adapters.referral_view import ReferralView
from services.registries import bootstrap as registries_bootstrap
from services.registries.adapters import search as registry_search
from services.registries.adapters.identity_index import IdentityIndex
from services.reporting import bootstrap as reporting_bootstrap
from services.reporting.adapters import queries, release_tables
from services.reporting.adapters.projections.model import ReportingModel
from services.reporting.domain.periods import containing

RUNS = 200
BOOTSTRAPS = {
    "registries": registries_bootstrap,
    "intake": intake_bootstrap,
    "referrals": referrals_bootstrap,
}
ROWS: list[dict] = []  # the table printed at the end
PAGE = 5000  # events a rebuild reads and applies per transaction


def measure(settings: Settings, admin_url: str, models: list[str], rebuilt: bool = False) -> None:
    """`rebuilt`: the models were rebuilt by an earlier run (an hour at full size): reads only."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:  # a fresh process per rebuild: its RSS is the rebuild's own
        if "reporting" in models and not rebuilt:
            events, seconds = pool.apply(read_sources, (settings,))
            floor = events / seconds
            print(f"reading and opening the reporting model's sources: {floor:,.0f} ev/s")
            _row(
                "baseline: reading and opening the reporting model's sources, nothing applied",
                f"{floor:,.0f} ev/s",
                f"{seconds:,.0f} s",
                "(the rebuild's ceiling)",
                True,
            )
        for name in [] if rebuilt else models:
            target = 50_000
            events, seconds, rss_mb = pool.apply(rebuild, (settings, name))
            rate = events / seconds
            # printed now too: an hour's rebuild must not be lost with a later step
            print(
                f"rebuild of {name}: {events:,} events, {rate:,.0f} ev/s, RSS {rss_mb:,.0f} MB"
                + (f" ({rate / floor:.2f}× reading alone)" if name == "reporting" else ""),
                flush=True,
            )
            _row(
                f"rebuild of the {name} model ({events:,} events)",
                f"{rate:,.0f} ev/s",
                f"{seconds:,.0f} s",
                f">= {target:,} ev/s",
                rate >= target,
            )
            _row(
                f"RSS of the process rebuilding {name}",
                f"{rss_mb:,.0f} MB",
                "",
                "< 300 MB",
                rss_mb < 300,
            )
    national_baselines.keep_search_rows(admin_url, settings.schema("registries"))
    analyze(admin_url)
    Reads(settings).run(reports="reporting" in models)
    print("\n| measure | p50 / figure | p99 | target | met |\n|---|---|---|---|---|")
    for r in ROWS:
        print(f"| {r['name']} | {r['p50']} | {r['p99']} | {r['target']} | {r['met']} |")


def rebuild(settings: Settings, name: str) -> tuple[int, float, float]:
    stores = _open_stores(settings)
    if name == "reporting":
        projection = ReportingModel(reporting_bootstrap.pseudonyms(settings))
        schema = settings.schema("reporting")
    else:
        projection = gateway_bootstrap.timeline(settings)
        schema = settings.schema(gateway_bootstrap.TIMELINE)
    read_db = open_read_model(settings, schema, projection, 2)
    consumer = Consumer(
        projection,
        read_db,
        StoreEventSource(stores),
        page_size=PAGE,
        opener=personal_opener(settings, projection),
    )
    started = time.perf_counter()
    events = consumer.rebuild()
    seconds = time.perf_counter() - started
    return events, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_sources(settings: Settings) -> tuple[int, float]:
    """What a rebuild of the reporting model does before its projection: every source read in
    pages through the store's API, turned into the events a consumer gets, and the sealed fields
    opened under each person's key. No projection can rebuild faster than this."""
    stores = _open_stores(settings)
    projection = ReportingModel(reporting_bootstrap.pseudonyms(settings))
    read_db = open_read_model(settings, settings.schema("reporting"), projection, 2)
    opener, source = personal_opener(settings, projection), StoreEventSource(stores)
    started, events = time.perf_counter(), 0
    for name in projection.sources:
        position = 0
        while page := source.read_all(name, position, PAGE):
            position, events = page[-1]["position"], events + len(page)
            with read_db.transaction() as cur:
                opener.open(cur, [SourceEvent.from_envelope(e) for e in page])
    return events, time.perf_counter() - started


def analyze(admin_url: str) -> None:
    """What autovacuum does soon after a load or a rebuild (the read models' roles own no table to
    vacuum): settled statistics, and a visibility map, without which an index-only scan (the
    registry's search) still reads the table (searches at 388,000 people: p50 82 ms before, 17 ms
    after)."""
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE of the database: {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        conn.close()


class Reads:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.stores = {s: BOOTSTRAPS[s].open_store(settings, max_connections=2) for s in BOOTSTRAPS}
        self.timeline_db = gateway_bootstrap.open_timeline(settings, 2)
        reporting = ReportingModel(reporting_bootstrap.pseudonyms(settings))
        self.reporting_db = open_read_model(settings, settings.schema("reporting"), reporting, 2)
        self.pseudonyms = reporting.pseudonyms
        self.rng = random.Random(7)
        self.people = self._people()

    def _people(self) -> list[str]:
        """People spread over the whole register: 1 % of its pages at national size; a small
        data set's 1 % can be no page at all (the suite's smoke test failed so, now and then), so
        then all of them. From the registry's store: the timeline may not be rebuilt."""
        db = self.stores["registries"][1]
        with db.transaction() as cur:
            found: list[str] = []
            for sample in ("TABLESAMPLE SYSTEM (1)", ""):
                cur.execute(
                    f"SELECT DISTINCT subject_id::text FROM events {sample}"
                    " WHERE category = 'beneficiary' AND subject_id IS NOT NULL LIMIT 2000"
                )
                found = [r[0] for r in cur.fetchall()]
                if len(found) >= RUNS:
                    break
        return self.rng.sample(found, min(RUNS, len(found)))

    def run(self, reports: bool = True) -> None:
        tl, registries_db = self.timeline_db, self.stores["registries"][1]
        referrals_db = self.stores["referrals"][1]
        cases = Cases(self.stores["intake"][0])
        intake_db = self.stores["intake"][1]
        registry = self.stores["registries"][0]
        names = _names_to_search(self.rng)
        sites = network_sites()
        centre = sites[0]
        today = date(2026, 11, 27)
        self._time("timeline of one person", 30, lambda db, p: timeline.path(db, [p]), tl)
        self._time(
            "search by name (registry's index, survivors)",
            50,
            lambda db, p: registry_search.search(
                db, self.settings.index_key, names[self.people.index(p)]
            ),
            registries_db,
        )
        index = IdentityIndex(self.settings.index_key)
        national_baselines.report_search_differences(registries_db, index, names)
        self._time(
            "baseline, every row of each typed word grouped: search by name (the index only)",
            50,
            lambda db, p: _in(
                db,
                lambda cur: national_baselines.search_before(
                    cur, index, names[self.people.index(p)]
                ),
            ),
            registries_db,
            explain=False,
        )
        self._time(
            "search by name: the index only (the baseline's part)",
            50,
            lambda db, p: index.search_names(db, names[self.people.index(p)]),
            registries_db,
            explain=False,
        )
        self._time(
            "record page: registration (stream, opened)",
            100,
            lambda db, p: registry.read_stream(f"beneficiary-{p}"),
            registries_db,
            explain=False,
        )
        self._time(
            "record page: case summary (stream replayed)",
            100,
            lambda db, p: cases.summary(p),
            None,
            explain=False,
        )
        self._time(
            "record page: access facts of the case",
            100,
            lambda db, p: CaseAccess.facts(db, [[p]], today),
            intake_db,
        )
        self._time(
            "record page: referrals of the person",
            100,
            lambda db, p: ReferralView.of_beneficiary(db, [p]),
            referrals_db,
        )
        self._time(
            "record page: all of the above and the timeline",
            100,
            lambda db, p: (
                registry.read_stream(f"beneficiary-{p}"),
                cases.summary(p),
                CaseAccess.facts(intake_db, [[p]], today),
                ReferralView.of_beneficiary(referrals_db, [p]),
                timeline.path(tl, [p]),
            ),
            None,
            explain=False,
        )
        month = containing(date(2026, 10, 15), "month")
        year = containing(date(2025, 6, 15), "year")
        reporting: dict[str, Callable] = {
            "daily register of a centre, one week": lambda cur: queries.daily_register(
                cur, centre.code, (today - timedelta(days=6)).isoformat(), today.isoformat()
            ),
            "daily register, the whole region, one month": lambda cur: queries.daily_register(
                cur, None, "2026-10-01", "2026-10-31"
            ),
            "caseload of a centre": lambda cur: queries.caseload(cur, centre.code),
            "caseload of every site": lambda cur: queries.caseload(cur),
            "operations": lambda cur: queries.operations(cur),
            "targets": lambda cur: queries.targets(cur, today),
            "held about a person (data protection)": lambda cur: queries.held_about(
                cur, [self.people[0]], self.pseudonyms
            ),
            "regional release tables of a month (the overview's source)": lambda cur: (
                release_tables.regional(cur, month)
            ),
            "ESF+ tables of a year": lambda cur: release_tables.esf_year(cur, year),
        }
        for name, run in (reporting if reports else {}).items():
            self._time(
                f"report: {name}", 300, lambda db, p, run=run: _in(db, run), self.reporting_db
            )
        # the same rows read as before the model kept totals: the baseline of this run
        before: dict[str, Callable] = {
            "caseload of every site": national_baselines.caseload_of_every_site,
            "targets": national_baselines.targets,
            "a month's register for the release": lambda cur: (
                national_baselines.register_of_a_period(cur, month)
            ),
            "every referral, for the release": national_baselines.every_referral,
            "ESF+ indicators of a year": lambda cur: national_baselines.esf_year(
                cur, year.start.year
            ),
        }
        for name, run in (before if reports else {}).items():
            self._time(
                f"baseline, every row grouped: {name}",
                300,
                lambda db, p, run=run: _in(db, run),
                self.reporting_db,
                explain=False,
            )
        self._time(
            "report: referral response times",
            300,
            lambda db, p: ReferralView.response_times(db),
            referrals_db,
        )
        self._time(
            "report: overdue referrals",
            300,
            lambda db, p: ReferralView.overdue(db, today),
            referrals_db,
        )
        served = list(sites[-1].serves)
        self._time(
            "people met in a mobile unit's municipalities (a trip's download)",
            300,
            lambda db, p: timeline.met_in(db, served, 500),
            tl,
        )
        self._time(
            "steps due at a centre (a worker's home)",
            300,
            lambda db, p: timeline.steps_due(db, [centre.code], today.isoformat()),
            tl,
        )
        self._time(
            "a worker's contacts today (home page)",
            300,
            lambda db, p: timeline.recent(
                db, CONTACT_RECORDED, datetime(2026, 11, 27), centre.staff[0]
            ),
            tl,
        )

    def _time(self, name: str, target_ms: float, run, db, explain: bool = True) -> None:
        if explain and db is not None:
            recorder = Recording(db)
            run(recorder, self.people[0])
            _explain(name, db, recorder.statements)
        timings = []
        for p in (self.people * (RUNS // max(1, len(self.people)) + 1))[:RUNS]:
            started = time.perf_counter()
            run(db, p)
            timings.append((time.perf_counter() - started) * 1000)
        p50, p99 = p50_p99(timings)
        print(
            f"{name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 < {target_ms} ms)", flush=True
        )
        _row(name, f"{p50:.2f} ms", f"{p99:.2f} ms", f"p99 < {target_ms} ms", p99 < target_ms)


def p50_p99(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def _open_stores(settings: Settings) -> dict:
    return {s: BOOTSTRAPS[s].open_store(settings, max_connections=2)[0] for s in BOOTSTRAPS}


def _in(db, run):
    with db.transaction() as cur:
        return run(cur)


def _row(name: str, p50: str, p99: str, target: str, met: bool) -> None:
    ROWS.append(
        {"name": name, "p50": p50, "p99": p99, "target": target, "met": "met" if met else "MISSED"}
    )


def _names_to_search(rng: random.Random) -> list[str]:
    """What a worker types: a family name's beginning and a given name, or a whole family name."""
    from bench.national_data import ENDINGS, GIVEN, ROOTS

    typed = []
    for n in range(RUNS):
        family = rng.choice(ROOTS) + rng.choice(ENDINGS)
        typed.append(f"{family[:5]} {rng.choice(GIVEN)}" if n % 2 else family)
    return typed


class _RecordingCursor:
    def __init__(self, cur, statements: list):
        self._cur, self._statements = cur, statements

    def execute(self, sql, args=None):
        self._statements.append(self._cur.mogrify(sql, args))
        return self._cur.execute(sql, args)

    def __getattr__(self, name):
        return getattr(self._cur, name)


class Recording:
    """A Database whose cursors keep every statement they run, to be explained afterwards."""

    def __init__(self, db):
        self.db, self.statements = db, []
        self.schema = db.schema

    @contextmanager
    def transaction(self):
        with self.db.transaction() as cur:
            yield _RecordingCursor(cur, self.statements)

    @contextmanager
    def statement(self):
        with self.db.statement() as cur:
            yield _RecordingCursor(cur, self.statements)


def _explain(name: str, db, statements: list[bytes]) -> None:
    print(f"\n-- {name}", flush=True)
    with db.transaction() as cur:
        for sql in statements:
            if not sql.lstrip().upper().startswith((b"SELECT", b"WITH")):
                continue
            cur.execute(b"EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(r[0] for r in cur.fetchall()), flush=True)
