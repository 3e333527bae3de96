import uuid
from types import SimpleNamespace

import pytest

from contracts.names import BENEFICIARY_REGISTERED, PERSONAL_DATA_ERASED
from services.common.domain import Conflict, NotFound
from services.registries.domain.beneficiary import (
    ErasePersonalData,
    RegisterBeneficiary,
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
