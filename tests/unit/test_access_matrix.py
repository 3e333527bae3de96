"""The access policy as one complete matrix: every decision the gateway asks, for every role, in
every relation a principal can have to a record, written out cell by cell. Changing any cell of the
policy (say, letting ops erase) fails here: the expected table is the policy's specification."""

from __future__ import annotations

import inspect

import pytest

from services.portal_gateway.domain import access
from services.portal_gateway.domain.access import PersonFacts, Principal, network_of

SITES = [
    {"site": "KK-KALAMATA"},
    {"site": "MU-KALAMATA", "parent_centre": "KK-KALAMATA"},
    {"site": "KK-SPARTI"},
    {"site": "MU-SPARTI", "parent_centre": "KK-SPARTI"},
]
AGENCY = "dypa-kalamata"


def principal(role: str) -> Principal:
    """Staff work at the Kalamata centre; an agency officer at the employment office."""
    if role in access.STAFF:
        return Principal(role, role, "KK-KALAMATA", network=network_of("KK-KALAMATA", SITES))
    if role == "municipal_system":
        # a key speaks for its centre, whose network is the centre's (the gateway says so too)
        return Principal(role, role, "KK-KALAMATA", network=network_of("KK-KALAMATA", SITES))
    return Principal(role, role, agency_id=AGENCY if role == "agency_officer" else None)


# How a person stands to the Kalamata network.
PEOPLE = {
    "met_in_network": PersonFacts(frozenset({"MU-KALAMATA"})),
    "met_elsewhere": PersonFacts(frozenset({"KK-SPARTI"})),
    "referred_to_network": PersonFacts(
        frozenset({"KK-SPARTI"}), referred_to=frozenset({"KK-KALAMATA"})
    ),
    "transferred_to_network": PersonFacts(
        frozenset({"KK-SPARTI"}), transferred_to=frozenset({"KK-KALAMATA"})
    ),
    "met_nowhere_yet": PersonFacts(),
}
# How a referral stands to the Kalamata network and the employment office.
REFERRALS = {
    "sent_from_network": {
        "from_site": "MU-KALAMATA",
        "recipient_id": AGENCY,
        "consent_recipient": AGENCY,
    },
    "sent_to_network": {
        "from_site": "KK-SPARTI",
        "recipient_id": "KK-KALAMATA",
        "consent_recipient": "KK-KALAMATA",
    },
    "to_another_agency": {
        "from_site": "KK-SPARTI",
        "recipient_id": "other",
        "consent_recipient": "other",
    },
}
SITE_SCOPES = {"own_site": "MU-KALAMATA", "other_site": "KK-SPARTI", "whole_region": None}


PLATFORM_ACTIONS = (
    "manage_registries",
    "read_audit",
    "erase",
    "answer_subject_requests",
    "review_identities",
    "see_dead_letters",
    "operate_read_models",
    "manage_publishers",
    "read_refused_event",
    "is_staff",
    "decide_merges",
    "propose_recipients",
    "take_part_in_referrals",
    "see_regional_overview",
    "follow_referrals",
    "figures_leave_the_centre",
    "break_the_glass",
    "see_regional_figures",
)


def outcome(decision) -> str:
    if isinstance(decision, bool):
        return "yes" if decision else "no"
    if not decision.allowed:
        return "no"
    return "+".join(
        ["yes"]
        + (["special"] if decision.special_categories else [])
        + (["glass"] if decision.break_glass else [])
    )


