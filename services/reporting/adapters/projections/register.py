"""The daily register, caseloads, coverage, the referral flow and the operations' targets, built
by the backbone consumer from every source (rebuildable from zero). Counts and pseudonyms only
(adapters/pseudonyms.py): the register never holds a beneficiary id, a name, a number or a
special-category field, and a recipient is kept by its code (its name is the directory's)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import psycopg2.extras

from contracts.names import (
    BENEFICIARY_REGISTERED,
    CENTRE_REGISTERED,
    CONTACT_RECORDED,
    MOBILE_UNIT_REGISTERED,
    REFERRAL_ACCEPTED,
    REFERRAL_COMPLETED,
    REFERRAL_EXPIRED,
    REFERRAL_RECEIVED,
    REFERRAL_REJECTED,
    REFERRAL_REQUESTED,
    REFERRAL_SENT,
    REFERRAL_WITHDRAWN,
    SERVICE_DELIVERED,
)
from contracts.referrals import ANSWER_DATES, ENDING_DATES
from services.common.consumer import SourceEvent
from services.reporting.adapters.projections.daily_activity import local_day
from services.reporting.adapters.pseudonyms import Pseudonyms

ANSWERS = {
    REFERRAL_RECEIVED: "received",
    REFERRAL_ACCEPTED: "accepted",
    REFERRAL_REJECTED: "rejected",
}
ENDINGS = {
    REFERRAL_REJECTED: "rejected",
    REFERRAL_COMPLETED: "completed",
    REFERRAL_WITHDRAWN: "withdrawn",
    REFERRAL_EXPIRED: "expired",
}  # what state each leaves the referral in
RECIPIENTS = ("recipient_kind", "recipient_id", "need")  # by code: names are the directory's


def counts_of(events: list[SourceEvent]) -> Counter:
    """(day, site, measure, key) -> how many, for one batch."""
    found: Counter = Counter()
    for e in events:
        day, site, d = local_day(e), e.metadata.get("site", "?"), e.data
        if e.type == BENEFICIARY_REGISTERED:
            found[(day, site, "new_beneficiaries", "")] += 1
        elif e.type == CONTACT_RECORDED:
            found[(day, site, "contacts_by_channel", d["channel"])] += 1
            found[(day, site, "contacts_by_municipality", d["municipality_code"])] += 1
        elif e.type == SERVICE_DELIVERED:
            found[(day, site, "services_by_type", d["service"])] += 1
        elif e.type == REFERRAL_SENT:
            found[(day, site, "referrals_sent", "")] += 1
        elif e.type in (REFERRAL_ACCEPTED, REFERRAL_REJECTED):
            found[(day, site, "referrals_answered", ANSWERS[e.type])] += 1
    return found


def month_of(day: date) -> date:
    return day.replace(day=1)


def apply_register(cur, events: list[SourceEvent], pseudonyms: Pseudonyms) -> None:
    counts = counts_of(events)
    _add(cur, "register_count", ("day", "site", "measure", "key"), "n", counts)
    by_month: Counter = Counter()
    for (day, *rest), n in counts.items():
        by_month[(month_of(day), *rest)] += n
    _add(cur, "register_month", ("month", "site", "measure", "key"), "n", by_month)
    # the frequent kinds in one statement per batch; the rare ones one by one, in order
    homes = {
        e.data["beneficiary_id"]: (
            pseudonyms.of(e.data["beneficiary_id"]),
            e.data["municipality_code"],
            e.data["site"],
            local_day(e),
        )
        for e in reversed(events)
        if e.type == BENEFICIARY_REGISTERED
    }
    worked_with = {
        (e.data["staff_id"], e.data["site"], pseudonyms.of(e.data["beneficiary_id"]))
        for e in events
        if e.type in (CONTACT_RECORDED, SERVICE_DELIVERED)
    }
    # the totals count what was inserted, not what was offered: a redelivery inserts nothing
    if homes:
        added = psycopg2.extras.execute_values(
            cur,
            "INSERT INTO beneficiary_home VALUES %s ON CONFLICT DO NOTHING"
            " RETURNING site, registered_on",
            list(homes.values()),
            fetch=True,
        )
        months = Counter((site, month_of(day)) for site, day in added)
        _add(cur, "home_month", ("site", "month"), "n", months)
    if worked_with:
        added = psycopg2.extras.execute_values(
            cur,
            "INSERT INTO caseload VALUES %s ON CONFLICT DO NOTHING RETURNING site, staff_id",
            sorted(worked_with),
            page_size=1000,
            fetch=True,
        )
        _add(cur, "caseload_count", ("site", "staff_id"), "beneficiaries", Counter(added))
    for e in events:
        _apply_one(cur, e)


def _add(cur, table: str, key: tuple[str, ...], total: str, counts: Counter) -> None:
    """Adds each count to its row's total. Names are this module's constants, never input."""
    if counts:
        psycopg2.extras.execute_values(
            cur,
            f"INSERT INTO {table} ({', '.join((*key, total))}) VALUES %s"
            f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {total} = {table}.{total} + EXCLUDED.{total}",
            [(*k, c) for k, c in sorted(counts.items())],
            page_size=1000,
        )


def _apply_one(cur, e: SourceEvent) -> None:
    d = e.data
    if e.type == CENTRE_REGISTERED:
        cur.execute(
            "INSERT INTO operation VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (site) DO NOTHING",
            (
                d["site"],
                d["operation_mis"],
                d["lead_municipality_code"],
                d["period_start"],
                d["period_end"],
                d["target_new_beneficiaries"],
            ),
        )
        cur.execute(
            "INSERT INTO site_centre VALUES (%s, %s) ON CONFLICT DO NOTHING", (d["site"], d["site"])
        )
    elif e.type == MOBILE_UNIT_REGISTERED:
        cur.execute(
            "INSERT INTO site_centre VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (d["site"], d["parent_centre"]),
        )
    elif e.type == REFERRAL_REQUESTED:
        cur.execute(
            "INSERT INTO referral_flow (referral_id, from_site, recipient_kind, recipient_id, need, state)"
            " VALUES (%s, %s, %s, %s, %s, 'requested') ON CONFLICT DO NOTHING",
            (d["referral_id"], d["from_site"], *(d[k] for k in RECIPIENTS)),
        )
    elif e.type == REFERRAL_SENT:
        cur.execute(
            "UPDATE referral_flow SET state = 'sent', sent_on = %s, due_on = %s WHERE referral_id = %s",
            (d["sent_on"], d.get("due_on"), d["referral_id"]),
        )
    if e.type in ANSWERS:
        on = d[ANSWER_DATES[e.type]]
        cur.execute(
            "UPDATE referral_flow SET state = %s, first_response_on = coalesce(first_response_on, %s)"
            " WHERE referral_id = %s",
            (ANSWERS[e.type], on, d["referral_id"]),
        )
    if e.type in ENDINGS:
        on = d[ENDING_DATES[e.type]]
        cur.execute(
            "UPDATE referral_flow SET state = %s, closed_on = %s WHERE referral_id = %s",
            (ENDINGS[e.type], on, d["referral_id"]),
        )


def reset_register(cur) -> None:
    cur.execute(
        "DELETE FROM register_count; DELETE FROM caseload; DELETE FROM beneficiary_home;"
        " DELETE FROM register_month; DELETE FROM caseload_count; DELETE FROM home_month;"
        " DELETE FROM referral_flow; DELETE FROM operation; DELETE FROM site_centre"
    )
