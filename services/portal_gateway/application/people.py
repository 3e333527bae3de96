"""Who a person is across the platform, as the access policy needs it, asked of the services that
hold the facts at the moment of each decision: the registry (does the person exist, which records
are theirs, who registered them), intake (where their cases were met, transfers, consents in
force) and referrals (referrals to a centre that share their data). Nothing is cached and no read
model is consulted (intake's facts are tables kept in the append's own transaction, as current as
its streams): a new file is closed to other centres from its first moment, and a withdrawn
consent, an ended referral or a transfer holds from the very next request."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.clock import today_in_greece
from services.portal_gateway.domain import access


@dataclass(frozen=True)
class Person:
    known: bool  # False: no such record (the policy refuses it as it refuses another network's)
    records: list[str]  # the surviving id first, then every record merged into it
    facts: access.PersonFacts
    consents: frozenset[str] = frozenset()  # the recipients their consent covers today


def person(backends, beneficiary_id: str) -> Person:
    return people(backends, [beneficiary_id])[0]


def people(backends, beneficiary_ids: list[str]) -> list[Person]:
    """Each record's person, in the order asked, with one call to each service for them all
    (a search's hits cost what one person costs), sent together: intake and referrals are asked
    about each record alone while the registry says which records are the person's, and asked
    again, for those people only, when a merge joined others to it."""
    asked = [str(b) for b in beneficiary_ids]
    if not asked:
        return []
    alone = [[b] for b in asked]
    today = today_in_greece().isoformat()  # a consent "until" a day lasts to its end in Greece
    registry, cases, referrals = together(
        (backends.registries.person_access_facts_many, asked),
        (backends.intake.access_facts_many, alone, today),
        (backends.referrals.sharing_referrals_many, alone),
    )
    merged = [n for n, r in enumerate(registry) if r["known"] and r["records"] != alone[n]]
    if merged:
        records = [registry[n]["records"] for n in merged]
        more_cases, more_referrals = together(
            (backends.intake.access_facts_many, records, today),
            (backends.referrals.sharing_referrals_many, records),
        )
        for n, case, referral in zip(merged, more_cases, more_referrals, strict=True):
            cases[n], referrals[n] = case, referral
    return [_person(*answers) for answers in zip(registry, cases, referrals, strict=True)]


def together(*calls: tuple) -> list:
    """Each call (an RPC method and its arguments) sent before any answer is awaited, so that
    they cost the slowest of them rather than their sum (nameko's `call_async`)."""
    replies = [method.call_async(*args) for method, *args in calls]
    return [reply.result() for reply in replies]


def _person(registry: dict, cases: dict, sharing: list[dict]) -> Person:
    if not registry["known"]:
        return Person(False, registry["records"], access.PersonFacts())
    # a referral shares the person's data with a centre only while their consent covers it: a
    # withdrawal counts from the next request, before the referral reacts to it
    referred = {r["recipient_id"] for r in sharing if r["consent_recipient"] in cases["consents"]}
    facts = access.PersonFacts(
        frozenset(registry["registered_at"]) | frozenset(cases["sites"]),
        frozenset(referred),
        frozenset(cases["transferred_to"]),
    )
    return Person(True, registry["records"], facts, frozenset(cases["consents"]))


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
        for c, found in zip(
            candidates, people(backends, [c["beneficiary_id"] for c in candidates]), strict=True
        )
        if access.in_network(principal, found.facts)
    ]


def known_subject(backends, claimed: str | None) -> str | None:
    """The record a refused municipal event names, if the registry knows that person (their key
    then seals the event's body); None for no id, or an id that is no one's."""
    if claimed is None:
        return None
    return claimed if backends.registries.person_access_facts(claimed)["known"] else None
