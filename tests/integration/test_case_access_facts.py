"""Intake's access facts (services/intake/adapters/case_access.py) against the cases themselves:
the tables kept in the append's transaction, and those the migration fills from cases stored
before it, answer exactly what replaying every case with the domain's own `evolve` answers."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import psycopg2

from contracts.names import CASE_TRANSFERRED
from services.common.eventstore import Metadata, stream_name
from services.common.eventstore.postgres import PostgresEventStore
from services.common.eventstore.setup import key_vault, migrate_store, service_database
from services.intake.adapters.case_access import MIGRATIONS, CaseAccess
from services.intake.application.cases import Cases
from services.intake.domain import case
from services.intake.domain.case import (
    RecordConsent,
    RecordContact,
    RecordService,
    TransferCase,
    WithdrawConsent,
)

DAY = date(2025, 3, 3)
DYPA = "3b869f7f-791a-570a-80d9-123275cd65cc"  # an agency of the demo directory
DAYS = [DAY + timedelta(days=n) for n in (-1, 0, 5, 10, 11, 30, 400)]


def replayed(store, records: list[str], on: date) -> dict:
    """The answer as it was before the tables: every event of every record's case, folded."""
    sites, transferred, consents = set(), set(), set()
    for record in records:
        state = case.initial
        for event in store.read_stream(stream_name(case.CATEGORY, record), 1, 10_000):
            state = case.evolve(state, event)
            sites.add(event.metadata.get("site"))
            if event.type == CASE_TRANSFERRED:
                transferred.add(event.data["to_site"])
        consents |= {r for r in state.consents if state.may_share_with(r, on)}
    return {
        "sites": sorted(s for s in sites if s),
        "transferred_to": sorted(transferred),
        "consents": sorted(consents),
    }


def record(store, site: str, command) -> None:
    Cases(store, today=lambda: DAY + timedelta(days=30)).run(
        command, Metadata("sw-1", site, command_id=str(uuid.uuid4())), None
    )


def contact(person, site: str, municipality: str = "9256"):
    return RecordContact(person, DAY, "centre", site, municipality, "sw-1")


def consent(person, recipient: str, given: int = 0, until: int | None = None):
    ends = DAY + timedelta(days=until) if until is not None else None
    return RecordConsent(person, recipient, "follow-up", DAY + timedelta(days=given), ends)


def first_lives(store, people: list[uuid.UUID]) -> None:
    """Contacts at two sites, a transfer, consents open and bounded, one withdrawn."""
    a, b, c, _ = people
    record(store, "KK-KALAMATA", contact(a, "KK-KALAMATA"))
    record(store, "MU-KALAMATA", contact(a, "MU-KALAMATA"))
    record(store, "KK-KALAMATA", consent(a, "KK-SPARTI", until=10))
    record(store, "KK-KALAMATA", consent(a, DYPA, given=5))
    record(store, "KK-KALAMATA", TransferCase(a, "KK-SPARTI", "moved", DAY))
    record(store, "KK-SPARTI", contact(b, "KK-SPARTI"))
    record(store, "KK-SPARTI", consent(b, "KK-KALAMATA"))
    record(store, "KK-SPARTI", WithdrawConsent(b, "KK-KALAMATA", DAY))
    record(store, "KK-TRIPOLI", consent(c, DYPA, until=0))


def later_lives(store, people: list[uuid.UUID]) -> None:
    """On both old and new cases: a consent given again after its withdrawal, one withdrawn,
    one replaced by a shorter one, a second transfer, a person met only now."""
    a, b, c, d = people
    record(store, "KK-SPARTI", RecordService(a, DAY, "information", "KK-SPARTI", "sw-1"))
    record(store, "KK-SPARTI", WithdrawConsent(a, DYPA, DAY + timedelta(days=6)))
    record(store, "KK-SPARTI", TransferCase(a, "KK-TRIPOLI", "moved again", DAY))
    record(store, "KK-SPARTI", consent(b, "KK-KALAMATA", given=1, until=30))
    record(store, "KK-TRIPOLI", consent(c, DYPA, until=400))
    record(store, "KK-TRIPOLI", consent(c, DYPA, until=11))
    record(store, "MU-KALAMATA", contact(d, "MU-KALAMATA"))
    record(store, "MU-KALAMATA", consent(d, "KK-SPARTI"))
    record(store, "MU-KALAMATA", WithdrawConsent(d, "KK-SPARTI", DAY))


