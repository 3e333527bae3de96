import pytest

from services.portal_gateway.domain.access import (
    PersonFacts,
    Principal,
    act_on_case,
    answer_referral,
    network_of,
    see_referral,
    view_record,
)
from services.portal_gateway.domain.emergency import refusal

SITES = [
    {"site": "KK-KALAMATA"},
    {"site": "MU-KALAMATA", "parent_centre": "KK-KALAMATA"},
    {"site": "KK-SPARTI"},
    {"site": "MU-SPARTI", "parent_centre": "KK-SPARTI"},
]
KALAMATA = network_of("KK-KALAMATA", SITES)
MET_BY_THE_UNIT = PersonFacts(frozenset({"MU-KALAMATA"}))


def staff(role: str, site: str) -> Principal:
    return Principal(f"{role}@{site}", role, site, network=network_of(site, SITES))


def test_a_centre_and_its_mobile_unit_are_one_network():
    assert KALAMATA == network_of("MU-KALAMATA", SITES) == frozenset({"KK-KALAMATA", "MU-KALAMATA"})


@pytest.mark.parametrize(
    "who, allowed, special",
    [
        (staff("case_worker", "KK-KALAMATA"), True, True),
        (staff("head_of_centre", "KK-KALAMATA"), True, False),
        (staff("case_worker", "KK-SPARTI"), False, False),
        (Principal("c", "regional_coordinator"), False, False),
        (Principal("d", "dpo"), False, False),
        (Principal("a", "agency_officer", agency_id="x"), False, False),
    ],
)
def test_a_record_is_seen_by_its_network_and_special_categories_by_case_workers(
    who, allowed, special
):
    decision = view_record(who, MET_BY_THE_UNIT)
    assert (decision.allowed, decision.special_categories) == (allowed, special)


def test_another_centre_sees_a_person_referred_or_transferred_to_it():
    sparti = staff("case_worker", "KK-SPARTI")
    assert view_record(
        sparti, PersonFacts(frozenset({"MU-KALAMATA"}), referred_to=frozenset({"KK-SPARTI"}))
    ).allowed
    assert view_record(
        sparti, PersonFacts(frozenset({"MU-KALAMATA"}), transferred_to=frozenset({"KK-SPARTI"}))
    ).allowed


def test_only_a_heads_emergency_grant_opens_a_record_outside_the_network():
    head, worker = staff("head_of_centre", "KK-SPARTI"), staff("case_worker", "KK-SPARTI")
    assert not view_record(head, MET_BY_THE_UNIT).allowed
    decision = view_record(head, MET_BY_THE_UNIT, emergency=True)
    assert decision.allowed and decision.break_glass and decision.special_categories
    assert not view_record(worker, MET_BY_THE_UNIT, emergency=True).allowed


def test_a_head_sees_their_own_networks_special_categories_only_through_a_grant():
    head = staff("head_of_centre", "KK-KALAMATA")
    assert not view_record(head, MET_BY_THE_UNIT).special_categories
    assert view_record(head, MET_BY_THE_UNIT, emergency=True).special_categories


def test_an_emergency_needs_a_listed_reason_and_what_happened_in_words():
    assert refusal("danger_to_life", ".") is not None
    assert refusal("danger_to_life", "   " + "x" * 19 + "   ") is not None
    assert refusal("curiosity", "ήρθε στη Σπάρτη σε κρίση, χωρίς ΑΜΚΑ") is not None
    assert refusal("danger_to_life", "ήρθε στη Σπάρτη σε κρίση, χωρίς ΑΜΚΑ") is None


def test_staff_act_only_for_a_site_of_their_network_on_a_person_known_there():
    worker = staff("case_worker", "MU-KALAMATA")
    assert act_on_case(worker, MET_BY_THE_UNIT, "KK-KALAMATA").allowed
    assert not act_on_case(worker, MET_BY_THE_UNIT, "KK-SPARTI").allowed
    assert not act_on_case(staff("case_worker", "KK-SPARTI"), MET_BY_THE_UNIT, "KK-SPARTI").allowed
    assert act_on_case(worker, None, "MU-KALAMATA").allowed  # a new person
    assert not act_on_case(
        worker, PersonFacts(), "MU-KALAMATA"
    ).allowed  # met nowhere: no such person


def test_an_agency_sees_and_answers_only_what_was_sent_to_it():
    referral = {
        "from_site": "MU-KALAMATA",
        "recipient_id": "agency-1",
        "consent_recipient": "agency-1",
    }
    assert see_referral(Principal("o", "agency_officer", agency_id="agency-1"), referral)
    assert answer_referral(Principal("o", "agency_officer", agency_id="agency-1"), referral)
    assert not see_referral(Principal("o", "agency_officer", agency_id="agency-2"), referral)
    assert see_referral(staff("case_worker", "KK-KALAMATA"), referral)
    assert not answer_referral(
        staff("case_worker", "KK-KALAMATA"), referral
    )  # the sender does not answer
