"""Two relays of one store and two consumers of one read model, as real processes: the active one
of each is SIGKILLed again and again while the store takes writes, relay and consumer in turn.
Each time the standby takes over, and every event the store acknowledged reaches the read model
exactly once and in order."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from services.common.consumer.live import lock_name
from services.common.db import ActiveLock, Database
from services.common.relay.relay import LOCK_NAME
from tests.faults.workload import Workload
from tests.support.backbone import bind_queue
from tests.support.faults import ServiceProcess, backends, in_background, queued_positions
from tests.support.waiting import eventually

KILLS = 6  # relay, consumer, relay, ...: each instance of each killed at least once while active
TAKEOVER = "took over: active"


@dataclass
class Instances:
    """Two instances of one process, the lock they share, and how far the active one has got."""

    processes: list[ServiceProcess]
    lock: ActiveLock  # asked only (its holder), on an administrator's connection
    role: str  # the database role both log in as
    progress: Callable[[], int]

    def active(self) -> ServiceProcess | None:
        with self.lock.db.transaction() as cur:
            found = self.lock.holder(cur)
        pid = int(re.search(r" pid (\d+) ", found[1]).group(1)) if found else None
        return next((p for p in self.processes if p.alive() and p.pid == pid), None)

    def standing_by(self, process: ServiceProcess) -> bool:
        """Its lock session is open (it polls for the lock) and another instance holds it."""
        polling = backends(
            self.lock.db.url, self.role, "application_name LIKE %s", (f"% pid {process.pid} on %",)
        )
        return polling > 0 and self.active() not in (None, process)

    def takeovers(self) -> int:
        return sum(p.log_path.read_text().count(TAKEOVER) for p in self.processes)


def named(process: ServiceProcess, name: str) -> ServiceProcess:
    """Two instances of a process log to files of their own."""
    process.name, process.log_path = name, process.log_path.with_name(f"{name}.log")
    return process


def kill_the_active_one(instances: Instances, explain) -> tuple[float, float]:
    """SIGKILL the active instance; the standby must hold the lock and move the position on. The
    killed one is started again, and stands by. Seconds from the kill to the takeover, and to the
    position moving again."""
    victim = instances.active()
    assert victim is not None, explain()
    (standby,) = (p for p in instances.processes if p is not victim)
    before, killed_at = instances.progress(), time.monotonic()
    victim.kill()
    eventually(lambda: instances.active() is standby, 20, 0.05, "the standby", explain=explain)
    took = time.monotonic() - killed_at
    eventually(lambda: instances.progress() > before, 20, 0.05, "progress", explain=explain)
    moved = time.monotonic() - killed_at
    victim.start()
    eventually(lambda: instances.standing_by(victim), 20, 0.1, "a standby", explain=explain)
    return took, moved


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_the_standby_takes_over_each_time_the_active_relay_or_consumer_is_killed_under_load(
    amqp_uri, platform_on
):
    platform = platform_on(amqp_uri)
    probe = bind_queue(amqp_uri, "registries")  # sees every publication, repeats included
    schemas = platform.schemas
    consumers = Instances(
        [named(platform.consumer(), f"roster-consumer-{x}") for x in "ab"],
        ActiveLock(Database(platform.admin_url, schemas["roster"]), lock_name("roster")),
        platform.roles[1],
        platform.consumer_position,
    )
    relays = Instances(
        [named(platform.relay(batch_size=50), f"registries-relay-{x}") for x in "ab"],
        ActiveLock(Database(platform.admin_url, schemas["registries"]), LOCK_NAME),
        platform.roles[0],
        platform.relay_position,
    )
    first, second = consumers.processes
    first.start()
    first.wait_ready()
    second.start()
    eventually(lambda: consumers.standing_by(second), 30, explain=platform.diagnostics)
    first, second = relays.processes
    first.start()
    eventually(lambda: relays.active() is first, 30, explain=platform.diagnostics)
    second.start()
    eventually(lambda: relays.standing_by(second), 30, explain=platform.diagnostics)

    workload, stop, rng = Workload(platform.store, seed=18), threading.Event(), random.Random(18)
    writer = in_background(workload.run, stop, 0.001)
    took: dict[str, list[tuple[float, float]]] = {"relay": [], "consumer": []}
    try:
        for kill in range(KILLS):
            time.sleep(rng.uniform(0.2, 0.8))
            # hundreds of writes between two kills however slow the machine is today
            eventually(lambda k=kill: workload.events >= (k + 1) * 300, 60, what="writes")
            kind, instances = ("relay", relays) if kill % 2 == 0 else ("consumer", consumers)
            took[kind].append(kill_the_active_one(instances, platform.diagnostics))
        time.sleep(0.5)
    finally:
        stop.set()
        writer.join(30)

    platform.wait_until_consumed(60)
    assert workload.events > 1500, "thousands of events, or the kills prove little"
    for instances in (relays, consumers):
        # killed three times in turn: the first instance twice, the second once
        assert [p.starts for p in instances.processes] == [3, 2]
        assert all(p.alive() for p in instances.processes)
        assert instances.takeovers() == KILLS // 2, "a takeover per kill, and no other change"
    eventually(lambda: platform.relay_position() == platform.truth.last_position(), 30)
    published = queued_positions(amqp_uri, probe)
    stored = [e.position for e in platform.truth.read_all(0, 1_000_000)]
    assert sorted(set(published)) == stored, "the relays together published every stored event"
    platform.assert_every_event_applied_exactly_once(workload.expected)
    for instances in (relays, consumers):
        instances.lock.db.close()
    print(
        f"{workload.events} events; {len(published) - len(stored)} published twice;"
        " seconds from a kill to the takeover / to the position moving again:",
        "; ".join(
            f"{kind} {', '.join(f'{a:.1f}/{b:.1f}' for a, b in times)}"
            for kind, times in took.items()
        ),
    )
