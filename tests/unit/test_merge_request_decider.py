"""A merge request: a worker asks, the head of centre approves (the merge is decided then, by the
merge's own rules) or declines. One request per record at a time; who asked never approves."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from contracts.names import (
    BENEFICIARY_MERGED,
    BENEFICIARY_REGISTERED,
    MERGE_REQUEST_APPROVED,
    MERGE_REQUEST_DECLINED,
    MERGE_REQUESTED,
)
from services.common.domain import Conflict, NotFound, RuleViolated
from services.registries.domain.beneficiary import (
    ApproveMergeRequest,
    Beneficiary,
    DeclineMergeRequest,
    RequestMerge,
    decide,
    evolve,
    initial,
)

DUPLICATE, SURVIVOR = uuid.uuid4(), uuid.uuid4()
REGISTERED = Beneficiary(registered=True)
REQUEST = RequestMerge(DUPLICATE, SURVIVOR, "ίδιο ΑΜΚΑ", "kalamata.social1", REGISTERED)
APPROVE = ApproveMergeRequest(DUPLICATE, "ίδιο πρόσωπο", "kalamata.head", REGISTERED)
DECLINE = DeclineMergeRequest(DUPLICATE, "άλλο πρόσωπο", "kalamata.head")


def after(*events) -> Beneficiary:
    state = initial
    for type_, data in events:
        state = evolve(state, SimpleNamespace(type=type_, data=data))
    return state


REQUESTED = after(
    (BENEFICIARY_REGISTERED, {}),
    (MERGE_REQUESTED, {"survivor_id": str(SURVIVOR), "requested_by": "kalamata.social1"}),
)


def test_a_worker_requests_a_merge_of_two_registered_records():
    (event,) = decide(REQUEST, REGISTERED)
    assert event.type == MERGE_REQUESTED and event.payload["survivor_id"] == SURVIVOR
    assert "survivor" not in event.payload  # a fact, not part of what was asked


def test_a_record_cannot_be_asked_to_merge_into_itself():
    with pytest.raises(RuleViolated):
        decide(RequestMerge(DUPLICATE, DUPLICATE, "x", "w", REGISTERED), REGISTERED)


def test_a_request_for_a_record_nobody_registered_is_not_found():
    with pytest.raises(NotFound):
        decide(RequestMerge(DUPLICATE, SURVIVOR, "x", "w", None), REGISTERED)


def test_asking_again_for_the_same_merge_changes_nothing():
    assert decide(REQUEST, REQUESTED) == []


def test_a_second_request_for_another_survivor_waits_for_the_first_to_be_decided():
    with pytest.raises(Conflict):
        decide(RequestMerge(DUPLICATE, uuid.uuid4(), "x", "w", REGISTERED), REQUESTED)


def test_the_head_approves_and_the_merge_is_stored_with_the_approval():
    approved, merged = decide(APPROVE, REQUESTED)
    assert approved.type == MERGE_REQUEST_APPROVED and merged.type == BENEFICIARY_MERGED
    assert merged.payload["survivor_id"] == SURVIVOR and merged.payload["decided_by"] == (
        "kalamata.head"
    )


def test_who_asked_cannot_approve_their_own_request():
    own = ApproveMergeRequest(DUPLICATE, "ίδιο", "kalamata.social1", REGISTERED)
    with pytest.raises(RuleViolated):
        decide(own, REQUESTED)


def test_the_merges_own_rules_hold_at_approval():
    merged_survivor = Beneficiary(registered=True, merged_into=str(uuid.uuid4()))
    with pytest.raises(RuleViolated):
        decide(ApproveMergeRequest(DUPLICATE, "x", "kalamata.head", merged_survivor), REQUESTED)


def test_the_head_declines_and_the_request_is_no_longer_pending():
    (event,) = decide(DECLINE, REQUESTED)
    assert event.type == MERGE_REQUEST_DECLINED and event.payload["survivor_id"] == str(SURVIVOR)
    assert evolve(REQUESTED, SimpleNamespace(type=event.type, data={})).merge_request is None


@pytest.mark.parametrize("command", [APPROVE, DECLINE])
def test_nothing_to_decide_without_a_pending_request(command):
    with pytest.raises(NotFound):
        decide(command, REGISTERED)
