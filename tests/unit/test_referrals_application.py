"""The referrals application (services/referrals/application/referrals.py, the typed-command API:
`Referrals.run(command, metadata, expected_version)`) on the in-memory event store, with fakes of
its two ports: the registry (who a recipient is, how many days it has to answer) and intake's
consents (whether the person's data may go to that recipient on that day)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from contracts.names import (
    REFERRAL_EXPIRED,
    REFERRAL_REQUESTED,
    REFERRAL_SENT,
    REFERRAL_SHARING_STOPPED,
    REFERRAL_WITHDRAWN,
)
from services.common.domain import Conflict, NotFound, RuleViolated
from services.common.eventstore import Metadata, WrongExpectedVersion, stream_name
from services.common.eventstore.memory import InMemoryEventStore
from services.referrals.application.referrals import Referrals
from services.referrals.domain.referral import (
    AcceptReferral,
    AcknowledgeReferral,
    ExpireReferral,
    RejectReferral,
    RequestReferral,
    SendReferral,
    StopSharing,
    TransitionRefused,
    WithdrawReferral,
)
from tests.unit.fakes import FakeConsents, FakeRegistry

REFERRAL = uuid.UUID("7f3d2c1b-9a8e-4f7d-b6c5-a4b3c2d1e0f9")
PERSON = uuid.UUID("5a0c3e1e-8d0b-4c55-9a61-2f7d1b6e0a11")
DYPA = "3b869f7f-791a-570a-80d9-123275cd65cc"  # an agency answering in 15 days
GROCERY = "becd5276-a2fe-5dd0-a963-3c0ab798b3de"  # an agency that gave no response days
PROGRAMME = "4762fd0d-75a2-509c-a4c5-2cfeefc88234"  # run by DYPA
REQUESTED_ON, SENT_ON = date(2025, 3, 3), date(2025, 3, 5)


def registry() -> FakeRegistry:
    return FakeRegistry(
        agencies=[
            {"agency_id": DYPA, "name": "ΔΥΠΑ Καλαμάτας", "response_days": 15},
            {"agency_id": GROCERY, "name": "Κοινωνικό Παντοπωλείο", "response_days": None},
        ],
        programmes=[{"programme_id": PROGRAMME, "agency_id": DYPA, "name": "55-67"}],
    )


def consenting(recipient: str = DYPA, until: str | None = None) -> FakeConsents:
    consents = FakeConsents()
    consents.give(PERSON, recipient, "2025-03-01", until)
    return consents


def referrals(consents: FakeConsents | None = None, registry_=None) -> Referrals:
    return Referrals(InMemoryEventStore(), registry_ or registry(), consents or FakeConsents())


def meta(command_id: str | None = None) -> Metadata:
    return Metadata("sw-1", "KK-KALAMATA", command_id=command_id)


def request(kind="agency", recipient=DYPA, shares=True, **changes) -> RequestReferral:
    fields = {
        "referral_id": REFERRAL,
        "beneficiary_id": PERSON,
        "from_site": "KK-KALAMATA",
        "need": "employment",
        "recipient_kind": kind,
        "recipient_id": recipient,
        "recipient_name": "ΔΥΠΑ Καλαμάτας",
        "shares_personal_data": shares,
        "requested_on": REQUESTED_ON,
        "by": "sw-1",
    }
    return RequestReferral(**{**fields, **changes})


def send(on: date = SENT_ON) -> SendReferral:
    return SendReferral(REFERRAL, PERSON, on, "sw-1")


def requested(service: Referrals, command: RequestReferral | None = None) -> Referrals:
    service.run(command or request(), meta(), expected_version=0)
    return service


def sent(service: Referrals, command: RequestReferral | None = None) -> Referrals:
    requested(service, command).run(send(), meta(), expected_version=1)
    return service


def types_of(service: Referrals) -> list[str]:
    return [e.type for e in service.store.read_stream(stream_name("referral", REFERRAL))]


# --- requesting ------------------------------------------------------------------------------


def test_a_referral_sharing_personal_data_is_requested_when_consent_covers_the_agency():
    service = referrals(consenting(DYPA))
    (event,) = service.run(request(), meta(), expected_version=0).events
    assert event.type == REFERRAL_REQUESTED and event.stream == stream_name("referral", REFERRAL)


def test_consent_is_asked_for_the_person_the_recipient_and_the_day_requested():
    consents = consenting(DYPA)
    referrals(consents).run(request(), meta(), expected_version=0)
    assert consents.asked == [(str(PERSON), DYPA, "2025-03-03")]


def test_a_referral_sharing_personal_data_without_consent_is_refused_and_nothing_stored():
    service = referrals(FakeConsents())
    with pytest.raises(RuleViolated):
        service.run(request(), meta(), expected_version=0)
    assert service.store.last_position() == 0


def test_a_consent_that_ended_before_the_request_does_not_cover_it():
    service = referrals(consenting(DYPA, until="2025-03-02"))
    with pytest.raises(RuleViolated):
        service.run(request(), meta(), expected_version=0)


def test_a_consent_given_to_another_recipient_does_not_cover_this_one():
    service = referrals(consenting(GROCERY))
    with pytest.raises(RuleViolated):
        service.run(request(), meta(), expected_version=0)


def test_a_referral_sharing_nothing_personal_needs_no_consent_and_asks_for_none():
    consents = FakeConsents()
    result = referrals(consents).run(request(shares=False), meta(), expected_version=0)
    assert [e.type for e in result.events] == [REFERRAL_REQUESTED] and consents.asked == []


def test_the_consent_looked_up_is_not_stored_with_the_request():
    (event,) = referrals(consenting()).run(request(), meta(), expected_version=0).events
    assert "consent_in_force" not in event.data


def test_a_referral_to_an_agency_records_that_its_consent_covers_it():
    (event,) = referrals(consenting()).run(request(), meta(), expected_version=0).events
    assert event.data["consent_recipient"] == DYPA


def test_a_referral_to_a_programme_needs_the_consent_given_to_the_agency_running_it():
    # consent is given to an agency, never to each of its programmes
    consents = consenting(DYPA)
    service = referrals(consents)
    (event,) = service.run(request("programme", PROGRAMME), meta(), 0).events
    assert event.data["consent_recipient"] == DYPA
    assert consents.asked == [(str(PERSON), DYPA, "2025-03-03")]


def test_a_consent_given_to_a_programme_itself_does_not_cover_a_referral_to_it():
    service = referrals(consenting(PROGRAMME))
    with pytest.raises(RuleViolated):
        service.run(request("programme", PROGRAMME), meta(), expected_version=0)


def test_a_client_cannot_choose_whose_consent_covers_the_referral():
    # consent_recipient is the registry's answer: a client naming an agency it has consent for
    # does not make that consent cover another recipient
    service = referrals(consenting(GROCERY))
    with pytest.raises(RuleViolated):
        service.run(request(consent_recipient=GROCERY), meta(), expected_version=0)


def test_a_referral_to_an_agency_not_in_the_registry_is_not_found_and_nothing_stored():
    service = referrals(consenting())
    with pytest.raises(NotFound):
        service.run(request(recipient="9c8b7a69-5d4e-4f3a-8b2c-1d0e9f8a7b6c"), meta(), 0)
    assert service.store.last_position() == 0


def test_a_referral_to_the_registry_is_named_as_the_registry_names_it_not_as_typed():
    service = referrals(consenting())
    (event,) = service.run(request(recipient_name="Ο.Α.Ε.Δ. Καλαμ."), meta(), 0).events
    assert event.personal["recipient_name"] == "ΔΥΠΑ Καλαμάτας"
    typed = request("external", "KAFENEIO-MELIGALA", False, recipient_name="Καφενείο Μελιγαλά")
    (outsider,) = referrals().run(typed, meta(), 0).events
    assert outsider.personal["recipient_name"] == "Καφενείο Μελιγαλά"


def test_a_referral_to_a_programme_not_in_the_registry_is_not_found():
    service = referrals(consenting())
    with pytest.raises(NotFound):
        service.run(request("programme", "9c8b7a69-5d4e-4f3a-8b2c-1d0e9f8a7b6c"), meta(), 0)


def test_a_referral_to_a_centre_is_not_looked_up_in_the_registry():
    registry_ = registry()
    consents = consenting("KK-SPARTI")
    referrals(consents, registry_).run(request("centre", "KK-SPARTI"), meta(), 0)
    assert registry_.asked == [] and consents.asked == [(str(PERSON), "KK-SPARTI", "2025-03-03")]


def test_a_referral_requested_twice_is_a_conflict():
    service = requested(referrals(consenting()))
    with pytest.raises(Conflict):
        service.run(request(), meta(), expected_version=1)


def test_a_retried_request_gets_its_first_answer_and_nothing_is_stored_again():
    service = referrals(consenting())
    first = service.run(request(), meta("ref-00001"), expected_version=0)
    again = service.run(request(), meta("ref-00001"), expected_version=0)
    assert again.duplicate and again.events == first.events
    assert service.store.last_position() == 1


def test_a_retried_request_is_answered_as_before_though_consent_was_withdrawn_meanwhile():
    # whether consent is in force is a fact the application looked up, not what the client sent
    consents = consenting()
    service = referrals(consents)
    first = service.run(request(), meta("ref-00001"), expected_version=0)
    consents.withdraw(PERSON, DYPA)
    again = service.run(request(), meta("ref-00001"), expected_version=0)
    assert again.duplicate and again.events == first.events


def test_what_was_requested_is_read_back_from_the_first_event():
    service = requested(referrals(consenting()))
    found = service.requested(REFERRAL)
    assert found["recipient_id"] == DYPA and found["shares_personal_data"] is True


def test_a_referral_never_requested_has_nothing_requested():
    assert referrals().requested(REFERRAL) is None


# --- sending ---------------------------------------------------------------------------------


def test_a_sent_referral_is_due_after_the_agencys_response_days():
    service = requested(referrals(consenting()))
    (event,) = service.run(send(date(2025, 3, 5)), meta(), expected_version=1).events
    assert event.type == REFERRAL_SENT and event.data["due_on"] == "2025-03-20"


def test_a_referral_to_a_programme_is_due_after_its_agencys_response_days():
    service = requested(referrals(consenting()), request("programme", PROGRAMME))
    (event,) = service.run(send(date(2025, 3, 5)), meta(), expected_version=1).events
    assert event.data["due_on"] == "2025-03-20"


def test_a_referral_to_an_agency_that_gave_no_response_days_is_due_in_ten_days():
    service = requested(referrals(consenting(GROCERY)), request(recipient=GROCERY))
    (event,) = service.run(send(date(2025, 3, 5)), meta(), expected_version=1).events
    assert event.data["due_on"] == "2025-03-15"


def test_a_referral_to_a_centre_is_due_in_ten_days():
    service = requested(referrals(), request("centre", "KK-SPARTI", shares=False))
    (event,) = service.run(send(date(2025, 3, 5)), meta(), expected_version=1).events
    assert event.data["due_on"] == "2025-03-15"


def test_the_response_days_looked_up_are_not_stored_with_the_sending():
    service = requested(referrals(consenting()))
    (event,) = service.run(send(), meta(), expected_version=1).events
    assert not {"response_days", "consent_in_force"} & set(event.data)


def test_sending_asks_whether_consent_is_still_in_force_on_the_day_it_is_sent():
    consents = consenting()
    service = requested(referrals(consents))
    service.run(send(date(2025, 3, 5)), meta(), expected_version=1)
    assert consents.asked[-1] == (str(PERSON), DYPA, "2025-03-05")


def test_sending_is_refused_when_consent_was_withdrawn_after_the_request():
    consents = consenting()
    service = requested(referrals(consents))
    consents.withdraw(PERSON, DYPA)
    with pytest.raises(RuleViolated):
        service.run(send(), meta(), expected_version=1)
    assert types_of(service) == [REFERRAL_REQUESTED]


def test_sending_is_refused_when_consent_ended_between_request_and_sending():
    service = requested(referrals(consenting(until="2025-03-04")))
    with pytest.raises(RuleViolated):
        service.run(send(date(2025, 3, 5)), meta(), expected_version=1)


def test_sending_a_referral_that_shares_nothing_personal_asks_for_no_consent():
    consents = FakeConsents()
    service = requested(referrals(consents), request(shares=False))
    service.run(send(), meta(), expected_version=1)
    assert consents.asked == []


def test_sending_a_referral_never_requested_is_refused_naming_its_state():
    # refused by the transition table, before any registry or consent is asked
    service = Referrals(InMemoryEventStore(), None, None)
    with pytest.raises(TransitionRefused) as raised:
        service.run(send(), meta(), expected_version=0)
    assert raised.value.details["current_state"] is None


def test_a_retried_sending_is_answered_as_before_though_the_facts_changed_meanwhile():
    # the agency's response days and the consent are looked up, not sent: a retry after both
    # changed is still the same command, with the due date it was first given
    consents = consenting()
    registry_ = registry()
    service = requested(referrals(consents, registry_))
    first = service.run(send(), meta("send-0001"), expected_version=1)
    registry_.agencies[DYPA]["response_days"] = 30
    consents.withdraw(PERSON, DYPA)
    again = service.run(send(), meta("send-0001"), expected_version=1)
    assert again.duplicate and again.events == first.events


def test_a_sending_from_a_client_that_missed_a_step_is_a_conflict():
    service = requested(referrals(consenting()))
    with pytest.raises(WrongExpectedVersion):
        service.run(send(), meta(), expected_version=0)


# --- the other steps and a process that only reacts -----------------------------------------


def test_the_recipients_steps_need_neither_registry_nor_consents():
    store = InMemoryEventStore()
    sender = Referrals(store, registry(), consenting())
    sent(sender)
    recipient = Referrals(store, None, None)
    recipient.run(AcknowledgeReferral(REFERRAL, PERSON, date(2025, 3, 6), "dypa.kalamata"), meta())
    result = recipient.run(
        AcceptReferral(REFERRAL, PERSON, date(2025, 3, 7), "dypa.kalamata"), meta()
    )
    assert result.version == 4


def test_a_step_the_table_does_not_allow_is_refused_naming_what_is_allowed():
    service = requested(referrals(consenting()))
    with pytest.raises(TransitionRefused) as raised:
        service.run(RejectReferral(REFERRAL, PERSON, date(2025, 3, 6), "dypa", "full"), meta())
    assert raised.value.details["allowed"] == ["send", "withdraw"]


def test_a_process_that_only_reacts_can_withdraw_a_referral():
    store = InMemoryEventStore()
    requested(Referrals(store, registry(), consenting()))
    withdraw = WithdrawReferral(REFERRAL, PERSON, date(2025, 3, 4), "referrals.reactions", "closed")
    result = Referrals(store, None, None).run(withdraw, meta())
    assert [e.type for e in result.events] == [REFERRAL_WITHDRAWN]


def test_a_process_that_only_reacts_can_stop_sharing_a_sent_referral():
    store = InMemoryEventStore()
    sent(Referrals(store, registry(), consenting()))
    stop = StopSharing(REFERRAL, PERSON, date(2025, 3, 8), "consent withdrawn")
    result = Referrals(store, None, None).run(stop, meta())
    assert [e.type for e in result.events] == [REFERRAL_SHARING_STOPPED]


def test_a_process_given_no_registry_cannot_request_a_referral_to_an_agency():
    service = Referrals(InMemoryEventStore(), None, consenting())
    with pytest.raises(RuntimeError, match="registry"):
        service.run(request(), meta(), expected_version=0)


def test_a_process_given_no_consents_cannot_request_a_referral_that_shares_personal_data():
    service = Referrals(InMemoryEventStore(), registry(), None)
    with pytest.raises(RuntimeError, match="consents"):
        service.run(request(), meta(), expected_version=0)


def test_a_process_given_no_registry_cannot_send_a_referral_to_an_agency():
    store = InMemoryEventStore()
    requested(Referrals(store, registry(), consenting()))
    with pytest.raises(RuntimeError, match="registry"):
        Referrals(store, None, consenting()).run(send(), meta(), expected_version=1)


def test_a_referral_to_a_centre_sharing_nothing_needs_neither_port():
    service = Referrals(InMemoryEventStore(), None, None)
    service.run(request("centre", "KK-SPARTI", shares=False), meta(), expected_version=0)
    result = service.run(send(), meta(), expected_version=1)
    assert result.events[0].data["due_on"] == "2025-03-15"


# --- expiry ----------------------------------------------------------------------------------


def test_a_referral_past_its_due_date_expires_with_the_due_date_it_had():
    service = sent(referrals(consenting()))
    (event,) = service.run(ExpireReferral(REFERRAL, PERSON, date(2025, 3, 21)), meta()).events
    assert event.type == REFERRAL_EXPIRED and event.data["due_on"] == "2025-03-20"


def test_a_referral_on_its_due_date_is_not_expired_yet():
    service = sent(referrals(consenting()))
    with pytest.raises(RuleViolated):
        service.run(ExpireReferral(REFERRAL, PERSON, date(2025, 3, 20)), meta())
