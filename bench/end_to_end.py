"""`python -m bench.end_to_end`: the running platform (`scripts/up`) under an open-loop load of
contacts recorded over HTTP, at fixed rates.

Open loop: command i is due at start + i/rate whether or not earlier ones were answered, and its
latency counts from when it was due, so a platform that falls behind shows it (a closed loop
would slow down with it and hide the queue). Each contact goes to a person with nothing in flight
(people registered by the run itself, so their case versions are known), as a case worker of the
Kalamata centre.

For every rate it prints: accepted commands per second, command latency (due → answered),
visibility (due → in the gateway's timeline read model, polled every 2 ms from PostgreSQL) and
visibility after acknowledgement (answered → in the timeline), p50/p99, and CPU per command per
process: every process of deploy/Procfile, PostgreSQL's and RabbitMQ's, read from /proc before
and after the step, less what each burns idle (measured first, for 10 s). The baseline, in the
same run and at the same rate, is `GET /health/live`: the HTTP path alone through the same
gateway, the floor any command pays (what `GET /health` was until it became readiness and began
asking the database and the broker). Last, the highest rate whose p99 visibility stays under
250 ms with (nearly) every command accepted.

Keep the machine otherwise quiet: the figures are CPU and latency on shared cores."""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import queue
import statistics
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import psycopg2

from bench.common import report

CASE_WORKER = ("kalamata.social1", "kentra-demo")
SITE, MUNICIPALITY = "KK-KALAMATA", "9254"
VISIBLE_P99_MS = 250.0  # the bar for a sustainable rate
POLL_SECONDS = 0.002
COMMANDS = itertools.count()  # command ids unique across the steps of a run
FIRST_CONTACTS = False  # --first-contacts: every measured contact is its person's first
TICK = os.sysconf("SC_CLK_TCK")

PLATFORM_DATABASES: set[str] = set()  # the --database one
# the bench's own backend, polling the timeline ~3 times per contact: its CPU is the bench's
# (counted in the platform's, it added about 0.5 ms to every contact at 100/s)
OWN_BACKENDS: set[str] = set()
# which process is which, by a piece of its command line (deploy/Procfile) or its name
PROCESSES = (
    ("portal_gateway", "PortalGateway"),
    ("timeline-consumer", "timeline_consumer"),
    ("registries-relay", "relay registries"),
    ("intake-relay", "relay intake"),
    ("referrals-relay", "relay referrals"),
    ("registries", "RegistriesService"),
    ("intake", "IntakeService"),
    ("referrals-reactions", "reactions_consumer"),
    ("referrals", "ReferralsService"),
    ("reporting-consumer", "reporting.entrypoints.consumer"),
    ("reporting", "ReportingService"),
)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- CPU, per process, from /proc ------------------------------------------------------------
def process_group(pid: str) -> str | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().strip()
    except OSError:
        return None
    if pid in OWN_BACKENDS:
        return None
    if comm == "postgres" or cmdline.startswith("postgres:"):
        # a backend names its database: only the platform's count (tests may run beside);
        # the server's own processes (WAL writer, checkpointer) name none and serve it too
        backend = cmdline.split(":", 2)[-1].split()
        return "postgresql" if len(backend) < 2 or backend[1] in PLATFORM_DATABASES else None
    if comm in ("beam.smp", "erl_child_setup", "epmd", "inet_gethost") or "rabbitmq" in cmdline:
        return "rabbitmq"
    if "bench.end_to_end" in cmdline:
        return None
    for name, marker in PROCESSES:
        if marker in cmdline:
            return name
    return None


