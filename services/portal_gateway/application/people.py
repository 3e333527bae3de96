"""Who a person is across the platform, as the access policy needs it: every record of theirs
(merges included, from the registry) and where they have been met (from the timeline)."""

from __future__ import annotations

from services.portal_gateway.adapters import timeline
from services.portal_gateway.domain import access


def records_of(backends, beneficiary_id: str) -> list[str]:
    """Every record whose history is this person's (merges included)."""
    return backends.registries.person(str(beneficiary_id))["records"]


def person_facts(backends, beneficiary_id: str) -> access.PersonFacts:
    return timeline.facts(backends.timeline_db, records_of(backends, beneficiary_id))
