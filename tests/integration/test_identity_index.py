"""The identity index inside the append's transaction: one AMKA, one regional record; a second
centre's registration of it is a site record linked to that record."""

import dataclasses
import uuid

import pytest

from services.common.db import drop_platform
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.registries import bootstrap
from services.registries.adapters.identity_index import AMKA, NAME_PREFIX, IdentityIndex
from services.registries.adapters.site_records import SiteRecords
from services.registries.entrypoints import cli


def registration(subject, amka, given_name="Ελένη"):
    return [
        NewEvent(
            "BeneficiaryRegistered",
            {"beneficiary_id": str(subject)},
            personal={
                "given_name": given_name,
                "family_name": "Κ",
                "amka": amka,
                "birth_date": "1930-01-01",
            },
            subject_id=subject,
        )
    ]


@pytest.fixture
def registries_store(admin_url, settings):
    own = dataclasses.replace(settings, schema_prefix=f"i{uuid.uuid4().hex[:8]}_")
    bootstrap.migrate(admin_url, own)
    store, db = bootstrap.open_store(own, max_connections=2)
    yield store, db, own
    db.close()
    drop_platform(admin_url, own.schema_prefix)


def test_a_second_registration_of_an_amka_is_a_site_record_linked_to_the_first(
    settings, registries_store
):
    store, db, _ = registries_store
    index = IdentityIndex(settings.index_key)
    first, second = uuid.uuid4(), uuid.uuid4()
    store.append(
        f"beneficiary-{first}", NO_STREAM, registration(first, "01013099997"), Metadata("a", "KK-A")
    )
    again = registration(second, "01013099997", given_name="Έλενα")
    store.append(f"beneficiary-{second}", NO_STREAM, again, Metadata("b", "KK-B"))

    # the number stays the first record's; the second is linked to it, its differences noted
    assert index.find(db, AMKA, "01013099997") == [str(first)]
    assert SiteRecords.all_records(db, str(second)) == [str(first), str(second)]
    ((linked, holder, differs),) = _links(db)
    assert (linked, holder, differs) == (str(second), str(first), ["name", "name+birth"])


def test_erasing_a_site_record_removes_its_link(settings, registries_store):
    store, db, _ = registries_store
    first, second = uuid.uuid4(), uuid.uuid4()
    store.append(
        f"beneficiary-{first}", NO_STREAM, registration(first, "01013099997"), Metadata("a", "KK-A")
    )
    store.append(
        f"beneficiary-{second}",
        NO_STREAM,
        registration(second, "01013099997"),
        Metadata("b", "KK-B"),
    )
    erased = NewEvent("PersonalDataErased", {"beneficiary_id": str(second)}, subject_id=second)
    store.append(f"beneficiary-{second}", 1, [erased], Metadata("dpo", "KK-REGION"))
    assert _links(db) == []
    assert SiteRecords.all_records(db, str(first)) == [str(first)]


def _links(db) -> list[tuple]:
    with db.transaction() as cur:
        cur.execute("SELECT beneficiary_id::text, person_id::text, differs FROM beneficiary_link")
        return [(b, p, list(d)) for b, p, d in cur.fetchall()]


def test_reindexing_names_makes_records_from_before_the_prefixes_findable_by_prefix(
    registries_store, monkeypatch, capsys
):
    """The upgrade path: a record registered before the beginnings of words were indexed (its
    `name-prefix` rows deleted here) is found by a prefix only after `reindex-names`, which adds
    no row twice when run again and never indexes an erased person again."""
    store, db, own = registries_store
    index = IdentityIndex(own.index_key)
    kept, erased = uuid.uuid4(), uuid.uuid4()
    for subject, amka in ((kept, "01013099997"), (erased, "02023099996")):
        store.append(
            f"beneficiary-{subject}",
            NO_STREAM,
            registration(subject, amka, given_name="Παπαδόπουλος"),
            Metadata("a", "KK-A"),
        )
    forget = NewEvent("PersonalDataErased", {"beneficiary_id": str(erased)}, subject_id=erased)
    store.append(
        f"beneficiary-{erased}", 1, [forget], Metadata("dpo", "KK-REGION"), forget_subject=erased
    )
    with db.transaction() as cur:
        cur.execute("DELETE FROM identity_index WHERE kind = %s", (NAME_PREFIX,))
    assert index.search_names(db, "Παπαδοπ") == []

    monkeypatch.setenv("KENTRA_DATABASE_URL", own.database_url)
    monkeypatch.setenv("KENTRA_SCHEMA_PREFIX", own.schema_prefix)
    for _ in range(2):  # once after the upgrade, and again: nothing changes the second time
        assert cli.main(["reindex-names"]) == 0
        assert "for 1 registrations" in capsys.readouterr().out
        assert index.search_names(db, "Παπαδοπ") == [{"beneficiary_id": str(kept), "exact": 0}]
        assert index.search_names(db, "papadop") == [{"beneficiary_id": str(kept), "exact": 0}]
        assert _prefix_rows(db) == {str(kept): len(index.prefix_digests(_name()))}


def _name() -> dict:
    return {"given_name": "Παπαδόπουλος", "family_name": "Κ"}


def _prefix_rows(db) -> dict[str, int]:
    with db.transaction() as cur:
        cur.execute(
            "SELECT beneficiary_id::text, count(*) FROM identity_index WHERE kind = %s GROUP BY 1",
            (NAME_PREFIX,),
        )
        return dict(cur.fetchall())
