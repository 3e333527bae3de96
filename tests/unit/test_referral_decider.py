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
from services.common.domain import Conflict, RuleViolated
from services.referrals.domain.referral import (
    EVENTS,
    TRANSITIONS,
    Act,
    Referral,
    StopSharing,
    TransitionRefused,
    decide,
    evolve,
)

ID, PERSON = uuid.uuid4(), uuid.uuid4()
ACTIONS = sorted(EVENTS)
DAY = date(2026, 11, 20)
FIELDS = {
    "request": {
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
    "send": {"beneficiary_id": PERSON, "sent_on": DAY, "by": "kalamata.social1"},
    "acknowledge": {"beneficiary_id": PERSON, "received_on": DAY, "by": "dypa.kalamata"},
    "accept": {"beneficiary_id": PERSON, "accepted_on": DAY, "by": "dypa.kalamata"},
    "reject": {
        "beneficiary_id": PERSON,
        "rejected_on": DAY,
        "by": "dypa.kalamata",
        "reason": "εκτός ορίων",
    },
    "complete": {
        "beneficiary_id": PERSON,
        "completed_on": DAY,
        "by": "dypa.kalamata",
        "outcome": "service_given",
    },
    "withdraw": {
        "beneficiary_id": PERSON,
        "withdrawn_on": DAY,
        "by": "kalamata.social1",
        "reason": "μετακόμισε",
    },
    "expire": {"beneficiary_id": PERSON, "expired_on": date(2026, 12, 31)},
}


def act(action: str, **facts) -> Act:
    return Act(action, ID, FIELDS[action], **facts)


def in_state(state: str | None, shares: bool = False) -> Referral:
    return Referral(
        state, shares, "x", date(2026, 11, 30) if state in ("sent", "received") else None
    )


ALLOWED = [(state, action) for state, moves in TRANSITIONS.items() for action in moves]
FORBIDDEN = [
    (state, action)
    for state in TRANSITIONS
    for action in ACTIONS
    if action not in TRANSITIONS[state]
]


@pytest.mark.parametrize("state, action", ALLOWED)
def test_every_allowed_transition_records_its_event(state, action):
    (event,) = decide(act(action, response_days=10), in_state(state))
    assert event.type == EVENTS[action]
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
    assert after.state == TRANSITIONS[state][action]


@pytest.mark.parametrize("state, action", FORBIDDEN)
def test_every_forbidden_transition_is_refused_naming_the_current_state(state, action):
    with pytest.raises((TransitionRefused, Conflict)) as raised:
        decide(act(action, response_days=10), in_state(state))
    assert raised.value.details["current_state"] == state


def test_a_forbidden_transition_is_a_conflict_for_the_gateway():
    with pytest.raises(TransitionRefused) as raised:
        decide(act("accept"), in_state("sent"))
    assert raised.value.code == "conflict" and raised.value.details["allowed"] == [
        "acknowledge",
        "expire",
        "withdraw",
    ]
    assert "sent" in raised.value.message


def test_sending_sets_the_due_date_from_the_recipients_response_days():
    (event,) = decide(act("send", response_days=14), in_state("requested"))
    assert event.type == REFERRAL_SENT and event.payload["due_on"] == date(2026, 12, 4)


def test_a_referral_sharing_personal_data_is_refused_without_consent():
    with pytest.raises(RuleViolated) as raised:
        decide(
            Act(
                "request",
                ID,
                {**FIELDS["request"], "shares_personal_data": True},
                consent_in_force=False,
            ),
            in_state(None),
        )
    assert raised.value.details["field"] == "recipient_id"


def test_a_referral_sharing_personal_data_is_requested_with_consent():
    (event,) = decide(
        Act(
            "request",
            ID,
            {**FIELDS["request"], "shares_personal_data": True},
            consent_in_force=True,
        ),
        in_state(None),
    )
    assert event.type == REFERRAL_REQUESTED


def test_consent_withdrawn_before_sending_stops_the_send():
    with pytest.raises(RuleViolated):
        decide(
            act("send", consent_in_force=False, response_days=10),
            in_state("requested", shares=True),
        )


def test_a_referral_without_personal_data_needs_no_consent_to_be_sent():
    (event,) = decide(act("send", consent_in_force=None, response_days=10), in_state("requested"))
    assert event.type == REFERRAL_SENT


def test_a_referral_is_not_expired_before_its_due_date():
    with pytest.raises(RuleViolated):
        decide(
            Act("expire", ID, {**FIELDS["expire"], "expired_on": date(2026, 11, 30)}),
            in_state("sent"),
        )
    (event,) = decide(act("expire"), in_state("sent"))
    assert event.type == REFERRAL_EXPIRED and event.payload["due_on"] == date(2026, 11, 30)


def test_a_rejection_keeps_its_reason_and_a_withdrawal_its_own():
    (event,) = decide(act("withdraw"), in_state("accepted"))
    assert event.type == REFERRAL_WITHDRAWN and event.payload["reason"] == "μετακόμισε"


def test_sharing_stops_once_for_a_sent_referral_and_never_for_one_not_sent():
    stop = StopSharing(ID, DAY, "η συγκατάθεση ανακλήθηκε")
    (event,) = decide(stop, in_state("received", shares=True))
    assert event.type == REFERRAL_SHARING_STOPPED
    stopped = evolve(
        in_state("received", True), SimpleNamespace(type=event.type, data=event.payload)
    )
    assert decide(stop, stopped) == [] and decide(stop, in_state("requested")) == []
