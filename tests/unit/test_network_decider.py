from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from contracts.geography import in_regional_unit, municipalities, municipality
from contracts.names import (
    CENTRE_REGISTERED,
    MOBILE_UNIT_REGISTERED,
    PARTNER_MUNICIPALITIES_CHANGED,
)
from contracts.network import RegisterCentreSchema
from deploy.demo.seed import demo_commands
from services.common.domain import Conflict, NotFound, RuleViolated
from services.registries.domain.network import (
    AssignStaffMember,
    ChangePartnerMunicipalities,
    RegisterCentre,
    RegisterMobileUnit,
    StaffMember,
    StaffMemberLeaves,
    decide,
    decide_staff,
    evolve,
    evolve_staff,
    initial,
    required_staff,
    staffing_warnings,
)

KALAMATA = RegisterCentre(
    "KK-KALAMATA",
    "Διευρυμένο ΚΚ Καλαμάτας",
    "9254",
    "messinia",
    True,
    "5000005",
    date(2024, 1, 1),
    date(2026, 12, 31),
    Decimal("480000.00"),
    900,
)
MU = RegisterMobileUnit(
    "MU-KALAMATA", "Κινητή Μονάδα Καλαμάτας", "KK-KALAMATA", ["9256", "9258"], "messinia"
)


def after(*events):
    state = initial
    for type_, data in events:
        state = evolve(state, SimpleNamespace(type=type_, data=data))
    return state


def test_the_seed_holds_the_26_municipalities_in_the_ministry_order_with_greek_names():
    codes = list(municipalities())
    assert codes == [str(c) for c in range(9233, 9259)]
    assert municipality("9254").name_el == "Καλαμάτα" and municipality("9258").name_en == "Trifylia"
    assert in_regional_unit("messinia") == ["9253", "9254", "9255", "9256", "9257", "9258"]


def test_populations_are_the_2021_census_where_a_figure_could_be_quoted():
    assert municipality("9254").population_2021 == 72_906
    assert (
        municipality("9243").population_2021 == 55_941
        and municipality("9241").population_2021 == 44_165
    )
    assert municipality("9258").population_2021 == 22_431
    assert municipality("9242").population_2021 is None  # Velo-Vocha: unknown, never a guess


def test_a_centre_is_registered_with_its_operation():
    (event,) = decide(KALAMATA, initial)
    assert event.type == CENTRE_REGISTERED and event.payload["operation_mis"] == "5000005"


def test_a_centre_whose_lead_municipality_is_in_another_regional_unit_is_refused():
    with pytest.raises(RuleViolated):
        decide(RegisterCentre(**{**KALAMATA.__dict__, "regional_unit": "laconia"}), initial)


def test_an_operation_that_ends_before_it_starts_is_refused():
    with pytest.raises(RuleViolated):
        decide(RegisterCentre(**{**KALAMATA.__dict__, "period_end": date(2023, 1, 1)}), initial)


def test_a_site_cannot_be_registered_twice():
    with pytest.raises(Conflict):
        decide(KALAMATA, after((CENTRE_REGISTERED, {"regional_unit": "messinia"})))


def test_a_mobile_unit_serves_partner_municipalities_of_its_centres_regional_unit():
    (event,) = decide(MU, initial)
    assert event.type == MOBILE_UNIT_REGISTERED and event.payload["partner_municipalities"] == [
        "9256",
        "9258",
    ]
    assert "parent_regional_unit" not in event.payload  # a looked-up fact, not part of the event


def test_a_mobile_unit_cannot_serve_a_municipality_outside_its_regional_unit():
    with pytest.raises(RuleViolated) as raised:
        decide(
            RegisterMobileUnit(**{**MU.__dict__, "partner_municipalities": ["9256", "9252"]}),
            initial,
        )
    assert raised.value.details["outside"] == ["9252"]


def test_a_mobile_unit_of_an_unregistered_centre_is_refused():
    with pytest.raises(NotFound):
        decide(RegisterMobileUnit(**{**MU.__dict__, "parent_regional_unit": None}), initial)