def cpu_ticks() -> dict[str, dict[str, int]]:
    """group -> pid -> user+system ticks so far."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        group = process_group(pid)
        if group is None:
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields_ = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[group][pid] = int(fields_[11]) + int(fields_[12])  # utime, stime
    return found


def rss_mb() -> dict[str, float]:
    """The largest resident set among each group's processes now, in MB (the issue's bar is
    per service: every process under 300 MB)."""
    found: dict[str, float] = {}
    for group, pids in cpu_ticks().items():
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status") as f:
                    kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            except (OSError, StopIteration):
                continue
            found[group] = max(found.get(group, 0.0), kb / 1024)
    return found


def cpu_spent(before: dict, after: dict) -> dict[str, float]:
    """Seconds of CPU per group between two readings (a process born meanwhile counts whole)."""
    return {
        group: sum(t - before.get(group, {}).get(pid, 0) for pid, t in pids.items()) / TICK
        for group, pids in after.items()
    }


# -- HTTP ------------------------------------------------------------------------------------
class Client:
    """One keep-alive connection, as a browser or a municipal system holds one."""

    def __init__(self, base: str, token: str | None = None):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", "Accept-Language": "el"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):  # a keep-alive connection the server closed: once more, new
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        return response.status, (json.loads(raw) if raw else {})


def login(base: str) -> str:
    status, answer = Client(base).call(
        "POST", "/api/v1/auth/token", {"username": CASE_WORKER[0], "password": CASE_WORKER[1]}
    )
    if status != 200:
        raise SystemExit(f"cannot log in as {CASE_WORKER[0]} ({status}): is scripts/up running?")
    return answer["token"]


def register_people(base: str, token: str, count: int, run: str) -> list[tuple[str, int]]:
    """The run's own people, each registered and met once at the centre: the load is then a
    centre's daily work, contacts on cases it has met (a person's first contact also asks every
    service's access facts; `--first-contacts` measures those instead). Their case versions are
    known, so every contact says its expected version without a read first."""
    people: list[tuple[str, int]] = []
    lock = threading.Lock()
    numbers = iter(range(count))

    def work():
        client = Client(base, token)
        for n in numbers:
            status, answer = client.call(
                "POST",
                "/api/v1/beneficiaries",
                {
                    "command_id": f"bench-{run}-{n}",
                    "site": SITE,
                    "municipality_code": MUNICIPALITY,
                    "given_name": "Δοκιμή",
                    "family_name": f"Φόρτου {run} {n}",
                },
            )
            if status >= 300:
                raise SystemExit(f"registration refused ({status}): {answer}")
            person, version = answer["beneficiary_id"], 0
            if not FIRST_CONTACTS:
                path, body = contact(person, 0, next(COMMANDS), run)
                status, answer = client.call("POST", path, body)
                if status >= 300:
                    raise SystemExit(f"first contact refused ({status}): {answer}")
                version = answer["version"]
            with lock:
                people.append((person, version))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return people


# -- the load --------------------------------------------------------------------------------
@dataclass
class Step:
    rate: float
    seconds: float
    sent: int = 0
    answered: list[tuple[float, float, int, str, int]] = field(default_factory=list)
    # (due, answered at, status, stream, version)
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class People:
    """Hands out a person with no command in flight, and their next expected version."""

    def __init__(self, people: list[tuple[str, int]]):
        self.free: queue.SimpleQueue = queue.SimpleQueue()
        for person in people:
            self.free.put(person)

    def take(self):
        return self.free.get()

    def give_back(self, person: str, version: int) -> None:
        self.free.put((person, version))


class Timeline:
    """When each case version reached the timeline read model (polled as the platform's admin)."""

    def __init__(self, database_url: str):
        self.conn = psycopg2.connect(database_url)
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT coalesce(max(position), 0) FROM timeline.timeline WHERE source = 'intake'"
            )
            self.after = (cur.fetchone() or (0,))[0]
            cur.execute("SELECT pg_backend_pid()")
            OWN_BACKENDS.add(str((cur.fetchone() or (0,))[0]))
        self.seen: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        with self.conn.cursor() as cur:
            while not self.stop.is_set():
                cur.execute(
                    "SELECT position, stream, version FROM timeline.timeline"
                    " WHERE source = 'intake' AND position > %s ORDER BY position",
                    (self.after,),
                )
                now = time.monotonic()
                for position, stream, version in cur.fetchall():
                    self.seen.setdefault((stream, version), now)
                    self.after = max(self.after, position)
                time.sleep(POLL_SECONDS)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.conn.close()


def contact(person: str, version: int, n: int, run: str) -> tuple[str, dict]:
    return (
        f"/api/v1/beneficiaries/{person}/contacts",
        {
            "command_id": f"bench-{run}-c{n}",
            "expected_version": version,
            "occurred_on": date.today().isoformat(),
            "channel": "centre",
            "site": SITE,
            "municipality_code": MUNICIPALITY,
            "staff_id": CASE_WORKER[0],
        },
    )


def run_step(base, token, step: Step, people: People | None, run: str, workers: int) -> None:
    """Send at step.rate for step.seconds (people None: GET /health/live, the baseline)."""
    started = time.monotonic() + 0.2
    total = int(step.rate * step.seconds)
    due_times: queue.SimpleQueue = queue.SimpleQueue()
    for i in range(total):
        due_times.put((i, started + i / step.rate))
    lock = threading.Lock()

    def work():
        client = Client(base, token)
        while True:
            try:
                i, due = due_times.get_nowait()
            except queue.Empty:
                return
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                if people is None:
                    status, answer = client.call("GET", "/health/live")
                    stream, version = "", 0
                else:
                    person, expected = people.take()
                    path, body = contact(person, expected, next(COMMANDS), run)
                    status, answer = client.call("POST", path, body)
                    stream, version = answer.get("stream", ""), answer.get("version") or 0
                    people.give_back(person, version if status < 300 else expected)
            except Exception as exc:  # a refused connection is a result, not a crash of the bench
                with lock:
                    step.errors[type(exc).__name__] += 1
                continue
            done = time.monotonic()
            with lock:
                step.answered.append((due, done, status, stream, version))
                if status >= 300:
                    step.errors[str(status)] += 1

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    step.sent = total


