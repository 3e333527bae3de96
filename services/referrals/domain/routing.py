"""Routing: which agencies and programmes could take this person for this need where they live,
best first. A proposal for a worker to pick from, never a decision. Pure over the registry's
descriptions (contracts/directory.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

NEARNESS = {"local": 0, "regional": 1, "national": 2}  # the closest structure first


@dataclass(frozen=True)
class Person:
    municipality_code: str
    groups: frozenset[str] = frozenset()
    age: int | None = None


def fits(offer: dict, need: str, person: Person, on: date) -> bool:
    if need not in offer["needs"] or person.municipality_code not in offer["municipalities"]:
        return False
    if offer.get("active_from") and date.fromisoformat(offer["active_from"]) > on:
        return False
    if offer.get("active_until") and date.fromisoformat(offer["active_until"]) < on:
        return False
    if offer.get("eligible_groups") and not person.groups & set(offer["eligible_groups"]):
        return False
    if person.age is not None:
        if offer.get("min_age") is not None and person.age < offer["min_age"]:
            return False
        if offer.get("max_age") is not None and person.age > offer["max_age"]:
            return False
    return True


def propose(
    agencies: list[dict], programmes: list[dict], need: str, person: Person, on: date
) -> list[dict]:
    """Ranked: local before regional before national; an offer aimed at one of the person's groups
    before an open one; then the one serving fewest municipalities (the most specific)."""
    by_agency = {a["agency_id"]: a for a in agencies}
    candidates = [
        {
            "recipient_kind": "agency",
            "recipient_id": a["agency_id"],
            "name": a["name"],
            "agency_name": a["name"],
            "offer": a,
        }
        for a in agencies
    ]
    candidates += [
        {
            "recipient_kind": "programme",
            "recipient_id": p["programme_id"],
            "name": p["name"],
            "agency_name": by_agency.get(p["agency_id"], {}).get("name"),
            "offer": p,
        }
        for p in programmes
    ]
    fitting = [c for c in candidates if fits(c["offer"], need, person, on)]

    def rank(c: dict) -> tuple:
        offer = c["offer"]
        aimed = bool(offer.get("eligible_groups")) and bool(
            person.groups & set(offer["eligible_groups"])
        )
        return NEARNESS[offer["level"]], not aimed, len(offer["municipalities"]), c["name"]

    return [
        {
            "recipient_kind": c["recipient_kind"],
            "recipient_id": c["recipient_id"],
            "name": c["name"],
            "agency_name": c["agency_name"],
            "level": c["offer"]["level"],
            "response_days": c["offer"].get("response_days")
            or by_agency.get(c["offer"].get("agency_id"), {}).get("response_days"),
            "capacity": c["offer"].get("capacity"),
        }
        for c in sorted(fitting, key=rank)
    ]
