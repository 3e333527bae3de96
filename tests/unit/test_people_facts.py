"""The access facts the gateway composes from the services' answers at decision time
(services/portal_gateway/application/people.py), with hand-written fakes of the three services."""

from __future__ import annotations

from types import SimpleNamespace

from services.portal_gateway.application.people import person
from services.portal_gateway.domain.access import PersonFacts

RECORD = "7f3a2b1c-0000-4000-8000-000000000001"


class Registries:
    def __init__(self, known: bool = True):
        self.known = known

    def person_access_facts(self, beneficiary_id: str) -> dict:
        sites = ["KK-SPARTI"] if self.known else []
        return {"known": self.known, "records": [beneficiary_id], "registered_at": sites}


class Intake:
    def __init__(self, consents=(), transferred_to=()):
        self.consents, self.transferred_to = list(consents), list(transferred_to)

    def access_facts(self, beneficiary_ids: list[str], on: str) -> dict:
        return {
            "sites": ["MU-SPARTI"],
            "transferred_to": self.transferred_to,
            "consents": self.consents,
        }


class Referrals:
    def sharing_referrals(self, beneficiary_ids: list[str]) -> list[dict]:
        return [{"recipient_id": "KK-KALAMATA", "consent_recipient": "KK-KALAMATA"}]


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


def test_an_id_that_is_no_ones_has_no_facts_and_asks_nothing_more():
    found = person(SimpleNamespace(registries=Registries(known=False)), RECORD)
    assert not found.known and found.facts == PersonFacts()