def cells() -> dict[tuple[str, str], dict[str, str]]:
    """(action, relation) -> {role: outcome}, computed from the policy."""
    found: dict[tuple[str, str], dict[str, str]] = {}

    def row(action: str, relation: str, decide) -> None:
        found[(action, relation)] = {
            role: outcome(decide(principal(role))) for role in access.ROLES
        }

    for relation, person in PEOPLE.items():
        row("view_record", relation, lambda p, person=person: access.view_record(p, person))
        row(
            "view_record_with_grant",
            relation,
            lambda p, person=person: access.view_record(p, person, emergency=True),
        )
        row(
            "act_on_case",
            relation,
            lambda p, person=person: access.act_on_case(p, person, "KK-KALAMATA"),
        )
        row("in_network", relation, lambda p, person=person: access.in_network(p, person))
        row(
            "publish_event",
            relation,
            lambda p, person=person: access.publish_event(p, person, "KK-KALAMATA"),
        )
    row(
        "publish_event",
        "met_in_network_for_another_site",
        lambda p: access.publish_event(p, PEOPLE["met_in_network"], "KK-SPARTI"),
    )
    row(
        "act_on_case",
        "new_person_at_own_site",
        lambda p: access.act_on_case(p, None, "MU-KALAMATA"),
    )
    row(
        "act_on_case",
        "new_person_at_other_site",
        lambda p: access.act_on_case(p, None, "KK-SPARTI"),
    )
    for relation, referral in REFERRALS.items():
        for action in (
            "see_referral",
            "answer_referral",
            "send_referral",
            "see_referral_in_a_list",
        ):
            row(
                action,
                relation,
                lambda p, referral=referral, action=action: getattr(access, action)(p, referral),
            )
    for relation, site in SITE_SCOPES.items():
        row("see_aggregates", relation, lambda p, site=site: access.see_aggregates(p, site))
        row("see_site_figures", relation, lambda p, site=site: access.see_site_figures(p, site))
    for action in PLATFORM_ACTIONS:
        row(action, "platform", getattr(access, action))
    return found


ROLES = (
    "case_worker",
    "head_of_centre",
    "agency_officer",
    "regional_coordinator",
    "dpo",
    "ops",
    "municipal_system",
)


def expect(*outcomes: str) -> dict[str, str]:
    return dict(zip(ROLES, outcomes, strict=True))


