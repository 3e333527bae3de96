"""The reporting read model against figures worked out by hand on a small week of the Kalamata
centre and its mobile unit; and a rebuild from zero equals what the live consumer built."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest

from services.common.consumer import Consumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import StoreEventSource
from services.common.eventstore import ANY_VERSION, Metadata, NewEvent
from services.common.rpc_reads import StoreReads
from services.common.spreadsheets import as_csv, as_xlsx
from services.reporting.adapters import exports, queries, release_tables
from services.reporting.adapters.linear_programming import HighsSolver
from services.reporting.adapters.projections.model import ReportingModel
from services.reporting.adapters.release_store import ReleaseStore
from services.reporting.application import published
from services.reporting.application.releases import Releases
from services.reporting.bootstrap import pseudonyms
from services.reporting.domain.periods import parse
from tests.support.database import as_before, migrated_read_model

A, B1, B2, B3, R1, R2 = "agency-dypa", *(str(uuid.uuid4()) for _ in range(5))


def put(store, stream: str, type_: str, at: str, day: str, **data) -> None:
    """An event recorded at site `at` on `day` (Greek time)."""
    store.append(
        stream,
        ANY_VERSION,
        [NewEvent(type_, data)],
        Metadata("tester", at, occurred_at=f"{day}T10:00:00+02:00"),
    )


def the_week(s) -> None:
    reg, intake, ref = s["registries"], s["intake"], s["referrals"]
    put(
        reg,
        "site-1",
        "CentreRegistered",
        "KK-KALAMATA",
        "2026-01-02",
        site="KK-KALAMATA",
        operation_mis="5000005",
        lead_municipality_code="9254",
        period_start="2026-01-01",
        period_end="2026-12-31",
        target_new_beneficiaries=3,
    )
    put(
        reg,
        "site-2",
        "MobileUnitRegistered",
        "KK-KALAMATA",
        "2026-01-02",
        site="MU-KALAMATA",
        parent_centre="KK-KALAMATA",
        partner_municipalities=["9256", "9258"],
    )
    for b, home, site, day in (
        (B1, "9256", "MU-KALAMATA", "2026-11-20"),
        (B2, "9254", "KK-KALAMATA", "2026-11-20"),
        (B3, "9258", "MU-KALAMATA", "2026-11-21"),
    ):
        put(
            reg,
            f"beneficiary-{b}",
            "BeneficiaryRegistered",
            site,
            day,
            beneficiary_id=b,
            municipality_code=home,
            site=site,
        )
    for b, channel, where, site, staff, day in (
        (B1, "mobile_unit_visit", "9256", "MU-KALAMATA", "s1", "2026-11-20"),
        (B3, "mobile_unit_visit", "9258", "MU-KALAMATA", "s1", "2026-11-21"),
        (B2, "centre", "9254", "KK-KALAMATA", "s2", "2026-11-20"),
    ):
        put(
            intake,
            f"case-{b}",
            "ContactRecorded",
            site,
            day,
            beneficiary_id=b,
            channel=channel,
            municipality_code=where,
            site=site,
            staff_id=staff,
        )
    put(
        intake,
        f"case-{B1}",
        "ServiceDelivered",
        "MU-KALAMATA",
        "2026-11-20",
        beneficiary_id=B1,
        service="psychosocial_counselling",
        site="MU-KALAMATA",
        staff_id="s1",
    )
    for r in (R1, R2):
        put(
            ref,
            f"referral-{r}",
            "ReferralRequested",
            "MU-KALAMATA",
            "2026-11-20",
            referral_id=r,
            beneficiary_id=B1,
            from_site="MU-KALAMATA",
            recipient_kind="agency",
            recipient_id=A,
            recipient_name="ΔΥΠΑ",
            need="employment",
        )
        put(
            ref,
            f"referral-{r}",
            "ReferralSent",
            "MU-KALAMATA",
            "2026-11-20",
            referral_id=r,
            sent_on="2026-11-20",
        )
    put(
        ref,
        f"referral-{R1}",
        "ReferralReceived",
        "KK-REGION",
        "2026-11-22",
        referral_id=R1,
        received_on="2026-11-22",
    )
    put(
        ref,
        f"referral-{R1}",
        "ReferralAccepted",
        "KK-REGION",
        "2026-11-23",
        referral_id=R1,
        accepted_on="2026-11-23",
    )
    put(
        ref,
        f"referral-{R1}",
        "ReferralCompleted",
        "KK-REGION",
        "2026-11-30",
        referral_id=R1,
        completed_on="2026-11-30",
        outcome="service_given",
    )
    put(
        ref,
        f"referral-{R2}",
        "ReferralExpired",
        "KK-REGION",
        "2026-12-01",
        referral_id=R2,
        expired_on="2026-12-01",
    )


@pytest.fixture
def consumer(stores, read_model, settings):
    the_week(stores)
    projection = ReportingModel(pseudonyms(settings))
    return Consumer(
        projection,
        read_model(projection),
        StoreEventSource(stores),
        page_size=4,
        opener=personal_opener(settings, projection),
    )


def dump(consumer) -> dict:
    tables = (
        "daily_activity",
        "register_count",
        "caseload",
        "beneficiary_home",
        "referral_flow",
        "operation",
        "site_centre",
        "register_month",
        "caseload_count",
        "home_month",
    )
    with consumer.db.transaction() as cur:
        found = {}
        for table in tables:
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            found[table] = sorted(cur.fetchall(), key=str)
        return found


def test_the_reports_hold_the_figures_worked_out_by_hand(consumer, stores):
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        register = {
            (r["site"], r["measure"], r["key"]): r["n"]
            for r in queries.daily_register(cur, since="2026-11-20", until="2026-11-20")
        }
        caseload = {(r["staff_id"], r["site"]): r["beneficiaries"] for r in queries.caseload(cur)}
        tables, extras = release_tables.regional(cur, parse("2026-11", "month"))
        (target,) = queries.targets(cur, date(2026, 11, 23))
    counts = {t.name: t.counts for t in tables}
    assert register == {
        ("KK-KALAMATA", "contacts_by_channel", "centre"): 1,
        ("KK-KALAMATA", "contacts_by_municipality", "9254"): 1,
        ("KK-KALAMATA", "new_beneficiaries", ""): 1,
        ("MU-KALAMATA", "contacts_by_channel", "mobile_unit_visit"): 1,
        ("MU-KALAMATA", "contacts_by_municipality", "9256"): 1,
        ("MU-KALAMATA", "new_beneficiaries", ""): 1,
        ("MU-KALAMATA", "referrals_sent", ""): 2,
        ("MU-KALAMATA", "services_by_type", "psychosocial_counselling"): 1,
    }
    assert caseload == {("s1", "MU-KALAMATA"): 2, ("s2", "KK-KALAMATA"): 1}
    assert counts["new_beneficiaries"] == {
        ("9256", "MU-KALAMATA"): 1,
        ("9254", "KK-KALAMATA"): 1,
        ("9258", "MU-KALAMATA"): 1,
    }  # by where they live and where they were registered
    assert counts["contacts"] == {
        ("9256", "MU-KALAMATA"): 1,
        ("9258", "MU-KALAMATA"): 1,
        ("9254", "KK-KALAMATA"): 1,
    }
    assert dict(counts["referrals_by_recipient"]) == {
        (f"{A} · employment", "accepted"): 1,
        (f"{A} · employment", "expired"): 1,
    }  # sent in November, by their outcome as known now; by the recipient's code
    assert extras["response_times"] == {
        "median_days_to_response": None,
        "median_days_to_outcome": None,
    }  # a median of one or two referrals would be theirs: fewer than five give none
    assert (target["new_beneficiaries"], target["target"], target["share_of_target"]) == (3, 3, 1.0)
    assert target["period_elapsed"] == round(326 / 364, 3)


def test_the_kept_totals_equal_the_rows_they_count_and_targets_count_partial_months(
    consumer, stores
):
    """The region-wide reads sum totals kept per month and per staff member (issue 17): they must
    say what grouping every row said, an operation's period starting or ending mid-month too."""
    rng = random.Random(17)
    for _ in range(60):  # registrations over fourteen months, both sites
        b, site = str(uuid.uuid4()), rng.choice(("KK-KALAMATA", "MU-KALAMATA"))
        day = date(2025, 12, 1) + timedelta(days=rng.randrange(420))
        put(
            stores["registries"],
            f"beneficiary-{b}",
            "BeneficiaryRegistered",
            site,
            day.isoformat(),
            beneficiary_id=b,
            municipality_code="9254",
            site=site,
        )
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:

        def rows(sql: str) -> list:
            cur.execute(sql)
            return sorted(cur.fetchall())

        assert rows("SELECT * FROM register_month") == rows(
            "SELECT date_trunc('month', day::timestamp)::date, site, measure, key, sum(n)"
            " FROM register_count GROUP BY 1, 2, 3, 4"
        )
        assert rows("SELECT staff_id, site, beneficiaries FROM caseload_count") == rows(
            "SELECT staff_id, site, count(*) FROM caseload GROUP BY 1, 2"
        )
        assert rows("SELECT site, month, n FROM home_month") == rows(
            "SELECT site, date_trunc('month', registered_on::timestamp)::date, count(*)"
            " FROM beneficiary_home GROUP BY 1, 2"
        )
        periods = [
            ("2026-01-01", "2026-12-31"),
            ("2026-11-20", "2026-11-20"),
            ("2026-03-15", "2026-03-31"),
            ("2026-03-01", "2026-03-14"),
            ("2025-12-31", "2026-02-01"),
            ("2026-02-10", "2026-02-20"),
            ("2024-01-01", "2025-11-30"),
            ("2026-06-30", "2027-01-31"),
        ]
        periods += [
            tuple(
                sorted(
                    (date(2025, 11, 20) + timedelta(days=rng.randrange(480))).isoformat()
                    for _ in range(2)
                )
            )
            for _ in range(20)
        ]
        for start, end in periods:
            cur.execute("UPDATE operation SET period_start = %s, period_end = %s", (start, end))
            (target,) = queries.targets(cur, date(2026, 11, 23))
            cur.execute(
                "SELECT count(*) FROM beneficiary_home h JOIN site_centre s ON s.site = h.site"
                " WHERE s.centre = 'KK-KALAMATA' AND h.registered_on BETWEEN %s AND %s",
                (start, end),
            )
            assert target["new_beneficiaries"] == cur.fetchone()[0], (start, end)
        cur.connection.rollback()


