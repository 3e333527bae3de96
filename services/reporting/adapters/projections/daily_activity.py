"""Daily activity per site and kind of event: the first brick of the daily register."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import psycopg2.extras

from services.common.clock import GREECE
from services.common.consumer import SourceEvent


def local_day(event: SourceEvent):
    """The day it happened in Greece (a mobile unit syncing late says when: occurred_at)."""
    when = event.metadata.get("occurred_at")
    moment = datetime.fromisoformat(when) if when else event.recorded_at
    return (moment.astimezone(GREECE) if moment.tzinfo else moment).date()


def apply_daily_activity(cur, events: list[SourceEvent]) -> None:
    counts = Counter((local_day(e), e.source, e.metadata.get("site", "?"), e.type) for e in events)
    if counts:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO daily_activity (day, source, site, event_type, events) VALUES %s"
            " ON CONFLICT (day, source, site, event_type)"
            " DO UPDATE SET events = daily_activity.events + EXCLUDED.events",
            [(*key, n) for key, n in sorted(counts.items())],
            page_size=1000,
        )


def activity(cur, site: str | None = None) -> list[dict]:
    cur.execute(
        "SELECT day, source, site, event_type, events FROM daily_activity"
        " WHERE (%s::text IS NULL OR site = %s) ORDER BY day, source, site, event_type",
        (site, site),
    )
    return [
        {"day": d.isoformat(), "source": s, "site": st, "event_type": t, "events": n}
        for d, s, st, t, n in cur.fetchall()
    ]
