"""The access facts the gateway composes from the services' answers at decision time
(services/portal_gateway/application/people.py), with hand-written fakes of the three services."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from services.portal_gateway.application.people import people, person
from services.portal_gateway.domain.access import PersonFacts

RECORD = "7f3a2b1c-0000-4000-8000-000000000001"


class Service:
    """A hand-written fake of a service behind a nameko RpcProxy: each method can be called, or
    sent with `call_async` and its answer awaited; every call is noted."""

    def __init__(self):
        self.asked: list[tuple] = []

    def __getattribute__(self, name: str):
        method = object.__getattribute__(self, name)
        if name.startswith("_") or name == "asked" or not callable(method):
            return method
        asked = object.__getattribute__(self, "asked")

        def call(*args):
            asked.append((name, *args))
            return method(*args)

        call.call_async = lambda *args: SimpleNamespace(result=lambda: call(*args))
        return call


class Registries(Service):
    def __init__(self, known: bool = True, merged: tuple[str, ...] = ()):
        super().__init__()
        self.known, self.merged = known, list(merged)

    def person_access_facts_many(self, beneficiary_ids: list[str]) -> list[dict]:
        sites = ["KK-SPARTI"] if self.known else []
        return [
            {"known": self.known, "records": [b, *self.merged], "registered_at": sites}
            for b in beneficiary_ids
        ]


class Intake(Service):
    def __init__(self, consents=(), transferred_to=()):
        super().__init__()
        self.consents, self.transferred_to = list(consents), list(transferred_to)

    def access_facts_many(self, people: list[list[str]], on: str) -> list[dict]:
        return [
            {
                "sites": ["MU-SPARTI"] if len(records) == 1 else ["MU-SPARTI", "KK-TRIPOLI"],
                "transferred_to": self.transferred_to,
                "consents": self.consents,
            }
            for records in people
        ]


class Referrals(Service):
    def sharing_referrals_many(self, people: list[list[str]]) -> list[list[dict]]:
        return [
            [{"recipient_id": "KK-KALAMATA", "consent_recipient": "KK-KALAMATA"}] for _ in people
        ]


def backends(registries=None, intake=None) -> SimpleNamespace:
    return SimpleNamespace(
        registries=registries or Registries(), intake=intake or Intake(), referrals=Referrals()
    )


def test_a_referral_shares_only_while_the_persons_consent_covers_its_recipient():
    with_consent = person(backends(intake=Intake(consents=["KK-KALAMATA"])), RECORD)
    withdrawn = person(backends(intake=Intake(consents=[])), RECORD)
    assert with_consent.facts.referred_to == frozenset({"KK-KALAMATA"})
    assert withdrawn.facts.referred_to == frozenset()


def test_the_registering_site_and_the_sites_met_both_count():
    found = person(backends(intake=Intake(transferred_to=["KK-TRIPOLI"])), RECORD)
    assert found.known and found.records == [RECORD]
    assert found.facts.sites == frozenset({"KK-SPARTI", "MU-SPARTI"})
    assert found.facts.transferred_to == frozenset({"KK-TRIPOLI"})


def test_an_id_that_is_no_ones_has_no_facts_whatever_intake_answers():
    found = person(
        backends(registries=Registries(known=False), intake=Intake(["KK-SPARTI"])), RECORD
    )
    assert not found.known and found.facts == PersonFacts() and found.consents == frozenset()


def test_many_people_cost_one_call_to_each_service():
    services = backends()
    found = people(services, [str(uuid.uuid4()) for _ in range(40)])
    assert all(p.known for p in found) and len(found) == 40
    assert [len(s.asked) for s in (services.registries, services.intake, services.referrals)] == [
        1,
        1,
        1,
    ]


def test_a_merged_persons_cases_are_asked_again_with_all_their_records():
    """Intake and referrals are first asked about the record alone (sent beside the registry's
    call); when the registry says a merge joined another record, the facts are those of both."""
    other = str(uuid.uuid4())
    services = backends(registries=Registries(merged=(other,)))
    found = person(services, RECORD)
    assert found.records == [RECORD, other]
    assert found.facts.sites == frozenset({"KK-SPARTI", "MU-SPARTI", "KK-TRIPOLI"})
    assert [a[1] for a in services.intake.asked] == [[[RECORD]], [[RECORD, other]]]
    assert [a[1] for a in services.referrals.asked] == [[[RECORD]], [[RECORD, other]]]
