"""The beneficiary's timeline: one ordered, append-only path from the registry, intake and
referrals, built by the backbone consumer (so the lead centre, its mobile unit and the regional
portal all read the same rows, and `check` proves it against the sources). Its consumer process is
`services/portal_gateway/entrypoints/timeline_consumer.py`.

It lags the stores by design, so access is never decided from it (application/people.py asks the
services at the moment of each decision); it is only shown. It keeps an event's codes, dates and
ids, never its free text (a reason, a purpose, a recipient's typed name: any may hold a diagnosis
or name a person); a recipient's name is added when shown (`named`).
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path

import psycopg2.extras

from contracts.base import Text
from contracts.catalogue import EVENTS
from contracts.names import (
    ACTION_PLAN_CLOSED,
    ACTION_STEP_ADDED,
    ACTION_STEP_DONE,
    BENEFICIARY_REGISTERED,
    CONTACT_RECORDED,
    PERSONAL_DATA_ERASED,
)
from services.common.consumer import Projection, SourceEvent
from services.common.db import migrations_in
from services.portal_gateway.adapters import ingest_store

MET = (BENEFICIARY_REGISTERED, CONTACT_RECORDED)  # what puts a person in a municipality for a trip


class Timeline(Projection):
    name = "timeline"
    sources = ("registries", "intake", "referrals")
    migrations = migrations_in(Path(__file__).parent / "timeline_sql", "timeline_")

    def __init__(self, gateway_schema: str | None = None):
        """`gateway_schema`: where the gateway keeps refused municipal events, whose rows an
        erasure deletes (None: a timeline alone, as some tests build it)."""
        self.gateway_schema = gateway_schema

    def apply_batch(self, cur, events: list[SourceEvent]) -> None:
        rows = [
            (
                e.source,
                e.position,
                e.data["beneficiary_id"],
                e.stream,
                e.version,
                e.type,
                _occurred(e),
                e.metadata.get("site"),
                e.metadata.get("actor"),
                json.dumps(kept_of(e), ensure_ascii=False),
            )
            for e in events
            if e.data.get("beneficiary_id")
        ]  # network and directory events are no one's path
        if rows:
            psycopg2.extras.execute_values(
                cur, "INSERT INTO timeline VALUES %s ON CONFLICT DO NOTHING", rows
            )
        met = _met_in_municipality(events)
        if met:  # sorted: two batches never lock the same rows in opposite orders
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO met_in_municipality VALUES %s ON CONFLICT (municipality_code,"
                " beneficiary_id) DO UPDATE SET last_at = greatest(met_in_municipality.last_at,"
                " EXCLUDED.last_at)",
                sorted((*k, when) for k, when in met.items()),
            )
        erased = [e.data["beneficiary_id"] for e in events if e.type == PERSONAL_DATA_ERASED]
        if erased and self.gateway_schema:
            ingest_store.forget_subjects(cur, self.gateway_schema, erased)

    def reset(self, cur) -> None:
        cur.execute("DELETE FROM timeline; DELETE FROM met_in_municipality")


def _met_in_municipality(events: list[SourceEvent]) -> dict[tuple[str, str], datetime]:
    """(municipality, person) -> the latest moment in this batch they were registered or met there."""
    met: dict[tuple[str, str], datetime] = {}
    for e in events:
        if e.type in MET and e.data.get("municipality_code") and e.data.get("beneficiary_id"):
            key, when = (e.data["municipality_code"], e.data["beneficiary_id"]), _occurred(e)
            met[key] = max(met.get(key, when), when)
    return met


@functools.cache
def free_text(event_type: str) -> frozenset[str]:
    """The event's fields typed freely by a person (contracts' `Text`) or declared personal: never
    kept here, even from an event stored before its contract sealed them."""
    contract = EVENTS.get(event_type)
    if contract is None:
        return frozenset()
    fields = contract.schema._declared_fields.items()
    return frozenset(n for n, f in fields if isinstance(f, Text) or f.metadata.get("personal"))


def kept_of(e: SourceEvent) -> dict:
    return {k: v for k, v in e.data.items() if k not in free_text(e.type)}


def named(steps: list[dict], referrals: list[dict]) -> list[dict]:
    """Each referral's step with its recipient's name as the referrals service reads it now."""
    names = {r["referral_id"]: r["recipient_name"] for r in referrals}
    for s in steps:
        if "recipient_id" in s["data"]:
            given = names.get(s["data"].get("referral_id"))
            s["data"]["recipient_name"] = given or s["data"]["recipient_id"]
    return steps


def _occurred(e: SourceEvent) -> datetime:
    """When it happened (a mobile unit syncing later says so), else when it was stored."""
    when = e.metadata.get("occurred_at")
    return datetime.fromisoformat(when) if when else e.recorded_at


def path(db, beneficiary_ids: list[str]) -> list[dict]:
    with db.transaction() as cur:
        cur.execute(
            "SELECT source, position, beneficiary_id::text, stream, version, type, occurred_at, site, actor,"
            " data FROM timeline WHERE beneficiary_id = ANY(%s::uuid[])"
            " ORDER BY occurred_at, source, position",
            (beneficiary_ids,),
        )
        keys = (
            "source",
            "position",
            "beneficiary_id",
            "stream",
            "version",
            "type",
            "occurred_at",
            "site",
            "actor",
            "data",
        )
        return [
            {**dict(zip(keys, r, strict=True)), "occurred_at": r[6].isoformat()}
            for r in cur.fetchall()
        ]


def recent(db, event_type: str, since: datetime, actor: str | None = None) -> list[dict]:
    """Steps of one type since a moment, newest first (an actor's own, if named): what the roles'
    home pages list (today's contacts of a worker, the DPO's recent erasures)."""
    with db.transaction() as cur:
        cur.execute(
            "SELECT beneficiary_id::text, occurred_at, site, actor, data FROM timeline"
            " WHERE type = %s AND occurred_at >= %s AND (%s::text IS NULL OR actor = %s)"
            " ORDER BY occurred_at DESC LIMIT 200",
            (event_type, since, actor, actor),
        )
        keys = ("beneficiary_id", "occurred_at", "site", "actor", "data")
        return [
            {**dict(zip(keys, r, strict=True)), "occurred_at": r[1].isoformat()}
            for r in cur.fetchall()
        ]


def steps_due(db, sites: list[str], until: str) -> list[dict]:
    """Action plan steps added at these sites, due by `until` (ISO date), that are neither done nor
    in a plan since closed, soonest first: what a case worker's home lists. The timeline keeps a
    step's ids and due date, never its description."""
    with db.transaction() as cur:
        cur.execute(
            "SELECT a.beneficiary_id::text, a.site, a.data->>'plan_id', a.data->>'step_id',"
            " a.data->>'due_on' FROM timeline a"
            " WHERE a.type = %s AND a.site = ANY(%s) AND (a.data->>'due_on')::date <= %s::date"
            " AND NOT EXISTS (SELECT 1 FROM timeline d WHERE d.beneficiary_id = a.beneficiary_id"
            "  AND d.type = %s AND d.data->>'plan_id' = a.data->>'plan_id'"
            "  AND d.data->>'step_id' = a.data->>'step_id')"
            " AND NOT EXISTS (SELECT 1 FROM timeline c WHERE c.beneficiary_id = a.beneficiary_id"
            "  AND c.type = %s AND c.data->>'plan_id' = a.data->>'plan_id')"
            " ORDER BY (a.data->>'due_on')::date, a.occurred_at LIMIT 200",
            (ACTION_STEP_ADDED, sites, until, ACTION_STEP_DONE, ACTION_PLAN_CLOSED),
        )
        keys = ("beneficiary_id", "site", "plan_id", "step_id", "due_on")
        return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]