def test_a_rebuild_from_zero_equals_what_the_live_consumer_built(consumer, stores):
    envelopes = {s: StoreReads(s, stores[s]).read_all(0, 1000) for s in consumer.projection.sources}
    for source, batch in envelopes.items():  # live: out of order, with duplicates, in small batches
        noisy = batch + random.Random(3).sample(batch, len(batch) // 2)
        random.Random(4).shuffle(noisy)
        for i in range(0, len(noisy), 3):
            consumer.handle(source, noisy[i : i + 3], live=True)
    live = dump(consumer)
    consumer.rebuild()
    assert dump(consumer) == live and live["register_count"]


def test_the_export_read_back_holds_the_figures_and_hides_small_cells(consumer, pg_store, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        rows = queries.daily_register(cur)
    inside = exports.register_table(rows)  # a head's own: as counted
    assert inside[0] == ["Μέτρο", "Κατηγορία", "KK-KALAMATA", "KK-REGION", "MU-KALAMATA", "Σύνολο"]
    assert ["Νέοι ωφελούμενοι", "", 1, 0, 2, 3] in inside and inside[-1] == [
        "Σύνολο",
        "",
        3,
        1,
        9,
        13,
    ]
    back = list(csv.reader(io.StringIO(as_csv(inside).decode("utf-8-sig"))))
    assert back[0][0] == "Μέτρο" and ["Νέοι ωφελούμενοι", "", "1", "0", "2", "3"] in back
    releases = Releases(
        ReleaseStore(pg_store), consumer.db, HighsSolver(), lambda: date(2026, 12, 20)
    )
    view = published.register(releases.get("regional", "2026-11"))
    (tmp_path / "register.xlsx").write_bytes(as_xlsx(exports.released_register_table(view)))
    sheet = load_workbook(tmp_path / "register.xlsx").active
    values = [[c.value for c in line] for line in sheet.iter_rows()]
    assert values[0][0] == "Περίοδος 2026-11"
    numbers = [v for line in values[1:-1] for v in line[2:] if isinstance(v, int)]
    assert numbers == []  # three people and three contacts: nothing in November can be shown
    assert values[-1][0] == "εμπ." and "λιγότερα από 5" in values[-1][1]


def sealed(
    store, stream: str, type_: str, at: str, day: str, subject: str, personal: dict, **data
) -> None:
    store.append(
        stream,
        ANY_VERSION,
        [NewEvent(type_, data, personal=personal, subject_id=uuid.UUID(subject))],
        Metadata("tester", at, occurred_at=f"{day}T10:00:00+02:00"),
    )


def erase(s, beneficiary_id: str) -> None:
    """The registry's erasure event (its key is not forgotten here: the read model's part only)."""
    put(
        s["registries"],
        f"beneficiary-{beneficiary_id.lower()}",
        "PersonalDataErased",
        "KK-KALAMATA",
        "2027-02-01",
        beneficiary_id=beneficiary_id,
        reason="αίτημα",
        requested_by="dpo",
    )


def esf_participants(s) -> tuple[str, str, str]:
    reg, intake = s["registries"], s["intake"]
    p1, p2, p3 = (str(uuid.uuid4()) for _ in range(3))
    for p, personal in (
        (p1, {"gender": "woman", "birth_date": "1970-03-01"}),
        (p2, {"gender": "man", "birth_date": "2000-06-15"}),
        (p3, {"birth_date": "2010-01-01"}),
    ):
        sealed(
            reg,
            f"beneficiary-{p}",
            "BeneficiaryRegistered",
            "MU-KALAMATA",
            "2026-11-20",
            p,
            {"given_name": "Α", "family_name": "Β", **personal},
            beneficiary_id=p,
            municipality_code="9256",
            site="MU-KALAMATA",
        )

    def assess(p, at, day, **answers):
        sealed(
            intake,
            f"case-{p}",
            "NeedsAssessed",
            at,
            day,
            p,
            {
                "groups": [],
                "needs": ["εργασία"],
                "household_size": 2,
                "disability": False,
                "citizenship": "GR",
                "foreign_background": False,
                "housing": "ενοίκιο",
                "rural": False,
                **answers,
            },
            beneficiary_id=p,
            assessed_on=day,
        )

    assess(
        p1,
        "MU-KALAMATA",
        "2026-11-20",
        labour_status="long_term_unemployed",
        education="0-2",
        groups=["roma"],
        rural=True,
    )
    assess(
        p2,
        "KK-KALAMATA",
        "2026-11-20",
        labour_status="inactive",
        education="3-4",
        disability=True,
        citizenship="SY",
        foreign_background=True,
        groups=["homeless"],
    )
    assess(
        p2, "MU-KALAMATA", "2026-11-25", labour_status="unemployed", education="3-4"
    )  # comes back: counted once
    assess(p3, "KK-KALAMATA", "2026-11-21", labour_status="inactive", education="0-2")
    sealed(
        intake,
        f"case-{p1}",
        "CaseClosed",
        "KK-KALAMATA",
        "2027-01-10",
        p1,
        {"reason": "βρήκε δουλειά", "situation_at_exit": "employed"},
        beneficiary_id=p1,
        closed_on="2027-01-10",
    )
    sealed(
        intake,
        f"case-{p1}",
        "FollowUpRecorded",
        "KK-KALAMATA",
        "2027-07-10",
        p1,
        {"employed": True, "improved_situation": True},
        beneficiary_id=p1,
        followed_up_on="2027-07-10",
    )
    return p1, p2, p3


def test_the_esf_indicators_count_each_participant_once_by_gender_as_worked_out_by_hand(
    consumer, stores
):
    from services.reporting.adapters.projections.esf import esf_indicators

    _, p2, _ = esf_participants(stores)
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        (kalamata,) = esf_indicators(
            cur
        ).values()  # the mobile unit's entries count for its centre's operation

    def shown(indicator):
        return {g: n for g, n in kalamata[indicator].items() if n}

    assert shown("total_participants") == {"woman": 1, "man": 1, "unknown": 1}
    assert shown("unemployed_incl_long_term") == {"woman": 1} == shown("long_term_unemployed")
    assert shown("inactive") == {
        "man": 1,
        "unknown": 1,
    }  # his second entry, unemployed, is not counted
    assert shown("below_18") == {"unknown": 1} and shown("aged_18_29") == {"man": 1}
    assert shown("aged_55_and_over") == {"woman": 1}  # 56 when she entered
    assert shown("isced_0_2") == {"woman": 1, "unknown": 1} and shown("isced_3_4") == {"man": 1}
    for indicator in (
        "with_disabilities",
        "third_country_nationals",
        "foreign_background",
        "homeless_or_housing_exclusion",
    ):
        assert shown(indicator) == {"man": 1}, indicator
    assert shown("minorities_incl_roma") == {"woman": 1} == shown("from_rural_areas")
    assert shown("employed_on_leaving") == {"woman": 1} == shown("employed_six_months_after")
    assert (
        shown("improved_situation_six_months_after") == {"woman": 1}
        and shown("employed_incl_self_employed") == {}
    )

    erase(stores, p2)
    consumer.catch_up("registries")
    with consumer.db.transaction() as cur:
        (kalamata,) = esf_indicators(cur).values()
    assert sum(kalamata["total_participants"].values()) == 2  # erased: gone from the counts too
    live = dump(consumer)
    consumer.rebuild()
    assert dump(consumer) == live  # and a rebuild agrees, erasure and all


def test_the_esf_export_is_in_greek_and_suppressed_when_it_leaves_the_centre(
    consumer, stores, pg_store
):
    from services.reporting.adapters.projections.esf import esf_indicators

    esf_participants(stores)
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        indicators = esf_indicators(cur)
    inside = exports.esf_table(indicators)
    assert inside[0] == [
        "Πράξη",
        "Δείκτης",
        "Γυναίκες",
        "Άνδρες",
        "Μη δυαδικά άτομα",
        "Δεν δηλώθηκε",
        "Σύνολο",
    ]
    assert ["KK-KALAMATA", "Σύνολο συμμετεχόντων", 1, 1, 0, 1, 3] in inside
    releases = Releases(
        ReleaseStore(pg_store), consumer.db, HighsSolver(), lambda: date(2027, 1, 9)
    )
    outside = exports.esf_table(
        published.esf(releases.get("esf", "2026"))["operations"], released=True
    )
    assert [
        "KK-KALAMATA",
        "Σύνολο συμμετεχόντων",
        "εμπ.",
        "εμπ.",
        "εμπ.",
        "εμπ.",
        "εμπ.",
    ] in outside


PERSON_TABLES = ("esf_person", "esf_participant", "caseload", "beneficiary_home")
BIRTH_DATES = ("1970-03-01", "2000-06-15", "2010-01-01")  # esf_participants' own


def columns_and_rows(consumer) -> tuple[dict[str, dict[str, str]], str]:
    """Each person table's columns (name -> type) and every row, in one text."""
    with consumer.db.transaction() as cur:
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            (list(PERSON_TABLES),),
        )
        columns: dict[str, dict[str, str]] = {}
        for table, column, kind in cur.fetchall():
            columns.setdefault(table, {})[column] = kind
        rows = []
        for table in PERSON_TABLES:
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            for row in cur.fetchall():  # sealed bytes as text too: a date in clear would show
                rows += [
                    repr(row),
                    *(bytes(v).decode("latin-1") for v in row if isinstance(v, memoryview)),
                ]
    return columns, "\n".join(rows)


def test_the_person_tables_hold_no_beneficiary_id_and_no_birth_date_only_pseudonyms_and_bands(
    consumer, stores
):
    people = esf_participants(stores)
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    columns, rows = columns_and_rows(consumer)
    assert set(columns) == set(PERSON_TABLES)
    for table, found in columns.items():
        assert "beneficiary_id" not in found and "birth_date" not in found, table
        assert {c for c, kind in found.items() if kind == "date"} <= {
            "entered_on",
            "left_on",
            "registered_on",
        }, table
    for person in (*people, B1, B2, B3):
        assert person not in rows and person.replace("-", "") not in rows
    for born in BIRTH_DATES:
        assert born not in rows and born.replace("-", "") not in rows
    assert rows.count("aged_55_and_over") == 1 and rows.count("below_18") == 1


def test_an_erasure_deletes_the_persons_rows_found_by_their_pseudonym(consumer, stores, settings):
    _, p2, _ = esf_participants(stores)
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        before = queries.held_about(cur, [p2], pseudonyms(settings))
    assert len(before["esf_person"]) == 1 and len(before["esf_participant"]) == 1
    assert before["esf_person"][0]["birth_date"] == "2000-06-15"  # Art. 15: said plainly
    assert before["esf_participant"][0]["beneficiary_id"] == p2
    erase(stores, p2.upper())  # any spelling of the id finds the same pseudonym
    consumer.catch_up("registries")
    with consumer.db.transaction() as cur:
        after = queries.held_about(cur, [p2], pseudonyms(settings))
        cur.execute("SELECT count(*) FROM esf_participant")
        (others,) = cur.fetchone()
    assert after["esf_person"] == [] and after["esf_participant"] == []
    assert others == 2


def test_the_esf_totals_equal_a_count_of_every_participant_live_after_an_erasure_and_rebuilt(
    consumer, stores
):
    """The indicators are read from totals each batch moves (issue 17): applied out of order,
    twice, an entry before its registration, an erasure, they must still say what counting every
    participant's row by the regulation's rules says."""
    from services.reporting.adapters.projections.esf import _counted

    _, p2, _ = esf_participants(stores)

    def kept_and_counted() -> tuple[dict, dict]:
        with consumer.db.transaction() as cur:
            cur.execute("SELECT operation, entry_year, indicator, gender, n FROM esf_count")
            kept = {tuple(k): n for *k, n in cur.fetchall() if n}
            cur.execute("SELECT pseudonym FROM esf_participant")
            counted = _counted(cur, {w for (w,) in cur.fetchall()})
        return kept, dict(counted)

    envelopes = {s: StoreReads(s, stores[s]).read_all(0, 1000) for s in consumer.projection.sources}
    for source in ("intake", "registries", "referrals"):  # entries before their registrations
        batch = envelopes[source]
        noisy = batch + random.Random(5).sample(batch, len(batch) // 2)
        random.Random(6).shuffle(noisy)
        for i in range(0, len(noisy), 3):
            consumer.handle(source, noisy[i : i + 3], live=True)
    kept, counted = kept_and_counted()
    assert kept == counted and kept[("KK-KALAMATA", 2026, "total_participants", "man")] == 1
    erase(stores, p2)
    consumer.catch_up("registries")
    kept, counted = kept_and_counted()
    assert kept == counted and ("KK-KALAMATA", 2026, "total_participants", "man") not in kept
    consumer.rebuild()  # (the key is not forgotten here: a rebuild opens the person's entry)
    kept, counted = kept_and_counted()
    assert kept == counted and kept[("KK-KALAMATA", 2026, "total_participants", "woman")] == 1


def test_an_entry_applied_before_the_registration_gets_its_age_band_when_it_arrives(
    consumer, stores
):
    """Each source has its own queue: intake's assessment may be applied first."""
    from services.reporting.adapters.projections.esf import esf_indicators

    esf_participants(stores)
    for source in ("intake", "registries", "referrals"):
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        found = esf_indicators(cur).values()
        cur.execute("SELECT age_band FROM esf_participant ORDER BY 1")
        bands = [b for (b,) in cur.fetchall()]
    assert None not in bands and set(bands) == {"aged_18_29", "aged_55_and_over", "below_18"}
    for band in ("below_18", "aged_55_and_over"):
        assert sum(n for op in found for n in op[band].values()) == 1, band


def test_the_pseudonym_migration_empties_the_model_and_its_checkpoint_so_it_fills_again(
    admin_url, settings, unique_schema, stores
):
    from services.common.consumer.setup import migrate_read_model

    before = as_before(ReportingModel, "reporting_004")  # a person in it in clear
    schema = unique_schema("rm")
    db = migrated_read_model(admin_url, settings, schema, before)
    try:
        with db.transaction() as cur:
            cur.execute("INSERT INTO esf_person VALUES (%s, 'woman', '1970-03-01')", (B1,))
            cur.execute(
                "INSERT INTO daily_activity VALUES ('2026-11-20', 'registries', 'x', 'y', 1)"
            )
            cur.execute(
                "INSERT INTO consumer_positions (consumer, source, position) VALUES ('reporting', 'registries', 9)"
            )
        projection = ReportingModel(pseudonyms(settings))
        migrate_read_model(admin_url, settings, schema, projection)
        with db.transaction() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM esf_person) + (SELECT count(*) FROM daily_activity)"
                " + (SELECT count(*) FROM consumer_positions)"
            )
            assert cur.fetchone() == (0,)
        the_week(stores)
        consumer = Consumer(
            projection,
            db,
            StoreEventSource(stores),
            opener=personal_opener(settings, projection),
        )
        for source in projection.sources:
            consumer.catch_up(source)
        with db.transaction() as cur:
            cur.execute("SELECT count(*) FROM beneficiary_home")
            assert cur.fetchone() == (3,)
    finally:
        db.close()