@dataclass
class Figures:
    rate: float
    accepted: float
    command_p50: float
    command_p99: float
    visible_p50: float
    visible_p99: float
    after_ack_p50: float
    after_ack_p99: float
    cpu_ms: float
    cpu_by_process: dict[str, float]
    errors: dict[str, int]


def figures(step: Step, seen: dict, spent: dict[str, float]) -> Figures:
    ok = [a for a in step.answered if a[2] < 300]
    # answered per second over the time it took to answer them all: a platform that falls
    # behind answers a step's commands long after the step (its latency says by how much)
    span = max((done for _, done, *_ in ok), default=0) - min((due for due, *_ in ok), default=0)
    accepted = len(ok) / max(step.seconds, span)
    command = [1000 * (done - due) for due, done, *_ in ok]
    visible, after_ack = [], []
    missing = 0
    for due, done, _, stream, version in ok:
        at = seen.get((stream, version))
        if at is None:
            missing += 1
            continue
        visible.append(1000 * (at - due))
        after_ack.append(1000 * (at - done))
    errors = dict(step.errors)
    if missing and any(stream for _, _, _, stream, _ in ok):  # contacts, not the baseline
        errors["not in the timeline"] = missing
    count = max(1, len(ok))
    return Figures(
        step.rate,
        accepted,
        statistics.median(command) if command else float("nan"),
        percentile(command, 0.99),
        statistics.median(visible) if visible else float("nan"),
        percentile(visible, 0.99),
        statistics.median(after_ack) if after_ack else float("nan"),
        percentile(after_ack, 0.99),
        1000 * sum(spent.values()) / count,
        {g: 1000 * s / count for g, s in sorted(spent.items(), key=lambda kv: -kv[1])},
        errors,
    )


IDLE: dict[str, float] = {}  # CPU seconds per second each group spends with no load at all


def analyze(database_url: str) -> None:
    """Statistics, as autovacuum keeps them in production: this machine's PostgreSQL runs with
    autovacuum off, and a plan made without statistics is not what a deployment runs."""
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    conn.close()


def measure_idle(seconds: float = 10.0) -> None:
    """What the platform burns doing nothing (timers, heartbeats, Prometheus's scrapes, the
    broker's own housekeeping): taken off every step's CPU, so a figure is the load's."""
    before, started = cpu_ticks(), time.monotonic()
    time.sleep(seconds)
    spent = cpu_spent(before, cpu_ticks())
    IDLE.update({g: s / (time.monotonic() - started) for g, s in spent.items()})
    print(
        "idle CPU, % of a core: "
        + ", ".join(f"{g} {100 * r:.1f}" for g, r in sorted(IDLE.items(), key=lambda kv: -kv[1])),
        flush=True,
    )


def measure(base, token, rate, seconds, people, run, workers, database_url) -> Figures:
    timeline = Timeline(database_url) if people is not None else None
    before, started = cpu_ticks(), time.monotonic()
    step = Step(rate, seconds)
    run_step(base, token, step, people, run, workers)
    if timeline is not None:
        drain_until = time.monotonic() + 5  # the last ones' visibility
        while time.monotonic() < drain_until and len(timeline.seen) < len(step.answered):
            time.sleep(0.05)
    after, elapsed = cpu_ticks(), time.monotonic() - started
    if timeline is not None:
        timeline.close()
    spent = {
        g: max(0.0, s - IDLE.get(g, 0.0) * elapsed) for g, s in cpu_spent(before, after).items()
    }
    return figures(step, timeline.seen if timeline else {}, spent)


def show(kind: str, f: Figures) -> None:
    top = ", ".join(f"{g} {ms:.2f}" for g, ms in f.cpu_by_process.items() if ms >= 0.05)
    print(
        f"{kind} at {f.rate:g}/s: accepted {f.accepted:.1f}/s; command p50 {f.command_p50:.1f}"
        f" p99 {f.command_p99:.1f} ms; visible p50 {f.visible_p50:.1f} p99 {f.visible_p99:.1f} ms;"
        f" after ack p50 {f.after_ack_p50:.1f} p99 {f.after_ack_p99:.1f} ms;"
        f" CPU {f.cpu_ms:.2f} ms per request ({top})"
        + (f"; errors {f.errors}" if f.errors else ""),
        flush=True,
    )