def met_in(db, municipalities: list[str], limit: int) -> list[dict]:
    """People registered or met (a contact) in these municipalities, most recently there first,
    with the day of their latest contact anywhere; never an erased person's record. Candidates
    only: who may be shown is decided from the services' facts (application/people.py). Read from
    one row per person and municipality (`met_in_municipality`), never from every contact: the
    latest contact's day is looked up for the `limit` people returned only."""
    with db.transaction() as cur:
        cur.execute(
            "SELECT m.beneficiary_id::text, m.last_at,"
            " (SELECT max((c.data->>'occurred_on')::date) FROM timeline c"
            "  WHERE c.beneficiary_id = m.beneficiary_id AND c.type = %s)"
            " FROM (SELECT beneficiary_id, max(last_at) AS last_at FROM met_in_municipality"
            "  WHERE municipality_code = ANY(%s) GROUP BY beneficiary_id) m"
            " WHERE NOT EXISTS (SELECT 1 FROM timeline e WHERE e.beneficiary_id = m.beneficiary_id"
            "  AND e.type = %s)"
            " ORDER BY m.last_at DESC, m.beneficiary_id LIMIT %s",
            (CONTACT_RECORDED, municipalities, PERSONAL_DATA_ERASED, limit),
        )
        return [
            {"beneficiary_id": r[0], "last_met_on": r[2].isoformat() if r[2] else None}
            for r in cur.fetchall()
        ]


def applied_up_to(db, source: str) -> int:
    """How far into a source's events the timeline has applied (its consumer's checkpoint, in the
    read model's transaction with the rows): every event at or before it is on the timeline."""
    with db.transaction() as cur:
        cur.execute(
            "SELECT position FROM consumer_positions WHERE consumer = %s AND source = %s",
            (Timeline.name, source),
        )
        row = cur.fetchone()
    return row[0] if row else 0