def test_the_totals_migration_fills_them_from_the_rows_already_applied(
    admin_url, settings, unique_schema
):
    """An upgrade keeps its read model: a million people's rebuild is forty minutes."""
    from services.common.consumer.setup import migrate_read_model

    schema = unique_schema("rm")
    db = migrated_read_model(
        admin_url, settings, schema, as_before(ReportingModel, "reporting_007")
    )
    try:
        with db.transaction() as cur:
            cur.execute(
                "INSERT INTO register_count VALUES ('2026-11-20', 'KK', 'contacts_by_channel',"
                " 'centre', 2), ('2026-11-21', 'KK', 'contacts_by_channel', 'centre', 3),"
                " ('2026-12-01', 'KK', 'contacts_by_channel', 'centre', 1)"
            )
            cur.execute("INSERT INTO caseload VALUES ('s1', 'KK', 'p1'), ('s1', 'KK', 'p2')")
            cur.execute(
                "INSERT INTO beneficiary_home VALUES ('p1', '9254', 'KK', '2026-11-30'),"
                " ('p2', '9254', 'KK', '2026-12-01')"
            )
        # reporting_008 empties the model again
        migrate_read_model(admin_url, settings, schema, as_before(ReportingModel, "reporting_008"))
        with db.transaction() as cur:
            cur.execute("SELECT month::text, n FROM register_month ORDER BY 1")
            assert cur.fetchall() == [("2026-11-01", 5), ("2026-12-01", 1)]
            cur.execute("SELECT staff_id, site, beneficiaries FROM caseload_count")
            assert cur.fetchall() == [("s1", "KK", 2)]
            cur.execute("SELECT month::text, n FROM home_month ORDER BY 1")
            assert cur.fetchall() == [("2026-11-01", 1), ("2026-12-01", 1)]
    finally:
        db.close()