def asked(people: list[uuid.UUID]) -> list[list[str]]:
    """Each person alone, two records merged into one person, and an id that is no one's."""
    ids = [str(p) for p in people]
    return [[i] for i in ids] + [[ids[0], ids[1]], [ids[2], ids[3], ids[0]], [str(uuid.uuid4())]]


def test_the_tables_answer_as_the_replayed_cases_before_and_after_the_migration(
    admin_url, settings, unique_schema
):
    schema = unique_schema("intk")
    migrate_store(admin_url, settings, schema)  # the release before: no tables
    db = service_database(settings, schema)
    people = [uuid.uuid4() for _ in range(4)]
    try:
        first_lives(PostgresEventStore(db, key_vault(settings)), people)
        migrate_store(admin_url, settings, schema, MIGRATIONS)  # the backfill
        store = PostgresEventStore(db, key_vault(settings))  # the trigger keeps the tables
        for on in DAYS:
            assert CaseAccess.facts(db, asked(people), on) == [
                replayed(store, records, on) for records in asked(people)
            ], f"backfilled, on {on}"
        later_lives(store, people)
        for on in DAYS:
            assert CaseAccess.facts(db, asked(people), on) == [
                replayed(store, records, on) for records in asked(people)
            ], f"kept by the trigger, on {on}"
        # the scenario grants and ends something, so the equality above is not of empty answers
        a, b, c, d = CaseAccess.facts(db, [[str(p)] for p in people], DAY + timedelta(days=5))
        assert a == {
            "sites": ["KK-KALAMATA", "KK-SPARTI", "MU-KALAMATA"],
            "transferred_to": ["KK-SPARTI", "KK-TRIPOLI"],
            "consents": ["KK-SPARTI"],
        }
        assert (b["consents"], c["consents"], d["consents"]) == (["KK-KALAMATA"], [DYPA], [])
    finally:
        db.close()


def test_a_session_with_another_search_path_keeps_the_facts_in_the_stores_own_schema(
    admin_url, settings, unique_schema
):
    """A bulk load, a restore or an administrator inserts into the store with its own search_path:
    the trigger must not fail, nor write the facts into another schema that happens to hold a
    case_site (the attacker's decoy here, first on the path)."""
    schema, decoy = unique_schema("intk"), unique_schema("decoy")
    migrate_store(admin_url, settings, schema, MIGRATIONS)
    db = service_database(settings, schema)
    person = uuid.uuid4()
    try:
        record(
            PostgresEventStore(db, key_vault(settings)),
            "KK-KALAMATA",
            contact(person, "KK-KALAMATA"),
        )
        other = uuid.uuid4()
        with psycopg2.connect(admin_url) as conn, conn.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {decoy}")
            cur.execute(f"CREATE TABLE {decoy}.case_site (beneficiary_id uuid, site text)")
            cur.execute(f"SET search_path TO {decoy}, public")
            # the person's event again, as another person's first, copied as a restore would
            cur.execute(
                f"INSERT INTO {schema}.events (stream, category, version, event_id, type,"
                " schema_version, data, personal, subject_id, metadata, recorded_at, hash)"
                " SELECT %s, category, 1, %s, type, schema_version, data, personal, subject_id,"
                " jsonb_set(metadata, '{site}', '\"KK-SPARTI\"'), recorded_at, hash"
                f" FROM {schema}.events WHERE stream = %s",
                (f"case-{other}", str(uuid.uuid4()), f"case-{person}"),
            )
            cur.execute(f"SELECT count(*) FROM {decoy}.case_site")
            assert cur.fetchone() == (0,)
        sites = CaseAccess.facts(db, [[str(other)]], DAY)[0]["sites"]
        assert sites == ["KK-SPARTI"]
    finally:
        db.close()
