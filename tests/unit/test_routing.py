from datetime import date

from deploy.demo.seed import demo_directory
from services.common.event_codec import jsonable
from services.referrals.domain.routing import Person, propose
from services.registries.adapters.hsds_import import read_package

TODAY = date(2026, 11, 20)
OICHALIA, KALAMATA, SPARTI = "9256", "9254", "9252"


def directory():
    agencies, programmes, _ = read_package(demo_directory())
    return [jsonable(a) for a in agencies], [jsonable(p) for p in programmes]


def names(proposals):
    return [p["name"] for p in proposals]


def test_the_employment_office_serving_oichalia_is_proposed_for_employment():
    agencies, programmes = directory()
    proposals = propose(agencies, programmes, "employment", Person(OICHALIA, age=40), TODAY)
    assert names(proposals) == ["ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας"]
    assert proposals[0]["response_days"] == 10


def test_a_programme_for_the_persons_group_and_age_is_proposed_too():
    agencies, programmes = directory()
    person = Person(OICHALIA, frozenset({"long_term_unemployed"}), 58)
    proposals = propose(agencies, programmes, "employment", person, TODAY)
    assert [p["recipient_kind"] for p in proposals] == [
        "agency",
        "programme",
    ]  # regional before national
    assert proposals[1]["response_days"] == 10  # the programme answers as its agency does


def test_an_age_outside_the_range_or_a_group_not_served_leaves_the_offer_out():
    agencies, programmes = directory()
    assert (
        propose(
            agencies,
            programmes,
            "employment",
            Person(OICHALIA, frozenset({"long_term_unemployed"}), 70),
            TODAY,
        )
        == []
    )
    assert (
        propose(agencies, programmes, "food", Person(KALAMATA, frozenset({"elderly"})), TODAY) == []
    )
    assert names(
        propose(agencies, programmes, "food", Person(KALAMATA, frozenset({"poverty"})), TODAY)
    ) == ["Κοινωνικό Παντοπωλείο Δήμου Καλαμάτας"]


def test_only_offers_serving_the_municipality_are_proposed():
    agencies, programmes = directory()
    assert names(propose(agencies, programmes, "employment", Person(SPARTI), TODAY)) == [
        "ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Σπάρτης"
    ]


def test_an_offer_not_yet_or_no_longer_active_is_left_out():
    agencies, programmes = directory()
    person = Person(OICHALIA, frozenset({"long_term_unemployed"}), 58)
    assert (
        len(propose(agencies, programmes, "employment", person, date(2027, 1, 1))) == 1
    )  # programme ended
    assert propose(agencies, programmes, "employment", person, date(2023, 12, 31)) == []


def test_local_offers_come_before_regional_ones():
    agencies, _ = directory()
    local = {**agencies[0], "agency_id": "local-1", "name": "Τοπική δομή", "level": "local"}
    proposals = propose([*agencies, local], [], "employment", Person(OICHALIA), TODAY)
    assert names(proposals)[0] == "Τοπική δομή"
