"""The identity index inside the append's transaction: one AMKA, one beneficiary, even in a race."""

import dataclasses
import uuid

import pytest

from services.common.db import drop_platform
from services.common.domain import Conflict
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.registries import bootstrap
from services.registries.adapters.identity_index import AMKA, IdentityIndex


def registration(subject, amka):
    return [
        NewEvent(
            "BeneficiaryRegistered",
            {"beneficiary_id": str(subject)},
            personal={"given_name": "Ελένη", "family_name": "Κ", "amka": amka},
            subject_id=subject,
        )
    ]


@pytest.fixture
def registries_store(admin_url, settings):
    own = dataclasses.replace(settings, schema_prefix=f"i{uuid.uuid4().hex[:8]}_")
    bootstrap.migrate(admin_url, own)
    store, db = bootstrap.open_store(own, max_connections=2)
    yield store, db
    db.close()
    drop_platform(admin_url, own.schema_prefix)


def test_a_second_person_with_the_same_amka_is_refused_and_nothing_of_it_is_stored(
    settings, registries_store
):
    store, db = registries_store
    index = IdentityIndex(settings.index_key)
    first, second = uuid.uuid4(), uuid.uuid4()
    store.append(
        f"beneficiary-{first}", NO_STREAM, registration(first, "01013099997"), Metadata("a", "KK-A")
    )

    with pytest.raises(Conflict, match="AMKA"):
        store.append(
            f"beneficiary-{second}",
            NO_STREAM,
            registration(second, "01013099997"),
            Metadata("b", "KK-B"),
        )

    assert store.read_stream(f"beneficiary-{second}") == []
    assert index.find(db, AMKA, "01013099997") == [str(first)]
