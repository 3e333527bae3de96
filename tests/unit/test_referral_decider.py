import uuid
from datetime import date
from types import SimpleNamespace

import pytest

from contracts.names import (
    REFERRAL_EXPIRED,
    REFERRAL_REQUESTED,
    REFERRAL_SENT,
    REFERRAL_SHARING_STOPPED,
    REFERRAL_WITHDRAWN,
)
from contracts.referrals import STATES
from services.common.domain import Conflict, RuleViolated
from services.referrals.domain.referral import (
    EVENTS,
    NAMES,
    TRANSITIONS,
    AcceptReferral,
    AcknowledgeReferral,
    CompleteReferral,
    ExpireReferral,
    Referral,
    RejectReferral,
    RequestReferral,
    SendReferral,
    StopSharing,
    TransitionRefused,
    WithdrawReferral,
    decide,
    evolve,
)

ID, PERSON = uuid.uuid4(), uuid.uuid4()
STEPS = sorted(EVENTS, key=lambda step: NAMES[step][0])
DAY = date(2026, 11, 20)
FIELDS: dict[type, dict] = {
    RequestReferral: {
        "beneficiary_id": PERSON,
        "from_site": "MU-KALAMATA",
        "need": "employment",
        "recipient_kind": "agency",
        "recipient_id": "3b869f7f-791a-570a-80d9-123275cd65cc",
        "recipient_name": "ΔΥΠΑ Καλαμάτας",
        "shares_personal_data": False,
        "requested_on": DAY,
        "by": "kalamata.social1",
    },
    SendReferral: {"beneficiary_id": PERSON, "sent_on": DAY, "by": "kalamata.social1"},
    AcknowledgeReferral: {"beneficiary_id": PERSON, "received_on": DAY, "by": "dypa.kalamata"},
    AcceptReferral: {"beneficiary_id": PERSON, "accepted_on": DAY, "by": "dypa.kalamata"},
    RejectReferral: {
        "beneficiary_id": PERSON,
        "rejected_on": DAY,
        "by": "dypa.kalamata",
        "reason": "εκτός ορίων",
    },
    CompleteReferral: {
        "beneficiary_id": PERSON,
        "completed_on": DAY,
        "by": "dypa.kalamata",
        "outcome": "service_given",
    },
    WithdrawReferral: {
        "beneficiary_id": PERSON,
        "withdrawn_on": DAY,
        "by": "kalamata.social1",
        "reason": "μετακόμισε",
    },
    ExpireReferral: {"beneficiary_id": PERSON, "expired_on": date(2026, 12, 31)},
}


def command(step: type, **fields):
    """The step on referral ID, with the test's fields, changed or added to by `fields`."""
    return step(referral_id=ID, **{**FIELDS[step], **fields})


def in_state(state: str | None, shares: bool = False) -> Referral:
    return Referral(
        state, shares, "x", date(2026, 11, 30) if state in ("sent", "received") else None
    )


ALLOWED = [(state, step) for state, moves in TRANSITIONS.items() for step in moves]
FORBIDDEN = [
    (state, step) for state in TRANSITIONS for step in STEPS if step not in TRANSITIONS[state]
]


def test_the_table_names_every_step_and_only_steps_have_events():
    assert set(EVENTS) == set(NAMES) == {step for moves in TRANSITIONS.values() for step in moves}
    assert StopSharing not in EVENTS  # it marks the referral; it moves it nowhere


@pytest.mark.parametrize("state, step", ALLOWED)
def test_every_allowed_transition_records_its_event(state, step):
    (event,) = decide(command(step), in_state(state))
    assert event.type == EVENTS[step]
    after = evolve(
        in_state(state),
        SimpleNamespace(
            type=event.type,
            data={
                **event.payload,
                "due_on": "2026-11-30",
                "shares_personal_data": False,
                "recipient_id": "x",
            },
        ),
    )
    assert after.state == TRANSITIONS[state][step]


@pytest.mark.parametrize("state, step", FORBIDDEN)
def test_every_forbidden_transition_is_refused_naming_the_current_state(state, step):
    with pytest.raises((TransitionRefused, Conflict)) as raised:
        decide(command(step), in_state(state))
    assert raised.value.details["current_state"] == state


def test_a_forbidden_transition_is_a_conflict_for_the_gateway():
    with pytest.raises(TransitionRefused) as raised:
        decide(command(AcceptReferral), in_state("sent"))
    assert raised.value.code == "conflict" and raised.value.details["allowed"] == [
        "acknowledge",
        "expire",
        "withdraw",
    ]
    assert "sent" in raised.value.message


def test_sending_sets_the_due_date_from_the_recipients_response_days():
    (event,) = decide(command(SendReferral, response_days=14), in_state("requested"))
    assert event.type == REFERRAL_SENT and event.payload["due_on"] == date(2026, 12, 4)


def test_a_referral_sharing_personal_data_is_refused_without_consent():
    with pytest.raises(RuleViolated) as raised:
        decide(
            command(RequestReferral, shares_personal_data=True, consent_in_force=False),
            in_state(None),
        )
    assert raised.value.details["field"] == "recipient_id"


def test_a_referral_sharing_personal_data_is_requested_with_consent():
    (event,) = decide(
        command(RequestReferral, shares_personal_data=True, consent_in_force=True),
        in_state(None),
    )
    assert event.type == REFERRAL_REQUESTED


def test_consent_withdrawn_before_sending_stops_the_send():
    with pytest.raises(RuleViolated):
        decide(
            command(SendReferral, consent_in_force=False, response_days=10),
            in_state("requested", shares=True),
        )


def test_a_referral_without_personal_data_needs_no_consent_to_be_sent():
    (event,) = decide(
        command(SendReferral, consent_in_force=None, response_days=10), in_state("requested")
    )
    assert event.type == REFERRAL_SENT


def test_a_referral_is_not_expired_before_its_due_date():
    with pytest.raises(RuleViolated):
        decide(
            command(ExpireReferral, expired_on=date(2026, 11, 30)),
            in_state("sent"),
        )
    (event,) = decide(command(ExpireReferral), in_state("sent"))
    assert event.type == REFERRAL_EXPIRED and event.payload["due_on"] == date(2026, 11, 30)


def test_a_rejection_keeps_its_reason_and_a_withdrawal_its_own():
    (event,) = decide(command(WithdrawReferral), in_state("accepted"))
    assert event.type == REFERRAL_WITHDRAWN and event.payload["reason"] == "μετακόμισε"


def test_sharing_stops_once_for_a_sent_referral_and_never_for_one_not_sent():
    stop = StopSharing(ID, PERSON, DAY, "η συγκατάθεση ανακλήθηκε")
    (event,) = decide(stop, in_state("received", shares=True))
    assert event.type == REFERRAL_SHARING_STOPPED
    stopped = evolve(
        in_state("received", True), SimpleNamespace(type=event.type, data=event.payload)
    )
    assert decide(stop, stopped) == [] and decide(stop, in_state("requested")) == []


def test_the_contracts_states_are_the_transition_tables_own():
    """The inbox filters by the contract's states: each must be one the lifecycle reaches."""
    reached = {to for steps in TRANSITIONS.values() for to in steps.values()}
    assert set(STATES) == reached
