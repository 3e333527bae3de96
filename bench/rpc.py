"""What an RPC costs, in CPU as well as time (issue 17: ~16 ms of CPU per command across the
processes; the target is 4 ms). Two comparisons, each against its baseline in the same run, their
rounds alternated so the machine's other load falls on both alike; medians of the rounds:

1. Round trips to a trivial service whose answers wait for the broker's publish confirm (nameko's
   default: the baseline) and to one answering without (the platform's @rpc): calls/s, and CPU per
   call of the caller, the service and the broker.
2. Intake's `record_contact` of a mobile unit's visit (the staff and the partner municipalities
   checked): the registry asked by RPC on every command (`REGISTRY_FACTS_MAX_AGE=0`: the
   baseline) against its answers kept (services/common/registry_facts.py): commands/s, and CPU
   per command of the caller, intake and registries (PostgreSQL left out: the other work on this
   machine shares its processes).

CPU times are read from /proc (utime + stime of each process). The broker's (the `beam.smp`
process on this machine, when there is one) is shown apart and is rough: it serves the machine's
other work too, which is estimated from idle windows around each round and taken off."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from bench.common import AMQP_URI, report, scratch
from services.common.transport import nameko_config

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
WORKER = {"actor": "kalamata.social1", "site": "MU-KALAMATA"}


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) a process has used, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15


def own_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def broker_pid() -> int | None:
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "beam.smp":
                return int(entry.name)
        except OSError:  # a process that ended while we looked
            continue
    return None


@contextmanager
def serving(service: str, config: dict):
    """A nameko service in a process of its own (bench/rpc_serve.py); yields its pid. What it
    says on stderr is shown only if it ends before we stop it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KENTRA_LOG_LEVEL": "ERROR"}
    with tempfile.TemporaryFile() as said:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.rpc_serve", service, json.dumps(config)],
            env=env,
            stderr=said,
        )
        try:
            yield process.pid
        finally:
            if process.poll() is not None:
                said.seek(0)
                print(said.read().decode(errors="replace")[-3000:], file=sys.stderr)
            process.terminate()
            process.wait(30)


def answering(call: Callable[[], object], seconds: float = 120) -> None:
    from nameko.exceptions import UnknownService

    deadline = time.monotonic() + seconds
    while True:
        try:
            call()
            return
        except UnknownService:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def idle_rates(pids: dict[str, int], seconds: float) -> dict[str, float]:
    """CPU seconds per second each process burns while we call nothing."""
    before = {name: process_cpu(pid) for name, pid in pids.items()}
    time.sleep(seconds)
    return {name: (process_cpu(pid) - before[name]) / seconds for name, pid in pids.items()}


def cpu_per_call(
    call: Callable[[int], object], calls: int, pids: dict[str, int], idle_seconds: float
) -> dict:
    """Calls/s and each process's CPU milliseconds per call over `calls` calls made one by one,
    less what the process burns when we call nothing (the mean of a window just before and one
    just after): the broker serves the machine's other work too, so its figure stays rough."""
    idle_before = idle_rates(pids, idle_seconds)
    before = {name: process_cpu(pid) for name, pid in pids.items()}
    mine, started = own_cpu(), time.perf_counter()
    for i in range(calls):
        call(i)
    elapsed = time.perf_counter() - started
    after = {name: process_cpu(pid) for name, pid in pids.items()}
    mine = own_cpu() - mine
    idle_after = idle_rates(pids, idle_seconds)
    used = {
        name: after[name] - before[name] - (idle_before[name] + idle_after[name]) / 2 * elapsed
        for name in pids
    }
    used["caller"] = mine
    return {"rate": calls / elapsed, **{k: 1000 * v / calls for k, v in used.items()}}


def medians(rounds: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}


def ours(figures: dict) -> float:
    """The CPU of the platform's processes: every figure but the rate and the broker's."""
    return sum(v for k, v in figures.items() if k not in ("rate", "broker"))


def show(title: str, variants: dict[str, dict]) -> None:
    names = [k for k in next(iter(variants.values())) if k != "rate"]
    print(f"\n{title} (medians; CPU in ms per call)")
    print("| variant | calls/s | " + " | ".join(names) + " | all but the broker |")
    print("|---|---|" + "---|" * (len(names) + 1))
    for variant, f in variants.items():
        cells = " | ".join(f"{f[n]:.2f}" for n in names)
        print(f"| {variant} | {f['rate']:,.0f} | {cells} | {ours(f):.2f} |")