def read_large_answer(base: str, token: str, people: People) -> None:
    """A record with many steps, read again and again on one keep-alive connection: the case the
    gateway's TCP_NODELAY is for (a large answer's body held back by Nagle until the client's
    delayed ACK, ~40 ms each time)."""
    person, version = max((people.take() for _ in range(people.free.qsize())), key=lambda pv: pv[1])
    client = Client(base, token)
    times, size = [], 0
    for _ in range(40):
        started = time.perf_counter()
        client.conn.request(
            "GET", f"/api/v1/beneficiaries/{person}", headers={"Authorization": f"Bearer {token}"}
        )
        response = client.conn.getresponse()
        size = len(response.read())
        times.append(1000 * (time.perf_counter() - started))
    print(
        f"record of a person with {version} case steps ({size:,} bytes), keep-alive:"
        f" p50 {statistics.median(times[5:]):.1f} ms",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--database",
        default="postgresql://postgres@127.0.0.1:5432/kentra",
        help="the platform's database, as its administrator (to watch the timeline)",
    )
    parser.add_argument("--rates", default="25,50,100,150,200,300,400")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=48, help="HTTP connections")
    parser.add_argument("--quick", action="store_true", help="two short steps: a smoke run")
    parser.add_argument(
        "--first-contacts",
        action="store_true",
        help="people only registered: every contact is a first one (the full access check)",
    )
    args = parser.parse_args(argv)
    global FIRST_CONTACTS
    FIRST_CONTACTS = args.first_contacts
    PLATFORM_DATABASES.add(urlsplit(args.database).path.lstrip("/"))
    if args.quick:
        args.rates, args.seconds, args.people = "20,50", 4.0, 200
    run = uuid.uuid4().hex[:8]
    analyze(args.database)
    measure_idle(3.0 if args.quick else 10.0)
    token = login(args.url)
    print(
        f"registering {args.people} people (the run's own, run {run})"
        + ("" if args.first_contacts else ", each met once"),
        flush=True,
    )
    people = People(register_people(args.url, token, args.people, run))
    # one short step to warm every path (connections, caches, JIT-free but cold pages)
    measure(args.url, token, 20, 2, people, run + "w", args.workers, args.database)

    sustained, rows = 0.0, []
    for rate in [float(r) for r in args.rates.split(",")]:
        token = login(args.url)  # a token lives 15 minutes: a fresh one per step
        health = measure(
            args.url, token, rate, args.seconds, None, run, args.workers, args.database
        )
        show("baseline GET /health/live", health)
        f = measure(args.url, token, rate, args.seconds, people, run, args.workers, args.database)
        show("contact", f)
        rows.append((f, health))
        if f.visible_p99 < VISIBLE_P99_MS and f.accepted >= 0.95 * rate:
            sustained = max(sustained, f.accepted)
        elif f.accepted < 0.8 * rate:
            break  # past saturation: higher rates only queue

    print(
        "\n| offered/s | accepted/s | command p50/p99 ms | visible p50/p99 ms |"
        " after ack p50/p99 ms | CPU ms/command | CPU ms/GET /health/live (baseline) |"
        "\n|---|---|---|---|---|---|---|"
    )
    for f, h in rows:
        print(
            f"| {f.rate:g} | {f.accepted:.1f} | {f.command_p50:.1f} / {f.command_p99:.1f} |"
            f" {f.visible_p50:.1f} / {f.visible_p99:.1f} | {f.after_ack_p50:.1f} /"
            f" {f.after_ack_p99:.1f} | {f.cpu_ms:.2f} | {h.cpu_ms:.2f} |"
        )
    read_large_answer(args.url, login(args.url), people)
    rss = sorted(rss_mb().items(), key=lambda kv: -kv[1])
    print(
        "largest RSS per process after the run, MB (target < 300 for every service): "
        + ", ".join(f"{g} {mb:.0f}" for g, mb in rss)
    )
    at_100 = next((f for f, _ in rows if f.rate == 100), None)
    cheapest = min((f.cpu_ms for f, _ in rows if f.accepted >= 0.95 * f.rate), default=None)
    base = min((h.cpu_ms for _, h in rows), default=None)
    if cheapest is not None and base:
        report("CPU per contact (all processes), ms", cheapest, "ms", base, "GET /health/live, ms")
    report("sustained contacts/s at p99 visibility < 250 ms", sustained, "cmd/s", target=300)
    if at_100 is not None:
        print(
            f"visibility after acknowledgement at 100/s: p50 {at_100.after_ack_p50:.1f} ms"
            f" (target <= 10), p99 {at_100.after_ack_p99:.1f} ms (target <= 50)"
        )


if __name__ == "__main__":
    main()
