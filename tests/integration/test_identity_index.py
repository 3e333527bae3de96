"""The identity index inside the append's transaction: one AMKA, one beneficiary, even in a race."""
import uuid

import pytest

from services.common.domain import Conflict
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.common.runtime import build_store
from services.registries.adapters.identity_index import AMKA, MIGRATIONS, IdentityIndex


def registration(subject, amka):
    return [NewEvent("BeneficiaryRegistered", {"beneficiary_id": str(subject)},
                     personal={"given_name": "Ελένη", "family_name": "Κ", "amka": amka}, subject_id=subject)]


def test_a_second_person_with_the_same_amka_is_refused_and_nothing_of_it_is_stored(settings, unique_schema):
    schema = unique_schema("reg")
    index = IdentityIndex(settings.index_key)
    store, db = build_store(settings.__class__(**{**settings.__dict__, "schema_prefix": ""}), schema,
                            extra_migrations=MIGRATIONS, inline_projections=[index])
    first, second = uuid.uuid4(), uuid.uuid4()
    store.append(f"beneficiary-{first}", NO_STREAM, registration(first, "01013099997"), Metadata("a", "KK-A"))

    with pytest.raises(Conflict, match="AMKA"):
        store.append(f"beneficiary-{second}", NO_STREAM, registration(second, "01013099997"), Metadata("b", "KK-B"))

    assert store.read_stream(f"beneficiary-{second}") == []
    assert index.find(db, AMKA, "01013099997") == [str(first)]
    db.close()
