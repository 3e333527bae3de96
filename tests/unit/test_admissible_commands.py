"""Dates in the future and municipalities the region does not have are refused by the services'
own rules (intake's case, the registry's registration), the field named, whatever sent them:
the portal, the API, a mobile unit's sync or a municipal system."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from services.common.domain import RuleViolated
from services.common.eventstore import Metadata
from services.common.eventstore.memory import InMemoryEventStore
from services.intake.application.cases import Cases
from services.intake.domain import case
from services.intake.domain.action_plan import AddActionStep
from services.registries.domain import beneficiary

TODAY = date(2026, 12, 4)
PERSON = uuid.UUID("5a0c3e1e-8d0b-4c55-9a61-2f7d1b6e0a11")
CONTACT = case.RecordContact(PERSON, TODAY, "centre", "KK-KALAMATA", "9254", "sw-1")
REGISTER = beneficiary.RegisterBeneficiary(
    PERSON, "Ελένη", "Σταθοπούλου", "9258", "MU-KALAMATA", birth_date=date(1980, 3, 3)
)


def refused_field(check, command) -> str:
    with pytest.raises(RuleViolated) as raised:
        check(command, TODAY)
    return raised.value.details["field"]


def test_a_contact_dated_today_in_greece_is_admissible():
    case.admissible(CONTACT, TODAY)


def test_a_contact_dated_2031_is_refused_naming_its_date():
    assert refused_field(case.admissible, replace(CONTACT, occurred_on=date(2031, 1, 1))) == (
        "occurred_on"
    )


def test_a_contact_dated_tomorrow_is_refused():
    tomorrow = replace(CONTACT, occurred_on=date(2026, 12, 5))
    assert refused_field(case.admissible, tomorrow) == "occurred_on"


@pytest.mark.parametrize("code", ["9999", "0000"])
def test_a_contact_in_a_municipality_the_region_does_not_have_is_refused(code):
    assert refused_field(case.admissible, replace(CONTACT, municipality_code=code)) == (
        "municipality_code"
    )


def test_a_consent_may_last_beyond_today_but_not_be_given_after_it():
    consent = case.RecordConsent(PERSON, "KK-SPARTI", "follow-up", TODAY, date(2027, 6, 30))
    case.admissible(consent, TODAY)
    assert refused_field(case.admissible, replace(consent, given_on=date(2027, 1, 1))) == (
        "given_on"
    )


def test_a_plan_step_may_be_due_after_today():
    case.admissible(AddActionStep(PERSON, PERSON, "step-1", "CV", date(2027, 1, 15)), TODAY)


def test_a_closure_dated_in_the_future_is_refused():
    closure = case.CloseCase(PERSON, "found work", date(2027, 1, 1))
    assert refused_field(case.admissible, closure) == "closed_on"


def test_the_intake_application_refuses_before_storing_anything():
    cases = Cases(InMemoryEventStore(), today=lambda: TODAY)
    with pytest.raises(RuleViolated):
        cases.run(
            replace(CONTACT, occurred_on=date(2031, 1, 1)), Metadata("sw-1", "KK-KALAMATA"), 0
        )
    assert cases.version(PERSON) == 0


def test_a_person_born_after_today_is_refused():
    unborn = replace(REGISTER, birth_date=date(2030, 1, 1))
    assert refused_field(beneficiary.admissible, unborn) == "birth_date"


@pytest.mark.parametrize("code", ["9999", "0000"])
def test_a_person_living_in_an_unknown_municipality_is_refused(code):
    assert refused_field(beneficiary.admissible, replace(REGISTER, municipality_code=code)) == (
        "municipality_code"
    )


def test_a_person_of_the_region_born_in_the_past_is_admissible():
    beneficiary.admissible(REGISTER, TODAY)


def test_a_contact_by_someone_the_network_registry_lists_is_recorded():
    (event,) = case.decide(replace(CONTACT, network_staff=frozenset({"sw-1"})), case.initial)
    assert "network_staff" not in event.payload  # a fact looked up, not what was recorded


@pytest.mark.parametrize("kind", ["contact", "service"])
def test_a_staff_id_the_network_registry_does_not_list_is_refused(kind):
    service = case.RecordService(PERSON, TODAY, "information", "KK-KALAMATA", "nobody")
    command = replace(CONTACT, staff_id="nobody") if kind == "contact" else service
    with pytest.raises(RuleViolated) as raised:
        case.decide(replace(command, network_staff=frozenset({"sw-1"})), case.initial)
    assert raised.value.details["field"] == "staff_id"
