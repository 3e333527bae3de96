"""One fault test's slice of the platform, in schemas of its own: the registries store, a Roster
read model, and the relay and the consumer as real OS processes working on them.

The test writes through the store as the registries service would (its role, its connections).
It observes through connections of its own, logged in as the administrator, so the faults it
injects on the services' connections never blind it."""

from __future__ import annotations

import dataclasses
import sys
import uuid
from pathlib import Path

import psycopg2

from contracts.base import upcast
from services.common.config import Settings
from services.common.consumer.consistency import check
from services.common.consumer.setup import migrate_read_model
from services.common.consumer.sources import StoreEventSource
from services.common.db import Database, drop_platform
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, service_role
from services.registries import bootstrap as registries_bootstrap
from tests.support.database import without_login
from tests.support.faults import (
    ServiceProcess,
    free_port,
    platform_env,
    relay_process,
    row_locked,
    terminate_backends,
)
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually

SOURCE = "registries"


class ConsumerProcess(ServiceProcess):
    """tests/faults/run_consumer.py: the Roster's live consumer, with its metrics on a port."""

    def __init__(self, settings: Settings, log_dir: Path, catch_up_seconds: float | None = None):
        self.ready_file = log_dir / f"consumer-ready-{uuid.uuid4().hex[:6]}"
        every = [] if catch_up_seconds is None else ["--catch-up-seconds", str(catch_up_seconds)]
        super().__init__(
            "roster-consumer",
            [
                sys.executable,
                "-m",
                "tests.faults.run_consumer",
                "--ready-file",
                str(self.ready_file),
                *every,
            ],
            platform_env(settings, metrics_port=free_port()),
            log_dir,
        )

    def start(self) -> None:
        self.ready_file.unlink(missing_ok=True)
        super().start()

    def wait_ready(self, timeout: float = 60) -> None:
        """Its queue is declared and it has caught up with the store once."""
        eventually(
            lambda: self.ready_file.exists() or not self.alive(),
            timeout,
            what="the consumer to get ready",
            explain=self.log_tail,
        )
        assert self.alive(), f"the consumer died getting ready\n{self.log_tail()}"


class FaultPlatform:
    def __init__(self, admin_url: str, amqp_uri: str, log_dir: Path):
        self.admin_url, self.log_dir = admin_url, log_dir
        self.settings = Settings.from_env(
            {
                "KENTRA_DATABASE_URL": without_login(admin_url),
                "KENTRA_AMQP_URI": amqp_uri,
                "KENTRA_SCHEMA_PREFIX": f"f{uuid.uuid4().hex[:8]}_",
            }
        )
        self.schemas = {name: self.settings.schema(name) for name in (SOURCE, "roster")}
        self.roles = [service_role(schema) for schema in self.schemas.values()]
        registries_bootstrap.migrate(admin_url, self.settings)
        migrate_read_model(admin_url, self.settings, self.schemas["roster"], Roster())
        self.store, self._store_db = registries_bootstrap.open_store(self.settings)
        self.truth = PostgresEventStore(
            Database(admin_url, self.schemas[SOURCE]), key_vault(self.settings), upcast=upcast
        )
        self.read_model = Database(admin_url, self.schemas["roster"])
        self.processes: list[ServiceProcess] = []

    # -- processes --------------------------------------------------------------------------------
    def relay(self, batch_size: int = 50, amqp_uri: str | None = None) -> ServiceProcess:
        """The registries relay; on the platform's broker unless told another way to it."""
        settings = dataclasses.replace(self.settings, amqp_uri=amqp_uri or self.settings.amqp_uri)
        relay = relay_process(settings, SOURCE, self.log_dir, batch_size, metrics_port=free_port())
        self.processes.append(relay)
        return relay

    def consumer(self, catch_up_seconds: float | None = None) -> ConsumerProcess:
        """The Roster's live consumer; by default it reads the store only on start (the live
        path alone), or also every `catch_up_seconds`, as the platform's consumers do (30 s)."""
        consumer = ConsumerProcess(self.settings, self.log_dir, catch_up_seconds)
        self.processes.append(consumer)
        return consumer

    # -- what the test observes --------------------------------------------------------------------
    def consumer_position(self) -> int:
        with self.read_model.transaction() as cur:
            cur.execute(
                "SELECT position FROM consumer_positions WHERE consumer = 'roster' AND source = %s",
                (SOURCE,),
            )
            row = cur.fetchone()
            return row[0] if row else 0

    def relay_position(self) -> int:
        with self.truth.db.transaction() as cur:
            cur.execute("SELECT coalesce(max(position), 0) FROM relay_positions")
            return cur.fetchone()[0]

    def wait_until_consumed(self, timeout: float) -> None:
        """Until the consumer has applied the store's last event (the writers have stopped)."""
        last = self.truth.last_position()
        eventually(
            lambda: self.consumer_position() >= last, timeout, 0.25, explain=self.diagnostics
        )

    def diagnostics(self) -> str:
        return "\n".join(
            [
                f"store at {self.truth.last_position()}, relay at {self.relay_position()},"
                f" consumer at {self.consumer_position()}",
                *(p.log_tail() for p in self.processes),
            ]
        )

    def dead_letters(self) -> list[tuple]:
        with self.read_model.transaction() as cur:
            cur.execute("SELECT stream, version, error FROM dead_letters")
            return cur.fetchall()

    def assert_every_event_applied_exactly_once(self, expected_heads: dict[str, int]) -> None:
        """The store holds what the writers appended, once; the Roster counts, per beneficiary, the
        events it applied, so a lost event or one applied twice shows as a count off the stream's
        version; and the consistency check (versions and chained hashes) finds no difference."""
        heads = {h.stream: h.version for h in self.truth.heads()}
        assert heads == expected_heads, "the store must hold every append exactly once"
        applied = {beneficiary: row[3] for beneficiary, row in roster_rows(self.read_model).items()}
        stored = {stream.split("-", 1)[1]: version for stream, version in heads.items()}
        off = {
            b: (applied.get(b), stored.get(b))
            for b in applied.keys() | stored.keys()
            if applied.get(b) != stored.get(b)
        }
        assert not off, (
            f"{len(off)} beneficiaries with (applied, stored) events differing: {list(off.items())[:10]}"
        )
        assert (
            check(self.read_model, "roster", (SOURCE,), StoreEventSource({SOURCE: self.truth}))
            == []
        )
        assert self.dead_letters() == []

    # -- faults -----------------------------------------------------------------------------------
    def terminate_service_connections(self) -> int:
        """pg_terminate_backend on every connection of the registries and roster roles."""
        return terminate_backends(self.admin_url, self.roles)

    def relay_position_locked(self):
        return row_locked(self.admin_url, self.schemas[SOURCE], "relay_positions", "true", ())

    def roster_row_locked(self, stream: str):
        return row_locked(
            self.admin_url,
            self.schemas["roster"],
            "roster",
            "beneficiary_id = %s",
            (stream.split("-", 1)[1],),
        )

    def close(self) -> None:
        for process in self.processes:
            process.stop()
        self._store_db.close()
        self.truth.db.close()
        self.read_model.close()
        terminate_backends(self.admin_url, self.roles)
        try:
            drop_platform(self.admin_url, self.settings.schema_prefix)
        except psycopg2.Error as exc:  # never hide the test's own result behind its clean-up
            print(f"could not drop {self.settings.schema_prefix}*: {exc}")