def test_a_partner_listed_twice_is_refused():
    with pytest.raises(RuleViolated):
        decide(
            RegisterMobileUnit(**{**MU.__dict__, "partner_municipalities": ["9256", "9256"]}),
            initial,
        )


def test_changing_the_partner_municipalities_replaces_the_list():
    state = after((MOBILE_UNIT_REGISTERED, {"partner_municipalities": ["9256"]}))
    change = ChangePartnerMunicipalities(
        "MU-KALAMATA", ["9256", "9257"], "new agreement", "messinia"
    )
    (event,) = decide(change, state)
    assert event.type == PARTNER_MUNICIPALITIES_CHANGED
    assert evolve(
        state, SimpleNamespace(type=event.type, data=event.payload)
    ).partner_municipalities == ("9256", "9257")


def test_changing_to_the_same_partners_changes_nothing():
    state = after((MOBILE_UNIT_REGISTERED, {"partner_municipalities": ["9256"]}))
    assert (
        decide(ChangePartnerMunicipalities("MU-KALAMATA", ["9256"], "same", "messinia"), state)
        == []
    )


def test_only_a_mobile_unit_has_partner_municipalities_to_change():
    with pytest.raises(NotFound):
        decide(
            ChangePartnerMunicipalities("KK-KALAMATA", ["9256"], "x", "messinia"),
            after((CENTRE_REGISTERED, {"regional_unit": "messinia"})),
        )


def test_staff_are_assigned_only_to_a_site_in_the_network():
    with pytest.raises(NotFound):
        decide_staff(
            AssignStaffMember(
                "kal.sw1", "Μαρία Κ.", "social_worker", "KK-NOWHERE", date(2024, 1, 1)
            ),
            StaffMember(),
        )


def test_assigning_someone_to_where_they_already_work_changes_nothing():
    assign = AssignStaffMember(
        "kal.sw1", "Μαρία Κ.", "social_worker", "KK-KALAMATA", date(2024, 1, 1), True
    )
    (event,) = decide_staff(assign, StaffMember())
    state = evolve_staff(StaffMember(), SimpleNamespace(type=event.type, data=event.payload))
    assert decide_staff(assign, state) == [] and "site_exists" not in event.payload


def test_someone_can_leave_only_a_site_they_work_at():
    with pytest.raises(NotFound):
        decide_staff(StaffMemberLeaves("kal.sw1", "KK-KALAMATA", date(2025, 1, 1)), StaffMember())


@pytest.mark.parametrize(
    "population, staff",
    [(9_000, 2), (10_000, 2), (40_000, 2), (40_001, 3), (72_906, 3), (100_000, 3), (100_001, 4)],
)
def test_the_staffing_rule_follows_the_population_bands(population, staff):
    assert required_staff(population) == staff


def test_a_centre_short_of_staff_gets_a_warning_not_a_refusal():
    warnings = staffing_warnings("centre", 72_906, ["social_worker", "psychologist"])
    assert warnings == ["2 of the 3 staff the rule asks for 72,906 residents"]


def test_a_centre_without_a_social_worker_is_warned():
    assert any(
        "social worker" in w
        for w in staffing_warnings("centre", 20_000, ["psychologist", "mediator"])
    )


def test_a_mobile_unit_needs_two_scientists_and_a_driver():
    assert (
        staffing_warnings("mobile_unit", None, ["social_scientist", "social_scientist", "driver"])
        == []
    )
    assert len(staffing_warnings("mobile_unit", None, ["social_scientist"])) == 2


def test_an_unknown_population_is_said_rather_than_guessed():
    assert "unknown" in staffing_warnings("centre", None, ["social_worker", "psychologist"])[0]


def test_every_demo_centre_command_matches_its_contract():
    for method, command in demo_commands():
        if method == "register_centre":
            RegisterCentreSchema().load(command)
