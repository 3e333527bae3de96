"""The beneficiary's timeline: one ordered, append-only path from the registry, intake and
referrals, built by the backbone consumer (so the lead centre, its mobile unit and the regional
portal all read the same rows, and `check` proves it against the sources). Its consumer process is
`services/portal_gateway/entrypoints/timeline_consumer.py`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import psycopg2.extras

from contracts.names import CASE_TRANSFERRED, REFERRAL_REQUESTED
from services.common.consumer import Projection, SourceEvent
from services.common.db import migrations_in
from services.portal_gateway.domain.access import PersonFacts


class Timeline(Projection):
    name = "timeline"
    sources = ("registries", "intake", "referrals")
    migrations = migrations_in(Path(__file__).parent / "timeline_sql", "timeline_")

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
                json.dumps(e.data, ensure_ascii=False),
            )
            for e in events
            if e.data.get("beneficiary_id")
        ]  # network and directory events are no one's path
        if rows:
            psycopg2.extras.execute_values(
                cur, "INSERT INTO timeline VALUES %s ON CONFLICT DO NOTHING", rows
            )

    def reset(self, cur) -> None:
        cur.execute("DELETE FROM timeline")


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


def facts(db, beneficiary_ids: list[str]) -> PersonFacts:
    return facts_of(path(db, beneficiary_ids))


def facts_of(steps: list[dict]) -> PersonFacts:
    """Where this person has been met, from their path: what the access policy decides on."""
    sites, referred, transferred = set(), set(), set()
    for step in steps:
        if step["site"]:
            sites.add(step["site"])
        # another centre sees the person through a referral they consented to share with it
        if (
            step["type"] == REFERRAL_REQUESTED
            and step["data"].get("recipient_kind") == "centre"
            and step["data"].get("shares_personal_data")
        ):
            referred.add(step["data"]["recipient_id"])
        if step["type"] == CASE_TRANSFERRED:
            transferred.add(step["data"]["to_site"])
    return PersonFacts(frozenset(sites), frozenset(referred), frozenset(transferred))
