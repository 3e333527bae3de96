"""The referrals read side, kept in the append's transaction: an agency's inbox shows a referral
the moment it is sent, and the expiry check never reads a stale state. A recipient is kept by its
code; its name is read when shown (`named`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from contracts.names import REFERRAL_REQUESTED, REFERRAL_SENT, REFERRAL_SHARING_STOPPED
from contracts.referrals import ANSWER_DATES, ENDING_DATES
from services.common.db import migrations_in
from services.referrals.domain.referral import STATE_AFTER

MIGRATIONS = migrations_in(Path(__file__).parent / "sql", "referrals_")
COLUMNS = (
    "referral_id",
    "beneficiary_id",
    "from_site",
    "need",
    "recipient_kind",
    "recipient_id",
    "consent_recipient",
    "state",
    "requested_on",
    "sent_on",
    "due_on",
    "first_response_on",
    "closed_on",
    "outcome",
    "sharing_stopped",
    "version",
)


@dataclass(frozen=True)
class InboxFilters:
    """What an inbox asks for: a state (else the open ones), due by a day, only the overdue, and
    which page of how many."""

    state: str | None = None
    due_by: date | None = None
    overdue: bool = False
    page: int = 1
    per_page: int = 20


def named(rows: list[dict], directory: dict[str, str], as_requested) -> list[dict]:
    """Each referral with `recipient_name`, read now: the directory's name of an agency or a
    programme (`directory`: id -> name), else the name its request gave (a centre, an external
    recipient), from the referral's own stream (`as_requested(referral_id)`)."""
    for r in rows:
        r["recipient_name"] = directory.get(r["recipient_id"]) or as_requested(r["referral_id"])
    return rows


