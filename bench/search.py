"""`python -m bench.search [--people 1000] [--before REV]`: the beneficiary search through the
running platform (every nameko service in one process, a vhost of its own, a throw-away schema
prefix), with ~1,000 people and searches that the registry answers with 10, 40 and 100 hits:
p50 and p99 latency, and the CPU the platform spent per search (one process, so every service's).

The baseline is the same measurement of the code at REV (default: where this branch left main),
taken from git into a temporary directory and run in a child process in the same run: the
figures before and after the batched access facts (issue 17) come from one machine, one load.
`--measure` is what each child runs; it prints one JSON line."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {10: "Ακρίτα", 40: "Βλάχου", 100: "Γκίκα"}  # family name -> how many bear it
SEARCHES = 40  # timed searches per size, after 5 warm-ups
RECORDS = 60  # timed record reads (a single decision on a person, and the page around it)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--before", default=None, help="git revision of the baseline")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="200 people, a smoke run")
    args = parser.parse_args(argv)
    people = 200 if args.quick else args.people
    if args.measure:
        print(json.dumps(measure(people)), flush=True)
        return
    before_rev = args.before or _git("merge-base", "HEAD", "main")
    with tempfile.TemporaryDirectory(prefix="kentra-before-") as before_root:
        archive = subprocess.run(
            ["git", "archive", before_rev], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", before_root], input=archive, check=True)
        # this file measures there too: the baseline's code, this run's measurement
        (Path(before_root) / "bench" / "search.py").write_text(Path(__file__).read_text())
        before = _child(Path(before_root), people)
    after = _child(ROOT, people)
    print(f"\nsearch with {people} people: before = {before_rev[:10]}, after = working tree")
    print("| measure | before p50 / p99 | after p50 / p99 | CPU per call before / after |")
    print("|---|---|---|---|")
    for key, a in after.items():
        b = before.get(key)
        was = f"{b['p50']:.1f} / {b['p99']:.1f} ms" if b else "-"
        print(
            f"| {key} | {was} | {a['p50']:.1f} / {a['p99']:.1f} ms"
            f" | {b['cpu'] if b else float('nan'):.1f} / {a['cpu']:.1f} ms |"
        )


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def _child(root: Path, people: int) -> dict:
    """This file's `--measure`, run with `root`'s code (its services, its tests' platform)."""
    env = {**os.environ, "PYTHONPATH": str(root), "KENTRA_LOG_LEVEL": "ERROR"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.search", "--measure", "--people", str(people)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the measurement at {root} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(people: int) -> dict:
    """The platform started here, filled, and searched: figures in milliseconds."""
    import eventlet

    eventlet.monkey_patch()
    from services.common.nameko_support import make_psycopg2_green

    make_psycopg2_green()
    with _platform() as (gateway, cluster):
        bodies = _population(people)
        _fill(cluster, bodies)
        worker = gateway.client("kalamata.worker")
        found = {}
        for hits, family in GROUPS.items():
            assert worker.search(family).json()["count"] == hits, family
            found[f"search, {hits} hits"] = _timed(lambda f=family: worker.search(f), SEARCHES)
        one = bodies[-1]["beneficiary_id"]
        found["record GET, one person"] = _timed(
            lambda: worker.get(f"/beneficiaries/{one}"), RECORDS
        )
        found.update(_in_series(lambda: worker.get(f"/beneficiaries/{one}")))
        return found


def _in_series(call) -> dict:
    """The same record read with the three facts RPCs sent one after another (the code whose
    `people.together` sends them at once): what sending them together saves, and in what."""
    from services.portal_gateway.application import people

    together = getattr(people, "together", None)
    if together is None:
        return {}
    people.together = lambda *calls: [method(*args) for method, *args in calls]
    try:
        return {"record GET, facts RPCs in series": _timed(call, RECORDS)}
    finally:
        people.together = together


def _timed(call, n: int) -> dict:
    for _ in range(5):
        call()
    seconds, cpu_started = [], time.process_time()
    for _ in range(n):
        started = time.perf_counter()
        answer = call()
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text
    cpu = (time.process_time() - cpu_started) / n
    ordered = sorted(seconds)
    return {
        "p50": 1000 * statistics.median(seconds),
        "p99": 1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
        "cpu": 1000 * cpu,
    }


def _population(people: int) -> list[dict]:
    """Registrations at the Kalamata centre and mobile unit: the search groups, then others."""
    named = [f for hits, f in GROUPS.items() for _ in range(hits)]
    named += [f"Δοκιμάκη{n}" for n in range(max(0, people - len(named)))]
    return [
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": str(uuid.uuid4()),
            "given_name": "Γεώργιος",
            "family_name": family,
            "birth_date": f"{1940 + n % 60}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "municipality_code": "9256",
            "site": ("MU-KALAMATA", "KK-KALAMATA")[n % 2],
        }
        for n, family in enumerate(named)
    ]


def _fill(cluster, bodies: list[dict]) -> None:
    """Each person registered, met twice, with a consent: ten commands in flight at a time."""
    today = time.strftime("%Y-%m-%d")
    context = {"actor": "kalamata.worker", "site": "KK-KALAMATA"}

    def commands(body: dict) -> list[tuple[str, dict]]:
        person = body["beneficiary_id"]
        contacts = [
            (
                "record_contact",
                {
                    "command_id": str(uuid.uuid4()),
                    "beneficiary_id": person,
                    "expected_version": version,
                    "occurred_on": today,
                    "channel": "centre",
                    "site": "KK-KALAMATA",
                    "municipality_code": "9256",
                    "staff_id": "kalamata.worker",
                },
            )
            for version in (0, 1)
        ]
        consent = {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": person,
            "expected_version": 2,
            "recipient": "KK-SPARTI",
            "purpose": "παραπομπή",
            "given_on": today,
        }
        return [*contacts, ("record_consent", consent)]

    for start in range(0, len(bodies), 10):
        batch = bodies[start : start + 10]
        for reply in [
            cluster.registries.register_beneficiary.call_async(b, context) for b in batch
        ]:
            reply.result()
        plans = [commands(b) for b in batch]
        for step in range(3):
            for reply in [
                getattr(cluster.intake, plan[step][0]).call_async(plan[step][1], context)
                for plan in plans
            ]:
                reply.result()


class _platform:
    """Every service of the platform in this process, on a vhost and schemas of its own."""

    def __enter__(self):
        import requests
        from nameko.runners import ServiceRunner
        from nameko.standalone.rpc import ClusterRpcProxy

        from bench.common import bench_admin_url, bench_settings
        from deploy.demo.seed import CONTEXT, seed_network
        from services.common.migrate import migrate_platform
        from services.common.transport import nameko_config
        from services.intake.entrypoints.service import IntakeService
        from services.portal_gateway.entrypoints.service import PortalGateway
        from services.referrals.entrypoints.service import ReferralsService
        from services.registries.entrypoints.service import RegistriesService
        from services.reporting.entrypoints.service import ReportingService
        from tests.e2e.gateway_platform import GatewayPlatform, staff_members
        from tests.support.broker import declare_topology
        from tests.support.database import without_login
        from tests.support.ports import free_port

        self.prefix = f"b{uuid.uuid4().hex[:6]}_"
        self.vhost = f"kentra-bench-{uuid.uuid4().hex[:8]}"
        self.management = "http://guest:guest@127.0.0.1:15672/api"
        requests.put(f"{self.management}/vhosts/{self.vhost}", timeout=10).raise_for_status()
        requests.put(
            f"{self.management}/permissions/{self.vhost}/guest",
            json={"configure": ".*", "write": ".*", "read": ".*"},
            timeout=10,
        ).raise_for_status()
        amqp = f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}"
        settings = bench_settings(self.prefix)
        migrate_platform(bench_admin_url(), settings)
        declare_topology(amqp)
        port = free_port()
        config = {
            **nameko_config(amqp),
            "KENTRA_DATABASE_URL": without_login(bench_admin_url()),
            "KENTRA_AMQP_URI": amqp,
            "KENTRA_SCHEMA_PREFIX": self.prefix,
            "METRICS_PORT": 0,
            "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
        }
        self.runner = ServiceRunner(config)
        for service in (
            RegistriesService,
            IntakeService,
            ReferralsService,
            ReportingService,
            PortalGateway,
        ):
            self.runner.add_service(service)
        self.runner.start()
        self.cluster_proxy = ClusterRpcProxy(config)
        cluster = self.cluster_proxy.start()
        seed_network(cluster.registries)
        for member in staff_members():
            cluster.registries.assign_staff_member(member, CONTEXT)
        gateway_settings = bench_settings(self.prefix)
        return GatewayPlatform(gateway_settings, f"http://127.0.0.1:{port}"), cluster

    def __exit__(self, *exc):
        import requests

        from bench.common import bench_admin_url
        from services.common.db import drop_platform

        self.cluster_proxy.stop()
        self.runner.stop()
        drop_platform(bench_admin_url(), self.prefix)
        requests.delete(f"{self.management}/vhosts/{self.vhost}", timeout=10)


if __name__ == "__main__":
    main()