def echo_round_trips(rounds: int, calls: int, idle_seconds: float) -> None:
    from nameko.standalone.rpc import ClusterRpcProxy

    broker = broker_pid()
    config = nameko_config(AMQP_URI)
    found: dict[str, list[dict]] = {"confirmed": [], "unconfirmed": []}
    with (
        serving("bench.rpc_serve:ConfirmedEcho", config) as confirmed,
        serving("bench.rpc_serve:UnconfirmedEcho", config) as unconfirmed,
        ClusterRpcProxy(config, timeout=30) as cluster,
    ):
        services = {
            "confirmed": (cluster.bench_echo_confirmed, confirmed),
            "unconfirmed": (cluster.bench_echo_unconfirmed, unconfirmed),
        }
        for proxy, _ in services.values():
            answering(lambda proxy=proxy: proxy.echo("ready"))
        for _ in range(rounds):
            for variant, (proxy, pid) in services.items():
                for i in range(20):  # warm: pools open, the JIT of nothing, caches filled
                    proxy.echo(i)
                pids = {"service": pid, **({"broker": broker} if broker else {})}
                found[variant].append(cpu_per_call(proxy.echo, calls, pids, idle_seconds))
    confirmed_f, unconfirmed_f = medians(found["confirmed"]), medians(found["unconfirmed"])
    show("RPC round trips to a trivial service", {k: medians(v) for k, v in found.items()})
    report(
        "rpc round trips, answers unconfirmed",
        unconfirmed_f["rate"],
        "calls/s",
        confirmed_f["rate"],
        "answers confirmed",
    )
    report(
        "rpc CPU per call (caller+service), answers unconfirmed",
        1000 * ours(unconfirmed_f),
        "us/call",
        1000 * ours(confirmed_f),
        "answers confirmed",
    )
    if "broker" in confirmed_f:
        print(
            f"broker CPU per call (rough): {1000 * unconfirmed_f['broker']:,.0f} us unconfirmed,"
            f" {1000 * confirmed_f['broker']:,.0f} us confirmed"
        )


def visit(i: int) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "beneficiary_id": str(uuid.uuid4()),
        "expected_version": 0,
        "occurred_on": "2026-11-20",
        "channel": "mobile_unit_visit",
        "site": "MU-KALAMATA",
        "municipality_code": "9258",
        "staff_id": "kalamata.social1",
    }


def contacts(rounds: int, calls: int, idle_seconds: float) -> None:
    from nameko.standalone.rpc import ClusterRpcProxy

    from deploy.demo.seed import seed_network

    broker = broker_pid()
    with scratch("rpc") as settings:
        config = {
            **nameko_config(AMQP_URI),
            "KENTRA_DATABASE_URL": settings.database_url,
            "KENTRA_SCHEMA_PREFIX": settings.schema_prefix,
            "METRICS_PORT": 0,
        }
        registries_service = "services.registries.entrypoints.service:RegistriesService"
        intake_service = "services.intake.entrypoints.service:IntakeService"
        found: dict[str, list[dict]] = {"asked by RPC": [], "kept": []}
        with (
            serving(registries_service, config) as registries,
            ClusterRpcProxy(config, timeout=60) as cluster,
        ):
            answering(cluster.registries.ready)
            seed_network(cluster.registries)
            for _ in range(rounds):
                for variant, max_age in (("asked by RPC", 0), ("kept", 30)):
                    with serving(
                        intake_service, {**config, "REGISTRY_FACTS_MAX_AGE": max_age}
                    ) as intake:
                        answering(cluster.intake.ready)
                        time.sleep(1)  # the watch binds its queue (nothing is kept before)
                        for i in range(20):  # warm: pools open, the answers asked once
                            cluster.intake.record_contact(visit(i), WORKER)
                        pids = {"intake": intake, "registries": registries}
                        pids |= {"broker": broker} if broker else {}
                        record = lambda i: cluster.intake.record_contact(visit(i), WORKER)  # noqa: E731
                        found[variant].append(cpu_per_call(record, calls, pids, idle_seconds))
    asked, kept = medians(found["asked by RPC"]), medians(found["kept"])
    show("intake record_contact, a mobile unit's visit", {k: medians(v) for k, v in found.items()})
    report(
        "contacts, registry answers kept", kept["rate"], "commands/s", asked["rate"], "asked by RPC"
    )
    report(
        "contact CPU (caller+intake+registries), answers kept",
        1000 * ours(kept),
        "us/command",
        1000 * ours(asked),
        "asked by RPC",
    )
    if "broker" in kept:
        print(
            f"broker CPU per contact (rough): {1000 * kept['broker']:,.0f} us kept,"
            f" {1000 * asked['broker']:,.0f} us asked by RPC"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds, calls, commands, idle = (1, 50, 30, 0.5) if args.quick else (5, 1000, 300, 2.0)
    echo_round_trips(rounds, calls, idle)
    contacts(min(rounds, 3), commands, idle)  # a round starts intake twice: seconds each


if __name__ == "__main__":
    main()