NO = expect(*["no"] * 7)
#                                       case_worker     head_of_centre  agency  coordinator dpo   ops   municipal
EXPECTED = {
    ("view_record", "met_in_network"): expect("yes+special", "yes", "no", "no", "no", "no", "no"),
    ("view_record", "met_elsewhere"): NO,
    ("view_record", "referred_to_network"): expect(
        "yes+special", "yes", "no", "no", "no", "no", "no"
    ),
    ("view_record", "transferred_to_network"): expect(
        "yes+special", "yes", "no", "no", "no", "no", "no"
    ),
    ("view_record", "met_nowhere_yet"): NO,
    # a live emergency grant (only a head can hold one): the whole file, whoever's network it is in
    ("view_record_with_grant", "met_in_network"): expect(
        "yes+special", "yes+special+glass", "no", "no", "no", "no", "no"
    ),
    ("view_record_with_grant", "met_elsewhere"): expect(
        "no", "yes+special+glass", "no", "no", "no", "no", "no"
    ),
    ("view_record_with_grant", "referred_to_network"): expect(
        "yes+special", "yes+special+glass", "no", "no", "no", "no", "no"
    ),
    ("view_record_with_grant", "transferred_to_network"): expect(
        "yes+special", "yes+special+glass", "no", "no", "no", "no", "no"
    ),
    ("view_record_with_grant", "met_nowhere_yet"): expect(
        "no", "yes+special+glass", "no", "no", "no", "no", "no"
    ),
    ("act_on_case", "met_in_network"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("act_on_case", "met_elsewhere"): NO,
    ("act_on_case", "referred_to_network"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("act_on_case", "transferred_to_network"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    # nobody has met them: no such record, or one not registered yet; refused like another network's
    ("act_on_case", "met_nowhere_yet"): NO,
    ("act_on_case", "new_person_at_own_site"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("act_on_case", "new_person_at_other_site"): NO,
    ("in_network", "met_in_network"): expect("yes", "yes", "no", "no", "no", "no", "yes"),
    ("in_network", "met_elsewhere"): NO,
    # a municipal system records only for people its centre's network already knows, at its site
    ("publish_event", "met_in_network"): expect("no", "no", "no", "no", "no", "no", "yes"),
    ("publish_event", "met_elsewhere"): NO,
    ("publish_event", "referred_to_network"): expect("no", "no", "no", "no", "no", "no", "yes"),
    ("publish_event", "transferred_to_network"): expect("no", "no", "no", "no", "no", "no", "yes"),
    ("publish_event", "met_nowhere_yet"): NO,
    ("publish_event", "met_in_network_for_another_site"): NO,
    ("in_network", "referred_to_network"): expect("yes", "yes", "no", "no", "no", "no", "yes"),
    ("in_network", "transferred_to_network"): expect("yes", "yes", "no", "no", "no", "no", "yes"),
    ("in_network", "met_nowhere_yet"): NO,
    ("see_referral", "sent_from_network"): expect("yes", "yes", "yes", "no", "no", "no", "no"),
    ("see_referral", "sent_to_network"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("see_referral", "to_another_agency"): NO,
    ("answer_referral", "sent_from_network"): expect("no", "no", "yes", "no", "no", "no", "no"),
    ("answer_referral", "sent_to_network"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("answer_referral", "to_another_agency"): NO,
    ("send_referral", "sent_from_network"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("send_referral", "sent_to_network"): NO,
    ("send_referral", "to_another_agency"): NO,
    ("see_aggregates", "own_site"): expect("no", "yes", "no", "yes", "no", "no", "no"),
    ("see_aggregates", "other_site"): expect("no", "no", "no", "yes", "no", "no", "no"),
    ("see_aggregates", "whole_region"): expect("no", "yes", "no", "yes", "no", "no", "no"),
    ("manage_registries", "platform"): expect("no", "no", "no", "yes", "no", "no", "no"),
    ("read_audit", "platform"): expect("no", "no", "no", "no", "yes", "no", "no"),
    ("erase", "platform"): expect("no", "no", "no", "no", "yes", "no", "no"),
    ("answer_subject_requests", "platform"): expect("no", "no", "no", "no", "yes", "no", "no"),
    # who was registered again at another centre, duplicates across networks: no worker is told
    ("review_identities", "platform"): expect("no", "no", "no", "no", "yes", "no", "no"),
    ("see_dead_letters", "platform"): expect("no", "no", "no", "yes", "no", "yes", "no"),
    # the read models' dead letters and consistency: ops alone (no body, no file)
    ("operate_read_models", "platform"): expect("no", "no", "no", "no", "no", "yes", "no"),
    # municipal publishers and their API keys: the coordinator and ops, no one who reads files
    ("manage_publishers", "platform"): expect("no", "no", "no", "yes", "no", "yes", "no"),
    # a refused event's body: the DPO's alone (it may be about another network's person)
    ("read_refused_event", "platform"): expect("no", "no", "no", "no", "yes", "no", "no"),
    ("is_staff", "platform"): expect("yes", "yes", "no", "no", "no", "no", "no"),
    ("decide_merges", "platform"): expect("no", "yes", "no", "no", "no", "no", "no"),
    ("propose_recipients", "platform"): expect("yes", "yes", "no", "yes", "no", "no", "no"),
    ("take_part_in_referrals", "platform"): expect("yes", "yes", "yes", "no", "no", "no", "no"),
    ("see_regional_overview", "platform"): expect("no", "no", "no", "yes", "no", "no", "no"),
    ("follow_referrals", "platform"): expect("yes", "yes", "yes", "yes", "no", "no", "no"),
    ("break_the_glass", "platform"): expect("no", "yes", "no", "no", "no", "no", "no"),
    ("see_regional_figures", "platform"): expect("no", "yes", "no", "yes", "no", "no", "no"),
    ("figures_leave_the_centre", "platform"): expect(
        "yes", "no", "yes", "yes", "yes", "yes", "yes"
    ),
    ("see_site_figures", "own_site"): expect("no", "yes", "no", "yes", "no", "no", "no"),
    ("see_site_figures", "other_site"): expect("no", "no", "no", "yes", "no", "no", "no"),
    ("see_site_figures", "whole_region"): expect("no", "no", "no", "yes", "no", "no", "no"),
    ("see_referral_in_a_list", "sent_from_network"): expect(
        "yes", "yes", "yes", "yes", "no", "no", "no"
    ),
    ("see_referral_in_a_list", "sent_to_network"): expect(
        "yes", "yes", "no", "yes", "no", "no", "no"
    ),
    ("see_referral_in_a_list", "to_another_agency"): expect(
        "no", "no", "no", "yes", "no", "no", "no"
    ),
}


def test_the_roles_of_the_matrix_are_the_policys_roles():
    assert ROLES == access.ROLES


def test_every_decision_of_the_policy_is_in_the_matrix():
    decisions = {
        name
        for name, f in inspect.getmembers(access, inspect.isfunction)
        if f.__module__ == access.__name__
        and list(inspect.signature(f).parameters)[:1] == ["principal"]
    }
    assert decisions == {action for action, _ in EXPECTED} - {"view_record_with_grant"}


@pytest.mark.parametrize("action, relation", sorted(EXPECTED))
def test_each_cell_of_the_access_matrix(action, relation):
    assert cells()[(action, relation)] == EXPECTED[(action, relation)]


def test_the_matrix_has_no_cell_the_policy_does_not_decide():
    assert set(cells()) == set(EXPECTED)