class ReferralView:
    def __call__(self, cur, events) -> None:
        for e in events:
            d, rid = e.data, e.data.get("referral_id")
            if rid and e.type != REFERRAL_REQUESTED:
                cur.execute(
                    "UPDATE referral_view SET version = %s WHERE referral_id = %s", (e.version, rid)
                )
            if e.type == REFERRAL_REQUESTED:
                cur.execute(
                    "INSERT INTO referral_view (referral_id, beneficiary_id, from_site, need, recipient_kind,"
                    " recipient_id, consent_recipient, state, requested_on)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    (
                        rid,
                        d["beneficiary_id"],
                        d["from_site"],
                        d["need"],
                        d["recipient_kind"],
                        d["recipient_id"],
                        d["consent_recipient"] or d["recipient_id"],
                        "requested",
                        d["requested_on"],
                    ),
                )
                continue
            if e.type == REFERRAL_SHARING_STOPPED:
                cur.execute(
                    "UPDATE referral_view SET sharing_stopped = true WHERE referral_id = %s", (rid,)
                )
                continue
            if e.type not in STATE_AFTER:
                continue
            cur.execute(
                "UPDATE referral_view SET state = %s WHERE referral_id = %s",
                (STATE_AFTER[e.type], rid),
            )
            if e.type == REFERRAL_SENT:
                cur.execute(
                    "UPDATE referral_view SET sent_on = %s, due_on = %s WHERE referral_id = %s",
                    (d["sent_on"], d["due_on"], rid),
                )
            if e.type in ANSWER_DATES:
                cur.execute(
                    "UPDATE referral_view SET first_response_on = coalesce(first_response_on, %s)"
                    " WHERE referral_id = %s",
                    (d[ANSWER_DATES[e.type]], rid),
                )
            if e.type in ENDING_DATES:
                cur.execute(
                    "UPDATE referral_view SET closed_on = %s, outcome = %s WHERE referral_id = %s",
                    (d[ENDING_DATES[e.type]], d.get("outcome") or STATE_AFTER[e.type], rid),
                )

    @staticmethod
    def _select(db, where: str, args: tuple | dict, ordered: bool = True) -> list[dict]:
        order = " ORDER BY requested_on, referral_id" if ordered else ""
        with db.transaction() as cur:
            cur.execute(
                f"SELECT {', '.join(COLUMNS)} FROM referral_view WHERE {where}{order}", args
            )
            return [
                {
                    k: (
                        v.isoformat()
                        if isinstance(v, date)
                        else str(v)
                        if k.endswith("_id") and v
                        else v
                    )
                    for k, v in zip(COLUMNS, row, strict=True)
                }
                for row in cur.fetchall()
            ]

    @classmethod
    def one(cls, db, referral_id: str) -> list[dict]:
        return cls._select(db, "referral_id = %s::uuid", (referral_id,))

    @classmethod
    def of_beneficiary(cls, db, beneficiary_ids: list[str]) -> list[dict]:
        return cls._select(db, "beneficiary_id = ANY(%s::uuid[])", (beneficiary_ids,))

    @classmethod
    def open(cls, db, recipient_id: str | None = None, from_site: str | None = None) -> list[dict]:
        return cls._select(
            db,
            "closed_on IS NULL AND (%s::text IS NULL OR recipient_id = %s)"
            " AND (%s::text IS NULL OR from_site = %s)",
            (recipient_id, recipient_id, from_site, from_site),
        )

    @classmethod
    def inbox(cls, db, parties: list[str], filters: InboxFilters, today: date) -> dict:
        """A page of the referrals a party takes part in (as recipient, as the agency whose
        consent covers it, or as the sending site), never one not yet sent: nobody has been asked
        anything until it is. Without a state, the open ones; `overdue`: past due, unanswered."""
        where = (
            "state <> 'requested'"
            " AND (recipient_id = ANY(%(p)s) OR consent_recipient = ANY(%(p)s)"
            " OR from_site = ANY(%(p)s))"
            " AND (CASE WHEN %(state)s::text IS NULL THEN closed_on IS NULL"
            " ELSE state = %(state)s END)"
            " AND (%(due_by)s::date IS NULL OR due_on <= %(due_by)s)"
            " AND (NOT %(overdue)s OR (state IN ('sent', 'received') AND due_on < %(today)s))"
        )
        args = {
            "p": parties,
            "state": filters.state,
            "due_by": filters.due_by,
            "overdue": filters.overdue,
            "today": today,
        }
        with db.transaction() as cur:
            cur.execute(f"SELECT count(*) FROM referral_view WHERE {where}", args)
            (total,) = cur.fetchone()
        rows = cls._select(
            db,
            f"{where} ORDER BY due_on NULLS LAST, sent_on, referral_id"
            " LIMIT %(limit)s OFFSET %(offset)s",
            {**args, "limit": filters.per_page, "offset": (filters.page - 1) * filters.per_page},
            ordered=False,
        )
        return {"total": total, "referrals": rows}

    @classmethod
    def answered(cls, db, from_sites: list[str], since: date) -> list[dict]:
        """Referrals sent from these sites that the recipient answered (accepted, rejected or
        reported on) since a day: what the senders' home pages show."""
        return cls._select(
            db,
            "from_site = ANY(%s) AND state IN ('accepted', 'rejected', 'completed')"
            " AND GREATEST(first_response_on, closed_on) >= %s",
            (from_sites, since),
        )

    @classmethod
    def overdue(cls, db, today: date) -> list[dict]:
        return cls._select(db, "state IN ('sent', 'received') AND due_on < %s", (today,))

    @staticmethod
    def response_times(db, from_site: str | None = None) -> dict:
        """Median days from sending to the first response and to the outcome, over answered referrals."""
        with db.transaction() as cur:
            cur.execute(
                "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_on - sent_on),"
                " percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - sent_on)"
                " FILTER (WHERE state IN ('completed', 'rejected'))"
                " FROM referral_view WHERE sent_on IS NOT NULL AND (%s::text IS NULL OR from_site = %s)",
                (from_site, from_site),
            )
            sent, to_response, to_outcome = cur.fetchone()
        return {
            "sent": sent,
            "median_days_to_first_response": to_response,
            "median_days_to_outcome": to_outcome,
        }
