"""The intake case's rules, each as a sentence."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest

from contracts.names import CASE_CLOSED, CASE_TRANSFERRED, CONSENT_WITHDRAWN, CONTACT_RECORDED
from services.common.domain import RuleViolated
from services.intake.domain.case import (
    CloseCase,
    RecordConsent,
    RecordContact,
    RecordService,
    ReopenCase,
    TransferCase,
    WithdrawConsent,
    decide,
    evolve,
    initial,
)

ID = uuid.uuid4()
OICHALIA, PYLOS, SPARTI = "9256", "9257", "9252"
KALAMATA_UNIT_SERVES = frozenset({"9253", "9255", OICHALIA, PYLOS, "9258"})


def contact(channel="centre", municipality="9254", served=None):
    return RecordContact(
        ID, date(2026, 11, 20), channel, "MU-KALAMATA", municipality, "sw-1", None, served
    )


def after(*commands):
    """The state after deciding and applying each command in turn."""
    state = initial
    for command in commands:
        for e in decide(command, state):
            state = evolve(state, SimpleNamespace(type=e.type, data=_jsonable(e.payload)))
    return state


def _jsonable(payload):
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in payload.items()}


def test_a_contact_at_the_centre_is_recorded():
    (event,) = decide(contact(), initial)
    assert event.type == CONTACT_RECORDED and "served_municipalities" not in event.payload


def test_a_mobile_unit_visit_in_a_partner_municipality_is_recorded():
    (event,) = decide(contact("mobile_unit_visit", OICHALIA, KALAMATA_UNIT_SERVES), initial)
    assert event.payload["municipality_code"] == OICHALIA


def test_a_mobile_unit_visit_outside_the_units_municipalities_is_refused():
    with pytest.raises(RuleViolated, match="does not serve"):
        decide(contact("mobile_unit_visit", SPARTI, KALAMATA_UNIT_SERVES), initial)


def test_a_mobile_unit_visit_from_a_site_that_is_not_a_mobile_unit_is_refused():
    with pytest.raises(RuleViolated, match="not a mobile unit"):
        decide(contact("mobile_unit_visit", OICHALIA, None), initial)


def test_no_contact_or_service_is_recorded_on_a_closed_case():
    closed = after(contact(), CloseCase(ID, "goals met", date(2026, 11, 21)))
    with pytest.raises(RuleViolated, match="closed"):
        decide(contact(), closed)
    with pytest.raises(RuleViolated, match="closed"):
        decide(RecordService(ID, date(2026, 11, 22), "information", "KK-KALAMATA", "sw-1"), closed)


def test_closing_a_closed_case_changes_nothing():
    closed = after(CloseCase(ID, "goals met", date(2026, 11, 21)))
    assert decide(CloseCase(ID, "again", date(2026, 11, 22)), closed) == []


def test_a_reopened_case_takes_contacts_again():
    reopened = after(
        CloseCase(ID, "moved", date(2026, 11, 1)), ReopenCase(ID, "came back", date(2026, 11, 20))
    )
    assert [e.type for e in decide(contact(), reopened)] == [CONTACT_RECORDED]


def test_an_open_case_cannot_be_reopened():
    with pytest.raises(RuleViolated, match="open"):
        decide(ReopenCase(ID, "?", date(2026, 11, 20)), initial)


def test_consent_allows_sharing_with_that_recipient_until_it_ends():
    state = after(
        RecordConsent(
            ID, "OAED-KALAMATA", "employment referral", date(2026, 11, 1), date(2026, 12, 31)
        )
    )
    assert state.may_share_with("OAED-KALAMATA", date(2026, 11, 20))
    assert not state.may_share_with("OAED-KALAMATA", date(2027, 1, 1))
    assert not state.may_share_with("SHELTER-TRIPOLI", date(2026, 11, 20))


def test_withdrawn_consent_stops_sharing_from_that_moment():
    given = RecordConsent(ID, "OAED-KALAMATA", "employment referral", date(2026, 11, 1))
    state = after(given, WithdrawConsent(ID, "OAED-KALAMATA", date(2026, 11, 15)))
    assert not state.may_share_with("OAED-KALAMATA", date(2026, 11, 20))


def test_withdrawing_a_consent_never_given_records_nothing():
    assert decide(WithdrawConsent(ID, "OAED-KALAMATA", date(2026, 11, 15)), initial) == []
    given = after(RecordConsent(ID, "OAED-KALAMATA", "referral", date(2026, 11, 1)))
    assert [
        e.type for e in decide(WithdrawConsent(ID, "OAED-KALAMATA", date(2026, 11, 2)), given)
    ] == [CONSENT_WITHDRAWN]


def test_a_consent_cannot_end_before_it_begins():
    with pytest.raises(RuleViolated):
        decide(RecordConsent(ID, "X", "p", date(2026, 11, 10), date(2026, 11, 1)), initial)


def test_a_case_is_transferred_to_another_centre_and_remembers_where_from():
    state = after(contact())
    (event,) = decide(TransferCase(ID, "KK-SPARTI", "moved to Sparti", date(2026, 11, 20)), state)
    assert event.type == CASE_TRANSFERRED and event.payload["from_site"] == "MU-KALAMATA"
    assert (
        after(contact(), TransferCase(ID, "KK-SPARTI", "moved", date(2026, 11, 20))).site
        == "KK-SPARTI"
    )


def test_a_case_cannot_be_transferred_to_the_centre_that_holds_it():
    with pytest.raises(RuleViolated, match="already held"):
        decide(TransferCase(ID, "MU-KALAMATA", "?", date(2026, 11, 20)), after(contact()))


def test_closing_records_the_reason():
    (event,) = decide(CloseCase(ID, "goals met", date(2026, 11, 21)), initial)
    assert event.type == CASE_CLOSED and event.payload["reason"] == "goals met"


def test_a_follow_up_is_recorded_only_for_someone_who_has_left():
    from services.intake.domain.case import RecordFollowUp

    follow_up = RecordFollowUp(
        uuid.uuid4(), date(2027, 5, 1), employed=True, improved_situation=True
    )
    with pytest.raises(RuleViolated, match="close the case first"):
        decide(follow_up, initial)
    closed = evolve(initial, SimpleNamespace(type="CaseClosed", data={}))
    (event,) = decide(follow_up, closed)
    assert event.type == "FollowUpRecorded" and event.payload["employed"] is True
