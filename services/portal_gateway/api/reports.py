"""What heads of centre and the regional coordinator read: aggregates, never personal files."""
from __future__ import annotations

from services.common.privacy import suppress_small
from services.portal_gateway import access, timeline
from services.portal_gateway.api.framework import Call, forbidden, route

TAG = "reports"


@route("GET", "/sites/<site>/daily-register", "A centre's or mobile unit's daily register", tag=TAG)
def daily_register(call: Call):
    site = call.args["site"]
    if not access.see_aggregates(call.principal, site):
        raise forbidden("the daily register is for the head of that centre and the regional coordinator")
    return {"site": site, "days": call.backends.reporting.daily_activity(site)}


@route("GET", "/overview", "The region at a glance: activity by site, referrals flow and response times", tag=TAG)
def overview(call: Call):
    if call.principal.role != "regional_coordinator":
        raise forbidden("the regional overview is for the regional coordinator")
    by_site: dict[str, int] = {}
    for row in call.backends.reporting.daily_activity(None):
        by_site[row["site"]] = by_site.get(row["site"], 0) + row["events"]
    open_referrals: dict[str, int] = {}
    for r in call.backends.referrals.open_referrals(None, None):
        key = f"{r['from_site']} -> {r['recipient_name']}"
        open_referrals[key] = open_referrals.get(key, 0) + 1
    # it leaves the centres: counts of 1-4 are shown as "<5"
    contacts = timeline.contacts_by_municipality(call.backends.timeline_db)
    return {"activity_by_site": suppress_small(by_site), "open_referrals_by_route": suppress_small(open_referrals),
            "contacts_by_municipality": suppress_small(contacts),
            "response_times": call.backends.referrals.response_times(None)}
