"""A mobile unit's day's work, downloaded before a trip: which municipalities the worker's site
serves, which people of those municipalities the worker may take offline (decided like every
read, from the services' facts at this moment), and what a referral recorded offline may name.

Minimisation for a device that may be lost on the road: a person goes offline with their
identity, contact, case (version, state, open plan) and the recipients their consent covers,
never the needs assessment (special-category data), not even for a case worker who may read it
at the centre."""

from __future__ import annotations

from contracts.directory import NEEDS
from contracts.geography import in_regional_unit, known_municipality
from services.portal_gateway.adapters import timeline
from services.portal_gateway.application.people import Person
from services.portal_gateway.application.people import people as people_now
from services.portal_gateway.domain import access

# at most this many people go offline in one download: what a day's trip can use, bounded so a
# lost device holds the fewest people
MOST_PEOPLE = 200
# candidates from the timeline looked at to find them: the timeline names other networks' people
# too (a person of the same municipality met by another centre), who are dropped
MOST_CANDIDATES = 5 * MOST_PEOPLE


def served(site: dict) -> list[str]:
    """The municipalities a site works in, as the network registry describes it: a mobile unit
    its partner municipalities; a centre its lead municipality, an expanded centre its whole
    regional unit (contracts/network.py)."""
    if site["kind"] == "mobile_unit":
        return sorted(site["partner_municipalities"])
    lead = site["lead_municipality_code"]
    if site.get("expanded"):
        return sorted(in_regional_unit(known_municipality(lead).regional_unit))
    return [lead]


def people(backends, principal, municipalities: list[str]) -> list[dict]:
    """The people registered or met in these municipalities whom the principal may see now, most
    recently met there first; each one downloaded is audited as a read (`offline_download`).
    Whatever their number, one round of calls decides on them all, and one call each reads
    their registrations and their cases."""
    candidates = timeline.met_in(backends.timeline_db, municipalities, MOST_CANDIDATES)
    who = people_now(backends, [c["beneficiary_id"] for c in candidates])
    chosen: dict[str, tuple[dict, Person]] = {}  # two merged records: one person
    for candidate, found in zip(candidates, who, strict=True):
        if found.known and access.view_record(principal, found.facts).allowed:
            chosen.setdefault(found.records[0], (candidate, found))
    # no more registrations opened than can go offline (one erased meanwhile is one fewer)
    picked = list(chosen.values())[:MOST_PEOPLE]
    registered = backends.registries.beneficiaries([found.records[0] for _, found in picked])
    kept = [
        (candidate, found, first)
        for (candidate, found), first in zip(picked, registered, strict=True)
        if first is not None and not first["erased"]
    ]
    cases = backends.intake.case_summaries([found.records for _, found, _ in kept])
    downloaded = []
    for (candidate, found, first), case in zip(kept, cases, strict=True):
        backends.audit.record_viewed(
            principal,
            found.records[0],
            ["identity", "contacts"],
            None,
            False,
            purpose="offline_download",
        )
        downloaded.append(_downloaded(candidate, found, first, case))
    return downloaded


def _downloaded(candidate: dict, who: Person, first: dict, case: dict) -> dict:
    """A person as the device keeps them."""
    registered = first["registered"]
    return {
        "beneficiary_id": who.records[0],
        "given_name": registered.get("given_name"),
        "family_name": registered.get("family_name"),
        "birth_date": registered.get("birth_date"),
        "phone": registered.get("phone"),
        "gender": registered.get("gender"),
        "municipality_code": registered.get("municipality_code"),
        # the assessment (special-category) stays behind: see the module's docstring
        "case": {"version": case["version"], "closed": case["closed"], "plan": case["plan"]},
        "consents": sorted(who.consents),
        "last_met_on": candidate["last_met_on"],
    }


def recipients(backends, sites: list[dict]) -> list[dict]:
    """Whom a referral recorded offline may name, as the record page offers them: the registry's
    agencies and programmes (with the needs they take) and the network's centres (any need)."""
    found = [
        {"kind": "agency", "id": a["agency_id"], "name": a["name"], "needs": a["needs"]}
        for a in backends.registries.agencies()
    ]
    found += [
        {"kind": "programme", "id": p["programme_id"], "name": p["name"], "needs": p["needs"]}
        for p in backends.registries.programmes()
    ]
    found += [
        {"kind": "centre", "id": s["site"], "name": s["name"], "needs": list(NEEDS)}
        for s in sites
        if s["kind"] == "centre"
    ]
    return sorted(found, key=lambda r: (r["kind"], r["name"]))
