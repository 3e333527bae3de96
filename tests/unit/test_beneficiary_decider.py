import uuid
from dataclasses import replace
from types import SimpleNamespace

import pytest

from contracts.names import (
    BENEFICIARY_MERGED,
    BENEFICIARY_REGISTERED,
    BENEFICIARY_UNMERGED,
    PERSONAL_DATA_ERASED,
)
from services.common.domain import Conflict, NotFound, RuleViolated
from services.registries.domain.beneficiary import (
    Beneficiary,
    ErasePersonalData,
    MergeBeneficiary,
    RegisterBeneficiary,
    UnmergeBeneficiary,
    decide,
    evolve,
    initial,
)

ID = uuid.uuid4()
REGISTER = RegisterBeneficiary(ID, "Ελένη", "Σταθοπούλου", "9258", "MU-KALAMATA")
ERASE = ErasePersonalData(ID, "αίτημα", "dpo-1")


def history(*types):
    state = initial
    for t in types:
        state = evolve(state, SimpleNamespace(type=t))
    return state


def test_a_new_person_is_registered():
    (event,) = decide(REGISTER, initial)
    assert event.type == BENEFICIARY_REGISTERED and event.payload["given_name"] == "Ελένη"


def test_a_registered_person_cannot_be_registered_again():
    with pytest.raises(Conflict):
        decide(REGISTER, history(BENEFICIARY_REGISTERED))


def test_erasing_someone_never_registered_is_not_found():
    with pytest.raises(NotFound):
        decide(ERASE, initial)


def test_erasure_is_recorded_once_and_a_second_request_changes_nothing():
    (event,) = decide(ERASE, history(BENEFICIARY_REGISTERED))
    assert event.type == PERSONAL_DATA_ERASED
    assert decide(ERASE, history(BENEFICIARY_REGISTERED, PERSONAL_DATA_ERASED)) == []


# --- merge and unmerge ---------------------------------------------------------------------

SURVIVOR = uuid.uuid4()
REGISTERED = Beneficiary(registered=True)


def merge(**overrides):
    fields = {
        "beneficiary_id": ID,
        "survivor_id": SURVIVOR,
        "reason": "ίδιο πρόσωπο, ίδια ταυτότητα",
        "decided_by": "head.kalamata",
        "survivor": REGISTERED,
        **overrides,
    }
    return MergeBeneficiary(**fields)


def merged(into=SURVIVOR):
    return evolve(
        REGISTERED, SimpleNamespace(type=BENEFICIARY_MERGED, data={"survivor_id": str(into)})
    )


def test_a_duplicate_record_is_merged_into_the_survivor_as_an_event():
    (event,) = decide(merge(), REGISTERED)
    assert event.type == BENEFICIARY_MERGED and event.payload["survivor_id"] == SURVIVOR
    assert "survivor" not in event.payload and "merged_into_duplicate" not in event.payload


def test_a_record_cannot_be_merged_into_itself():
    with pytest.raises(RuleViolated):
        decide(merge(survivor_id=ID), REGISTERED)


def test_merging_needs_both_records_registered():
    with pytest.raises(NotFound):
        decide(merge(survivor=Beneficiary()), REGISTERED)
    with pytest.raises(NotFound):
        decide(merge(), initial)


def test_merging_again_into_the_same_survivor_changes_nothing():
    assert decide(merge(), merged()) == []


def test_a_record_merged_elsewhere_must_be_unmerged_first():
    with pytest.raises(Conflict):
        decide(merge(), merged(into=uuid.uuid4()))


def test_no_chains_a_survivor_that_is_itself_merged_is_refused():
    with pytest.raises(RuleViolated, match="survivor is itself merged"):
        decide(merge(survivor=replace(REGISTERED, merged_into=str(uuid.uuid4()))), REGISTERED)


def test_no_chains_a_record_others_were_merged_into_cannot_be_merged_away():
    with pytest.raises(RuleViolated, match="other way round"):
        decide(merge(merged_into_duplicate=(str(uuid.uuid4()),)), REGISTERED)


def test_erased_records_are_not_merged():
    with pytest.raises(RuleViolated):
        decide(merge(survivor=replace(REGISTERED, erased=True)), REGISTERED)


def test_an_unmerge_names_the_survivor_it_leaves_and_restores_two_people():
    (event,) = decide(UnmergeBeneficiary(ID, "δύο διαφορετικά πρόσωπα", "head.kalamata"), merged())
    assert event.type == BENEFICIARY_UNMERGED and event.payload["survivor_id"] == str(SURVIVOR)
    assert (
        evolve(merged(), SimpleNamespace(type=event.type, data=event.payload)).merged_into is None
    )


def test_unmerging_a_record_that_is_not_merged_is_refused():
    with pytest.raises(RuleViolated):
        decide(UnmergeBeneficiary(ID, "λάθος", "head.kalamata"), REGISTERED)
