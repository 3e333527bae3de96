"""Who a person is across the platform, as the access policy needs it, asked of the services that
hold the facts at the moment of each decision: the registry (does the person exist, which records
are theirs, who registered them), intake (where their cases were met, transfers, consents in
force) and referrals (referrals to a centre that share their data). Nothing is cached and no read
model is consulted: a new file is closed to other centres from its first moment, and a withdrawn
consent, an ended referral or a transfer holds from the very next request."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.clock import today_in_greece
from services.portal_gateway.domain import access

# people whose access facts are asked at once (a search's hits, a trip's candidates): each is a
# few RPCs that wait on other services, so 200 people take the time of 20 rounds rather than 200
# (the services answer with 10 workers each)
SIDE_BY_SIDE = 10


@dataclass(frozen=True)
class Person:
    known: bool  # False: no such record (the policy refuses it as it refuses another network's)
    records: list[str]  # the surviving id first, then every record merged into it
    facts: access.PersonFacts
    consents: frozenset[str] = frozenset()  # the recipients their consent covers today


def person(backends, beneficiary_id: str) -> Person:
    registry = backends.registries.person_access_facts(str(beneficiary_id))
    records = registry["records"]
    if not registry["known"]:
        return Person(False, records, access.PersonFacts())
    today = today_in_greece().isoformat()  # a consent "until" a day lasts to its end in Greece
    cases = backends.intake.access_facts(records, today)
    # a referral shares the person's data with a centre only while their consent covers it: a
    # withdrawal counts from the next request, before the referral reacts to it
    referred = {
        r["recipient_id"]
        for r in backends.referrals.sharing_referrals(records)
        if r["consent_recipient"] in cases["consents"]
    }
    facts = access.PersonFacts(
        frozenset(registry["registered_at"]) | frozenset(cases["sites"]),
        frozenset(referred),
        frozenset(cases["transferred_to"]),
    )
    return Person(True, records, facts, frozenset(cases["consents"]))


def records_of(backends, beneficiary_id: str) -> list[str]:
    """Every record whose history is this person's (merges included), the surviving one first."""
    return backends.registries.person(str(beneficiary_id))["records"]


def person_facts(backends, beneficiary_id: str) -> access.PersonFacts:
    return person(backends, beneficiary_id).facts


def visible_only(backends, principal, candidates: list[dict]) -> list[dict]:
    """Of the records an identity look-up matched (possible duplicates, people who may already be
    registered at a receiving centre), only those the caller may see: another centre's ids, and
    the fact that it holds someone, are never told (docs/security.md, "Identity look-ups")."""
    return [
        c
        for c in candidates
        if access.in_network(principal, person_facts(backends, c["beneficiary_id"]))
    ]


def known_subject(backends, claimed: str | None) -> str | None:
    """The record a refused municipal event names, if the registry knows that person (their key
    then seals the event's body); None for no id, or an id that is no one's."""
    if claimed is None:
        return None
    return claimed if backends.registries.person_access_facts(claimed)["known"] else None