def test_the_referral_flow_keeps_the_recipients_code_and_shows_the_directorys_name(
    consumer, pg_store
):
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        cur.execute("SELECT * FROM referral_flow")
        columns, rows = [c.name for c in cur.description], cur.fetchall()
    assert "recipient_name" not in columns and "ΔΥΠΑ" not in repr(rows)
    releases = Releases(
        ReleaseStore(pg_store), consumer.db, HighsSolver(), lambda: date(2026, 12, 20)
    )
    release = releases.get("regional", "2026-11")
    (row,) = published.referral_flow(release, {A: "ΔΥΠΑ Καλαμάτας"})["flow"]
    assert (row["recipient_and_need"], row["recipient_id"]) == ("ΔΥΠΑ Καλαμάτας · employment", A)
    (unnamed,) = published.referral_flow(release)["flow"]  # not in the directory: its code
    assert unnamed["recipient_and_need"] == f"{A} · employment"


def test_recipients_outside_the_registry_are_counted_together_apart_as_other(consumer, stores):
    """Typed codes name no recipient the coordinator could follow: two outsiders under two codes
    make one "other" row beside the registry's own recipients."""
    for code in ("KAFENEIO-MELIGALA", "ENORIA-AGIOU-NIKOLAOU"):
        referral = str(uuid.uuid4())
        put(
            stores["referrals"],
            f"referral-{referral}",
            "ReferralRequested",
            "MU-KALAMATA",
            "2026-11-21",
            referral_id=referral,
            beneficiary_id=B1,
            from_site="MU-KALAMATA",
            recipient_kind="external",
            recipient_id=code,
            recipient_name="ένας φορέας",
            need="food",
        )
        put(
            stores["referrals"],
            f"referral-{referral}",
            "ReferralSent",
            "MU-KALAMATA",
            "2026-11-21",
            referral_id=referral,
            sent_on="2026-11-21",
        )
    for source in consumer.projection.sources:
        consumer.catch_up(source)
    with consumer.db.transaction() as cur:
        tables, _ = release_tables.regional(cur, parse("2026-11", "month"))
    (flow,) = [t.counts for t in tables if t.name == "referrals_by_recipient"]
    assert flow[("other · food", "pending")] == 2
    assert not any("KAFENEIO" in row or "ENORIA" in row for row, _ in flow)
    assert flow[(f"{A} · employment", "accepted")] == 1
