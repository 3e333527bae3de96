"""The restore drill: the newest base backup restored into a scratch instance, every erasure of the
newest ledger applied to it again, each read model brought up to its sources, and the consistency
check run on what came back. A backup that has never been restored is a hope, not a backup: the
drill is how an operator (and the tests) find out, without touching the live platform."""

from __future__ import annotations

import dataclasses
import importlib
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from psycopg2 import sql

from services.common.config import Settings
from services.common.consumer.consistency import check
from services.common.consumer.consumer import Consumer
from services.common.consumer.setup import open_read_model, personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.eventstore import Metadata

from .ledger import newest_ledger
from .postgres import (
    ScratchInstance,
    database_of,
    hand_to_server_account,
    newest_base_backup,
    restore,
    server_binaries,
    superuser_of,
    taken_at,
)

WRITE_SERVICES = ("registries", "intake", "referrals")
# a re-applied erasure has a command id of its own per person, so running the drill (or the real
# restore) twice erases once
REAPPLIED = uuid.UUID("0b6f2c1e-6a43-4c55-9a0e-5d7f2e8c1a34")
OPERATOR = "restore-drill"


@dataclass
class DrillReport:
    backup: str
    taken_at: str
    restore_seconds: float
    erasures_reapplied: list[str] = field(default_factory=list)
    erasures_already_in_backup: int = 0
    erasures_of_people_not_in_backup: int = 0
    events_applied: dict[str, int] = field(default_factory=dict)
    differences: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not any(self.differences.values())


def read_models(settings: Settings) -> list[tuple[str, object]]:
    """(schema, projection) of every read model, as each consumer process opens its own."""
    from services.portal_gateway import bootstrap as gateway
    from services.referrals import bootstrap as referrals
    from services.referrals.application.reactions import ReferralReactions
    from services.reporting import bootstrap as reporting

    return [
        (reporting.SERVICE, reporting.projection(settings)),
        (gateway.TIMELINE, gateway.timeline(settings)),
        (referrals.REACTIONS, ReferralReactions()),
    ]


def restore_drill(
    folder: Path,
    settings: Settings,
    admin_url: str,
    wal_archive: Path | None = None,
    until: str | None = None,
    inspect=None,
) -> DrillReport:
    """`inspect(settings)`, when given, looks at the restored platform before it is thrown away
    (the tests read an erased person's record through the stores there)."""
    backup = newest_base_backup(folder)
    work = Path(tempfile.mkdtemp(prefix="kentra-drill-"))
    started = time.monotonic()
    restore(backup, work / "data", wal_archive, until)
    hand_to_server_account(work)  # its files and the folder above them, when run as root
    instance = ScratchInstance(work / "data", server_binaries())
    database, superuser = database_of(admin_url), superuser_of(admin_url)
    try:
        instance.start()
        instance.wait_until_writable(database, superuser)
        report = DrillReport(backup.name, taken_at(backup).isoformat(), 0.0)
        report.restore_seconds = round(time.monotonic() - started, 1)
        scratch = dataclasses.replace(settings, database_url=instance.url(database))
        stores = {
            s: importlib.import_module(f"services.{s}.bootstrap").open_store(scratch, 2)
            for s in WRITE_SERVICES
        }
        try:
            reapply_erasures(
                instance.url(database, superuser), scratch, stores, newest_ledger(folder), report
            )
            source = StoreEventSource({s: store for s, (store, _) in stores.items()})
            for schema, projection in read_models(scratch):
                db = open_read_model(scratch, scratch.schema(schema), projection, 2)
                try:
                    consumer = Consumer(
                        projection, db, source, opener=personal_opener(scratch, projection)
                    )
                    report.events_applied[projection.name] = sum(
                        consumer.catch_up(s) for s in projection.sources
                    )
                    report.differences[projection.name] = [
                        dataclasses.asdict(d)
                        for d in check(db, projection.name, projection.sources, source)
                    ]
                finally:
                    db.close()
            if inspect is not None:
                inspect(scratch)
        finally:
            for _, db in stores.values():
                db.close()
    finally:
        instance.stop()
        instance.remove()
        shutil.rmtree(work, ignore_errors=True)
    return report


def reapply_erasures(
    superuser_url: str, settings: Settings, stores: dict, ledger: dict | None, report: DrillReport
) -> None:
    """Each person of the ledger whose key the restored vault still holds is erased again: through
    the registries' own erasure when the backup holds their record (the event, the key, the index
    rows, as the DPO's erasure does), through the vault's function otherwise (a key alone)."""
    from services.registries.application.beneficiaries import Beneficiaries
    from services.registries.domain.beneficiary import ErasePersonalData

    if ledger is None:
        return
    vault = settings.schema("vault")
    erased = [entry["subject_id"] for entry in ledger["erased"]]
    conn = psycopg2.connect(superuser_url)
    try:
        with conn.cursor() as cur:
            # of the ledger's people only: the vault holds a key for everyone ever registered
            forgotten = _among(cur, vault, "forgotten_subjects", erased)
            keyed = _among(cur, vault, "subject_keys", erased)
    finally:
        conn.close()
    registries, registries_db = stores["registries"]
    for subject in erased:
        if subject in forgotten:
            report.erasures_already_in_backup += 1
            continue
        registered = registries.head(f"beneficiary-{subject}") is not None
        if subject not in keyed and not registered:
            report.erasures_of_people_not_in_backup += 1
            continue
        if registered:
            Beneficiaries(registries).erase_personal_data(
                ErasePersonalData(
                    beneficiary_id=uuid.UUID(subject),
                    reason="erased before the restore: applied again from the erasure ledger",
                    requested_by=OPERATOR,
                ),
                Metadata(
                    actor=OPERATOR,
                    site="KK-REGION",
                    command_id=str(uuid.uuid5(REAPPLIED, subject)),
                ),
            )
        else:
            with registries_db.transaction() as cur:
                cur.execute(
                    sql.SQL("SELECT {}.forget_subject(%s)").format(sql.Identifier(vault)),
                    (subject,),
                )
        report.erasures_reapplied.append(subject)


def _among(cur, vault: str, table: str, subjects: list[str]) -> set[str]:
    """Which of `subjects` the vault's `table` holds."""
    cur.execute(
        sql.SQL("SELECT subject_id::text FROM {}.{} WHERE subject_id = ANY(%s::uuid[])").format(
            sql.Identifier(vault), sql.Identifier(table)
        ),
        (subjects,),
    )
    return {r[0] for r in cur.fetchall()}
