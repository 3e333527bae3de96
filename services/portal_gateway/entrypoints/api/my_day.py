"""A case worker's day, for their home page: the contacts they recorded today and the open action
plans' steps falling due at their network's sites (from the timeline), and the referrals their
network sent that were answered in the last days (from the referrals service). Each person is
named only if the worker may see them now, and each name shown is audited like a row of search
results."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from contracts import api as api_contract
from contracts.names import CONTACT_RECORDED
from services.common.clock import GREECE, today_in_greece
from services.portal_gateway.adapters import timeline
from services.portal_gateway.application.people import person_facts
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import Call, Routes

api = Routes()

ANSWERED_DAYS = 7  # how far back the home page shows answered referrals
STEPS_DAYS = 7  # how far ahead it shows the action plans' steps falling due (and every late one)


def _named(call: Call, rows: list[dict]) -> list[dict]:
    """The rows of people the caller may see now, with their names (each read audited)."""
    shown, names = [], {}
    for row in rows:
        beneficiary_id = row["beneficiary_id"]
        if beneficiary_id not in names:
            names[beneficiary_id] = _name(call, beneficiary_id)
        name = names[beneficiary_id]
        if name is not None:
            shown.append({**row, **name})
    return shown


def _name(call: Call, beneficiary_id: str) -> dict | None:
    if not access.in_network(call.principal, person_facts(call.backends, beneficiary_id)):
        return None
    found = call.backends.registries.beneficiary(beneficiary_id)
    if found is None:
        return None
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["identity"], None, False, purpose="search"
    )
    registered = found["registered"]
    return {
        "given_name": registered.get("given_name"),
        "family_name": registered.get("family_name"),
    }


@api.route(
    "GET",
    "/my-day",
    "Your day (staff): the contacts you recorded today, the open action plans' steps due within"
    " 7 days (or late) at your network's sites, and the referrals your network sent that were"
    " answered in the last 7 days, each with the person's name",
    tag="beneficiaries",
    allow=access.is_staff,
    answers=api_contract.MyDay,
)
def my_day(call: Call):
    today = today_in_greece()
    morning = datetime.combine(today, time(0), GREECE)
    contacts = timeline.recent(
        call.backends.timeline_db, CONTACT_RECORDED, morning, call.principal.username
    )
    until = (today + timedelta(days=STEPS_DAYS)).isoformat()
    steps = timeline.steps_due(call.backends.timeline_db, sorted(call.principal.network), until)
    since = (today - timedelta(days=ANSWERED_DAYS)).isoformat()
    answered = call.backends.referrals.answered_referrals(sorted(call.principal.network), since)
    return {
        "contacts_today": _named(
            call,
            [
                {
                    "beneficiary_id": c["beneficiary_id"],
                    "at": c["occurred_at"],
                    "site": c["site"],
                    "channel": c["data"].get("channel"),
                }
                for c in contacts
            ],
        ),
        "steps_due": _named(call, steps),
        "answered_referrals": _named(
            call, [r for r in answered if access.see_referral(call.principal, r)]
        ),
    }
