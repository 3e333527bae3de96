from types import SimpleNamespace

import pytest

from contracts.names import AGENCY_DETAILS_CHANGED, AGENCY_REGISTERED, PROGRAMME_REGISTERED
from services.common.domain import NotFound, RuleViolated
from services.registries.domain.directory import (
    DescribeAgency,
    DescribeProgramme,
    decide,
    evolve,
    initial,
)

GROCERY = {
    "agency_id": "a1",
    "name": "Κοινωνικό Παντοπωλείο",
    "needs": ["food"],
    "municipalities": ["9254"],
}
PROGRAMME = {"programme_id": "p1", "agency_id": "a1", "name": "Διανομή τροφίμων", "needs": ["food"]}


def stored(type_, details):
    return evolve(initial, SimpleNamespace(type=type_, data=details))


def test_the_first_description_registers_the_agency():
    (event,) = decide(DescribeAgency(GROCERY), initial)
    assert event.type == AGENCY_REGISTERED and event.payload == GROCERY


def test_a_different_description_changes_the_details():
    (event,) = decide(
        DescribeAgency({**GROCERY, "municipalities": ["9254", "9255"]}),
        stored(AGENCY_REGISTERED, GROCERY),
    )
    assert event.type == AGENCY_DETAILS_CHANGED


def test_the_same_description_again_changes_nothing():
    assert decide(DescribeAgency(dict(GROCERY)), stored(AGENCY_REGISTERED, GROCERY)) == []


def test_a_programme_needs_its_agency_registered():
    with pytest.raises(NotFound):
        decide(DescribeProgramme(PROGRAMME, agency_registered=False), initial)
    (event,) = decide(DescribeProgramme(PROGRAMME, agency_registered=True), initial)
    assert event.type == PROGRAMME_REGISTERED


def test_a_programme_stays_with_the_agency_that_registered_it():
    with pytest.raises(RuleViolated):
        decide(
            DescribeProgramme({**PROGRAMME, "agency_id": "a2"}, agency_registered=True),
            stored(PROGRAMME_REGISTERED, PROGRAMME),
        )
