"""The audit of reads cannot be changed unseen: an administrator (or whoever got the database's
superuser) edits, removes or rewrites rows, and the verification command, run as an operator
runs it, names the first row that breaks. The gateway's own role cannot change the audit at all."""

from __future__ import annotations

import base64
import dataclasses
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

from services.common.db import drop_platform, role_url
from services.common.eventstore.hashing import canonical_json, chain_hash
from services.common.eventstore.setup import service_role
from services.portal_gateway import bootstrap
from services.portal_gateway.adapters.audit import Audit
from services.portal_gateway.domain.access import Principal

ROOT = Path(__file__).resolve().parents[2]
DPO = Principal("dpo", "dpo")
HEAD = Principal("kalamata.head", "head_of_centre", "KK-KALAMATA")


@dataclasses.dataclass
class Platform:
    settings: object
    admin_url: str
    schema: str
    people: list[str]

    def verify(self) -> subprocess.CompletedProcess:
        """`python -m services.portal_gateway.entrypoints.audit_cli verify`, in its own process,
        with what an operator has: the database without a login, the gateway's role, the key."""
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "KENTRA_DATABASE_URL": self.settings.database_url,
            "KENTRA_SCHEMA_PREFIX": self.settings.schema_prefix,
            "KENTRA_AUDIT_KEY": base64.b64encode(self.settings.audit_key).decode(),
        }
        env.pop("KENTRA_ADMIN_DATABASE_URL", None)
        return subprocess.run(
            [sys.executable, "-m", "services.portal_gateway.entrypoints.audit_cli", "verify"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def as_admin(self, *statements: tuple[str, tuple]) -> None:
        """The administrator, past the append-only trigger (which the log would show)."""
        conn = psycopg2.connect(self.admin_url)
        with conn, conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{self.schema}"')
            cur.execute("ALTER TABLE events DISABLE TRIGGER events_append_only")
            for statement, args in statements:
                cur.execute(statement, args)
            cur.execute("ALTER TABLE events ENABLE TRIGGER events_append_only")
        conn.close()

    def rows(self, stream: str) -> list[tuple]:
        conn = psycopg2.connect(self.admin_url, options=f"-c search_path={self.schema}")
        with conn.cursor() as cur:
            cur.execute(
                "SELECT position, stream, version, event_id, type, schema_version, data, personal,"
                " subject_id, metadata, recorded_at, hash FROM events WHERE stream = %s"
                " ORDER BY version",
                (stream,),
            )
            found = cur.fetchall()
        conn.close()
        return found

    def rechain(self, stream: str, key: bytes | None) -> None:
        """What someone who can write the table does to hide an edit: every hash of the stream
        recomputed, with plain SHA-256 (the old chain) or a key of their own."""
        prev, updates = "0" * 64, []
        for (
            position,
            stream_,
            version,
            event_id,
            type_,
            sv,
            data,
            sealed,
            subject,
            meta,
            at,
            _,
        ) in self.rows(stream):
            prev = chain_hash(
                prev,
                stream=stream_,
                version=version,
                event_id=str(event_id),
                type=type_,
                schema_version=sv,
                data_json=canonical_json(data),
                sealed_personal=bytes(sealed) if sealed else None,
                subject_id=str(subject) if subject else None,
                metadata_json=canonical_json(meta),
                recorded_at=at,
                key=key,
            )
            updates.append(("UPDATE events SET hash = %s WHERE position = %s", (prev, position)))
        self.as_admin(*updates)


@pytest.fixture
def audited(admin_url, settings):
    """A gateway store, migrated, with five views of three people's records (the last two
    streams' last events are the store's last events)."""
    own = dataclasses.replace(settings, schema_prefix=f"a{uuid.uuid4().hex[:8]}_")
    bootstrap.migrate(admin_url, own)
    store, db = bootstrap.open_store(own, max_connections=2)
    audit, people = Audit(store), [str(uuid.uuid4()) for _ in range(3)]
    for viewer, person in ((DPO, 0), (HEAD, 0), (DPO, 1), (HEAD, 1), (HEAD, 2)):
        audit.record_viewed(viewer, people[person], ["identity"], None, False)
    yield Platform(own, admin_url, own.schema(bootstrap.SERVICE), people)
    db.close()
    drop_platform(admin_url, own.schema_prefix)


def test_an_untouched_audit_verifies_and_prints_its_seal(audited):
    done = audited.verify()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("audit intact: 5 events in 3 streams; sealed at position 5: ")


def test_a_changed_row_is_named(audited):
    first = audited.rows(f"audit-{audited.people[0]}")[0]
    audited.as_admin(
        (
            "UPDATE events SET data = jsonb_set(data, '{viewer}', '\"someone-else\"')"
            " WHERE position = %s",
            (first[0],),
        )
    )
    done = audited.verify()
    assert done.returncode == 1
    assert f"audit BROKEN: position {first[0]} (stream audit-{audited.people[0]}, version 1" in (
        done.stderr
    )


def test_a_row_removed_from_the_middle_of_a_stream_is_named(audited):
    first, second = audited.rows(f"audit-{audited.people[0]}")
    audited.as_admin(("DELETE FROM events WHERE position = %s", (first[0],)))
    done = audited.verify()
    assert done.returncode == 1
    assert f"position {second[0]} " in done.stderr and "version 1 was removed" in (done.stderr)


def test_the_last_row_of_the_store_removed_is_seen(audited):
    """A break-the-glass view deleted right after it was recorded: every stream's chain is still
    whole, the seal is not."""
    (last,) = audited.rows(f"audit-{audited.people[2]}")
    audited.as_admin(("DELETE FROM events WHERE position = %s", (last[0],)))
    done = audited.verify()
    assert done.returncode == 1
    assert f"covers the events up to position {last[0]}" in done.stderr


def test_the_last_row_of_a_stream_removed_mid_store_is_seen_with_the_hole_it_left(audited):
    _, last_of_first = audited.rows(f"audit-{audited.people[0]}")
    audited.as_admin(("DELETE FROM events WHERE position = %s", (last_of_first[0],)))
    done = audited.verify()
    assert done.returncode == 1
    assert "the seal does not match" in done.stderr
    assert f"Positions missing from the store: {last_of_first[0]} " in done.stderr


@pytest.mark.parametrize(
    "key", [None, os.urandom(32)], ids=["plain sha-256", "the attacker's own key"]
)
def test_a_changed_row_whose_chain_is_recomputed_without_the_key_is_still_named(audited, key):
    stream = f"audit-{audited.people[1]}"
    first = audited.rows(stream)[0]
    audited.as_admin(
        (
            "UPDATE events SET data = jsonb_set(data, '{break_glass}', 'true') WHERE position = %s",
            (first[0],),
        )
    )
    audited.rechain(stream, key)
    done = audited.verify()
    assert done.returncode == 1
    assert f"position {first[0]} (stream {stream}, version 1" in done.stderr


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {s}.events SET data = '{{}}'",
        "DELETE FROM {s}.events",
        "TRUNCATE {s}.events",
        "DELETE FROM {s}.audit_seal",
        "INSERT INTO {s}.audit_seal (one, position, seal) VALUES (false, 0, '')",
    ],
)
def test_the_gateways_own_role_cannot_change_the_audit(audited, statement):
    conn = psycopg2.connect(role_url(audited.settings.database_url, service_role(audited.schema)))
    conn.autocommit = True
    with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute(statement.format(s=f'"{audited.schema}"'))
    conn.close()
    assert audited.verify().returncode == 0
