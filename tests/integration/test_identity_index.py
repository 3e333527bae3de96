"""The identity index inside the append's transaction: one AMKA, one regional record; a second
centre's registration of it is a site record linked to that record."""

import dataclasses
import uuid

import psycopg2
import pytest

from services.common.db import drop_platform
from services.common.eventstore import NO_STREAM, Metadata, NewEvent
from services.common.eventstore.setup import migrate_store
from services.common.personal_data import blind_index
from services.common.text import search_key, search_prefixes
from services.registries import bootstrap
from services.registries.adapters.identity_index import (
    AMKA,
    NAME_PREFIX,
    NAME_WORD,
    IdentityIndex,
)
from services.registries.adapters.site_records import SiteRecords
from services.registries.entrypoints import cli
from tests.support.search_corpus import NAMES, TYPED, registry_match


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
    search row holds whole words only, as the registries_009 migration leaves it) is found by a
    prefix only after `reindex-names`, which changes nothing when run again and never indexes an
    erased person again."""
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
        cur.execute(
            "UPDATE name_keys SET keys = %s WHERE beneficiary_id = %s",
            (_whole_words(index), kept),
        )
    assert index.search_names(db, "Παπαδόπουλος") == [{"beneficiary_id": str(kept), "exact": 1}]
    assert index.search_names(db, "Παπαδοπ") == []

    monkeypatch.setenv("KENTRA_DATABASE_URL", own.database_url)
    monkeypatch.setenv("KENTRA_SCHEMA_PREFIX", own.schema_prefix)
    for _ in range(2):  # once after the upgrade, and again: nothing changes the second time
        assert cli.main(["reindex-names"]) == 0
        assert "for 1 registrations" in capsys.readouterr().out
        assert index.search_names(db, "Παπαδοπ") == [{"beneficiary_id": str(kept), "exact": 0}]
        assert index.search_names(db, "papadop") == [{"beneficiary_id": str(kept), "exact": 0}]
        assert _search_rows(db) == {str(kept): index.name_keys(_name())}


def test_the_upgrade_moves_each_record_s_name_keys_into_its_search_row(admin_url, settings):
    """registries_009 on a registry as it was: every record's whole words and beginnings of
    words, kept then as identity rows of hex digests, become its one search row, equal to what a
    registration writes now; a record from before the beginnings (whole words only) keeps what
    it had; no beginning-of-a-word row is left in the identity index."""
    own = dataclasses.replace(settings, schema_prefix=f"u{uuid.uuid4().hex[:8]}_")
    schema = own.schema(bootstrap.SERVICE)
    before = [m for m in bootstrap.MIGRATIONS if m.name < "registries_009"]
    migrate_store(admin_url, own, schema, before, erases=True)
    index = IdentityIndex(own.index_key)
    whole, legacy = uuid.uuid4(), uuid.uuid4()
    then = [(k, d, whole) for k, d in _identity_rows_as_then(index, _name())]
    then += [(k, d, legacy) for k, d in _identity_rows_as_then(index, _name()) if k != NAME_PREFIX]
    try:
        with psycopg2.connect(admin_url) as conn, conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {schema}.identity_index VALUES (%s, %s, %s)", then)
        bootstrap.migrate(admin_url, own)
        _, db = bootstrap.open_store(own, max_connections=1)
        try:
            assert _search_rows(db) == {
                str(whole): index.name_keys(_name()),
                str(legacy): _whole_words(index),
            }
            assert index.search_names(db, "Παπαδοπ") == [{"beneficiary_id": str(whole), "exact": 0}]
            with db.transaction() as cur:
                cur.execute("SELECT count(*) FROM identity_index WHERE kind = %s", (NAME_PREFIX,))
                assert cur.fetchone()[0] == 0
        finally:
            db.close()
    finally:
        drop_platform(admin_url, own.schema_prefix)


def _identity_rows_as_then(index: IdentityIndex, personal: dict) -> list[tuple[str, str]]:
    """The name's rows as registries_001 to _008 kept them: hex digests, one row per key."""
    name = f"{personal['given_name']} {personal['family_name']}"
    return [(NAME_WORD, d) for d in index.word_digests(name)] + [
        (NAME_PREFIX, blind_index(index.index_key, NAME_PREFIX, p))
        for p in sorted(search_prefixes(name))
    ]


def _whole_words(index: IdentityIndex) -> list[int]:
    return sorted(index.search_key_of(NAME_WORD, w) for w in search_key("Παπαδόπουλος Κ").split())


def _name() -> dict:
    return {"given_name": "Παπαδόπουλος", "family_name": "Κ"}


def _search_rows(db) -> dict[str, list[int]]:
    with db.transaction() as cur:
        cur.execute("SELECT beneficiary_id::text, keys FROM name_keys")
        return {b: sorted(keys) for b, keys in cur.fetchall()}


def test_a_search_finds_exactly_the_names_the_rule_finds(registries_store):
    """The registry's one query over `name_keys` against the search rule, name by name, over
    the corpus the offline app is held to: found or not, and how many words matched whole."""
    store, db, own = registries_store
    index = IdentityIndex(own.index_key)
    registered = {}
    for name in NAMES:
        subject = uuid.uuid4()
        given, _, family = name.partition(" ")
        person = NewEvent(
            "BeneficiaryRegistered",
            {"beneficiary_id": str(subject)},
            personal={"given_name": given, "family_name": family},
            subject_id=subject,
        )
        store.append(f"beneficiary-{subject}", NO_STREAM, [person], Metadata("a", "KK-A"))
        registered[str(subject)] = name
    differ = {}
    for typed in TYPED:
        found = {hit["beneficiary_id"]: hit["exact"] for hit in index.search_names(db, typed)}
        expected = {b: registry_match(typed, n) for b, n in registered.items()}
        if found != {b: exact for b, exact in expected.items() if exact is not None}:
            differ[typed] = sorted(registered[b] for b in found)
    assert differ == {}
    assert any(registry_match(t, n) for t in TYPED for n in NAMES)  # the corpus finds someone
