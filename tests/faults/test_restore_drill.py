"""Backups tried as a restore finds them: a base backup taken on a throw-away PostgreSQL while
registrations are being written, a person erased after it, and `restore-drill` bringing the backup
back in a scratch instance of its own. The restored platform is consistent, and the person erased
after the backup stays unreadable there: the erasure ledger, kept apart, is applied again. With the
WAL archive replayed, what was written after the base backup comes back too."""

from __future__ import annotations

import dataclasses
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from deploy.backup.drill import restore_drill
from deploy.backup.ledger import export_erasures
from deploy.backup.postgres import base_backup, hand_to_server_account
from services.common.eventstore import Metadata
from services.common.migrate import migrate_platform
from services.registries import bootstrap as registries
from services.registries.application.beneficiaries import Beneficiaries
from services.registries.domain.beneficiary import ErasePersonalData, RegisterBeneficiary
from tests.support.postgres_nodes import PostgresNode
from tests.support.waiting import eventually

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
AT = Metadata(actor="kalamata.social4", site="KK-KALAMATA")


@dataclasses.dataclass
class Source:
    """The live platform's database: a PostgreSQL of the test's own, archiving its WAL."""

    node: PostgresNode
    admin_url: str
    settings: object
    wal: Path


@pytest.fixture
def source(settings):
    with PostgresNode.initialised(start=False) as node:
        wal = node.root / "wal"  # beside the node, where its server account may write
        wal.mkdir()
        hand_to_server_account(wal)
        node.settings.update(
            {"wal_level": "replica", "archive_mode": "on", "archive_command": f"cp %p {wal}/%f"}
        )
        node.start()
        admin_url = node.create_database("kentra")
        live = dataclasses.replace(
            settings, database_url=node.url("kentra", None), schema_prefix=""
        )
        migrate_platform(admin_url, live)
        yield Source(node, admin_url, live, wal)


def register(people: Beneficiaries, family_name: str) -> str:
    subject = uuid.uuid4()
    people.register(
        RegisterBeneficiary(subject, "Ελένη", family_name, "9256", "KK-KALAMATA"),
        dataclasses.replace(AT, command_id=str(uuid.uuid4())),
    )
    return str(subject)


def readable_name(store, subject: str) -> str | None:
    """The registration as the registries read it: its family name, or None once erased."""
    first = store.read_stream(f"beneficiary-{subject}", 1, 1)[0]
    return first.payload.get("family_name")


def test_a_restore_drill_from_a_backup_taken_under_load_is_consistent_and_keeps_erasures(
    source, tmp_path
):
    store, db = registries.open_store(source.settings, 4)
    people = Beneficiaries(store)
    kept = register(people, "Κρατημένη")
    erased = register(people, "Σβησμένη")
    stop, written = threading.Event(), []

    def write():
        while not stop.is_set():
            written.append(register(people, f"Φόρτος-{len(written)}"))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        backup = base_backup(source.admin_url, tmp_path / "backups")
    finally:
        stop.set()
        writer.join()
    assert written, "the backup was taken while registrations were being written"
    people.erase_personal_data(  # after the backup: the backup still holds the person's key
        ErasePersonalData(uuid.UUID(erased), "αίτημα διαγραφής", "dpo-1"),
        dataclasses.replace(AT, actor="dpo-1", command_id=str(uuid.uuid4())),
    )
    assert readable_name(store, erased) is None
    export_erasures(source.admin_url, source.settings.schema("vault"), tmp_path / "backups")
    seen = {}

    def inspect(restored):
        restored_store, restored_db = registries.open_store(restored, 1)
        try:
            seen["kept"] = readable_name(restored_store, kept)
            seen["erased"] = readable_name(restored_store, erased)
            seen["position"] = restored_store.last_position()
        finally:
            restored_db.close()

    report = restore_drill(tmp_path / "backups", source.settings, source.admin_url, inspect=inspect)
    assert report.backup == backup.name
    assert report.clean, report.differences
    assert report.erasures_reapplied == [erased]
    assert seen["kept"] == "Κρατημένη"
    assert seen["erased"] is None, "an erasure after the backup must not come back with it"
    assert sum(report.events_applied.values()) > 0  # the read models were brought up to date

    # the archived WAL brings back what was written after the base backup, the erasure among it
    # archive the segment being written, and wait for the archiver to have copied it
    (segment,) = source.node.execute("SELECT pg_walfile_name(pg_switch_wal())")[0]
    eventually(
        lambda: (
            (source.node.execute("SELECT last_archived_wal FROM pg_stat_archiver")[0][0] or "")
            >= segment
        ),
        30,
        0.2,
        what=f"WAL segment {segment} archived",
    )
    live_position = store.last_position()
    db.close()
    wal_seen = {}

    def inspect_replayed(restored):
        inspect(restored)
        wal_seen.update(seen)

    replayed = restore_drill(
        tmp_path / "backups",
        source.settings,
        source.admin_url,
        wal_archive=source.wal,
        inspect=inspect_replayed,
    )
    assert replayed.clean, replayed.differences
    assert wal_seen["position"] == live_position
    assert wal_seen["erased"] is None and replayed.erasures_already_in_backup == 1
    assert replayed.erasures_reapplied == []


def test_an_operator_backs_up_and_drills_from_the_command_line(source, tmp_path):
    """`python -m deploy.backup` as a scheduler runs it: exit 0 and a clean report."""
    import json
    import os
    import sys

    store, db = registries.open_store(source.settings, 1)
    register(Beneficiaries(store), "Παπαδοπούλου")
    db.close()
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "KENTRA_ADMIN_DATABASE_URL": source.admin_url,
        "KENTRA_DATABASE_URL": source.settings.database_url,
        "KENTRA_SCHEMA_PREFIX": "",
    }

    def backup(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "deploy.backup", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )

    for step in ("base", "erasures"):
        done = backup(step, "--to", str(tmp_path / "b"))
        assert done.returncode == 0 and str(tmp_path / "b") in done.stdout, done.stderr
    drill = backup("restore-drill", "--from", str(tmp_path / "b"))
    assert drill.returncode == 0, drill.stderr
    report = json.loads(drill.stdout)
    assert report["clean"] and report["events_applied"]["reporting"] >= 1
