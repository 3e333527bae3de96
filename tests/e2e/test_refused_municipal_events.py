"""Refused municipal events against the running platform: the body sealed under its person's key
(in no dump of the gateway's schema), a list for ops without it, the DPO's read audited, erasure
and the retention period deleting the rows (issue 13, point 3)."""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import urlsplit

import psycopg2.errors
import pytest

from services.common.eventstore.setup import service_database
from services.portal_gateway import bootstrap
from tests.e2e.gateway_platform import GatewayPlatform, municipal_event

NOBODY = "00000000-0000-4000-8000-000000000000"


def refuse(gateway: GatewayPlatform, beneficiary: str, notes: str) -> dict:
    """A ServiceDelivered from Kalamata's municipal system, refused (no such service), notes and all."""
    key = gateway.publishers.add_api_key(f"dimos-{uuid.uuid4().hex[:6]}", "KK-KALAMATA")
    event = municipal_event(beneficiary)
    event["data"].update(service="teleportation", notes=notes)
    answer = gateway.client().post(
        "/ingest/events", {"events": [event]}, headers={"X-API-Key": key}
    )
    (result,) = answer.json()["results"]
    assert result["status"] == "rejected", result
    return result


def listed(gateway: GatewayPlatform, result: dict) -> dict:
    rows = gateway.client("ops").get("/ingest/rejected").json()["rejected"]
    return next(r for r in rows if r["digest"] == result["digest"])


def dump(admin_url: str, schema: str) -> str:
    parts = urlsplit(admin_url)
    return subprocess.run(
        [
            "pg_dump",
            "--host",
            parts.hostname or "127.0.0.1",
            "--port",
            str(parts.port or 5432),
            "--username",
            parts.username or "postgres",
            "--schema",
            schema,
            parts.path.lstrip("/"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def rows_of(gateway: GatewayPlatform, subject: str) -> int:
    return gateway.sql("SELECT count(*) FROM ingest_rejected WHERE subject_id = %s", subject)[0][0]


def test_a_refused_events_notes_are_in_no_dump_and_not_in_the_list_ops_read(gateway, admin_url):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    marker = f"HIV-θετικός-{uuid.uuid4().hex}"
    result = refuse(gateway, beneficiary, marker)
    too_long = refuse(gateway, beneficiary, marker * 100)  # jsonschema's message would quote it
    assert marker not in str(result) + str(too_long)
    for role in ("ops", "coordinator"):
        rows = gateway.client(role).get("/ingest/rejected").json()["rejected"]
        assert marker not in str(rows) and beneficiary not in str(rows)
        assert all("body" not in r for r in rows)
    row = listed(gateway, result)
    assert row["type"] == "ServiceDelivered" and row["body_kept"] and row["reasons"]
    dumped = dump(admin_url, gateway.settings.schema("portal_gateway"))
    assert row["digest"] in dumped and marker not in dumped  # the rows are there, the notes not


def test_only_the_dpo_reads_a_refused_events_body_and_the_read_is_audited(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    marker = f"σημείωση-{uuid.uuid4().hex}"
    row = listed(gateway, refuse(gateway, beneficiary, marker))
    for role in ("ops", "coordinator", "kalamata.head", "kalamata.worker"):
        assert gateway.client(role).get(f"/ingest/rejected/{row['id']}").status_code == 403
    found = gateway.client("dpo").get(f"/ingest/rejected/{row['id']}").json()
    assert found["body"]["data"]["notes"] == marker and found["subject_id"] == beneficiary
    views = gateway.client("dpo").get(f"/beneficiaries/{beneficiary}/audit").json()["views"]
    assert [(v["viewer"], v["purpose"]) for v in views] == [
        ("dpo", "ingest_rejected"),
        ("dpo", "audit"),
    ]
    assert views[0]["categories"] == ["contacts"] and not views[0]["refused"]


def test_an_event_naming_no_known_person_keeps_no_body(gateway):
    marker = f"σημείωση-{uuid.uuid4().hex}"
    row = listed(gateway, refuse(gateway, NOBODY, marker))
    assert not row["body_kept"]
    found = gateway.client("dpo").get(f"/ingest/rejected/{row['id']}").json()
    assert found["body"] is None and found["subject_id"] is None
    (sealed,) = gateway.sql("SELECT sealed FROM ingest_rejected WHERE id = %s", row["id"])
    assert sealed == (None,)


def test_erasing_the_person_deletes_their_refused_events(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    other = gateway.register("kalamata.worker", "MU-KALAMATA")
    row = listed(gateway, refuse(gateway, beneficiary, "θα διαγραφεί"))
    refuse(gateway, other, "μένει")
    erased = gateway.client("dpo").post(
        f"/beneficiaries/{beneficiary}/erasure", {"reason": "αίτημα του ίδιου"}
    )
    assert erased.status_code == 200, erased.text
    # the key is gone at once: the body cannot be read even before the row is deleted
    assert gateway.client("dpo").get(f"/ingest/rejected/{row['id']}").status_code == 410
    gateway.catch_up()  # PersonalDataErased reaches the timeline's consumer
    assert rows_of(gateway, beneficiary) == 0 and rows_of(gateway, other) == 1
    assert gateway.client("dpo").get(f"/ingest/rejected/{row['id']}").status_code == 404


def test_refused_events_past_the_retention_period_are_deleted(gateway):
    days = gateway.settings.refused_events_days  # 30 unless KENTRA_REFUSED_EVENTS_DAYS says
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    old = listed(gateway, refuse(gateway, beneficiary, "παλιό"))
    new = listed(gateway, refuse(gateway, beneficiary, "νέο"))
    gateway.sql(
        "UPDATE ingest_rejected SET received_at = now() - make_interval(days => %s, secs => 1)"
        " WHERE id = %s",
        days,
        old["id"],
    )
    shown = [r["id"] for r in gateway.client("ops").get("/ingest/rejected").json()["rejected"]]
    assert old["id"] not in shown and new["id"] in shown  # never shown past its time
    settings = gateway.settings
    db = service_database(settings, settings.schema("portal_gateway"), 1)
    try:
        assert bootstrap.ingest_store(db, settings).forget_expired() == 1  # the hourly timer's
    finally:
        db.close()
    remaining = [r[0] for r in gateway.sql("SELECT id FROM ingest_rejected")]
    assert old["id"] not in remaining and new["id"] in remaining


def test_the_timelines_role_may_delete_refused_events_but_read_only_whose_they_are(gateway):
    settings = gateway.settings
    table = f'"{settings.schema("portal_gateway")}".ingest_rejected'
    db = service_database(settings, settings.schema("timeline"), 1)
    try:
        with db.transaction() as cur:
            cur.execute(f"SELECT count(subject_id) FROM {table}")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            with db.transaction() as cur:
                cur.execute(f"SELECT sealed, reasons FROM {table}")
    finally:
        db.close()
