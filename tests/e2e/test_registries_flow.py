"""Commands through the real registries service (RPC in, events out through the relay)."""

from __future__ import annotations

import threading
import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from deploy.demo.seed import seed_network
from services.common.consumer import Consumer
from services.common.consumer.live import LiveConsumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.common.rpc_commands import CommandRejected
from services.registries.entrypoints.service import RegistriesService
from tests.support.database import migrated_read_model
from tests.support.projections import Roster, roster_rows
from tests.support.waiting import eventually

CONTEXT = {"actor": "sw-kalamata-1", "site": "MU-KALAMATA"}


def registration(**overrides):
    return {
        "command_id": str(uuid.uuid4()),
        "given_name": "Ελένη",
        "family_name": "Σταθοπούλου",
        "municipality_code": "9258",
        "site": "MU-KALAMATA",
        "amka": "01013099997",
        **overrides,
    }


@pytest.fixture
def registries(running, platform_config):
    running(RegistriesService)
    with ServiceRpcProxy("registries", platform_config) as proxy:
        yield proxy


def test_a_registration_is_stored_and_readable_from_the_service_history(registries):
    answer = registries.register_beneficiary(registration(), CONTEXT)
    (event,) = registries.read_stream(answer["stream"], 1, 10)
    # the backbone read hands the personal fields on sealed, as the bus does
    assert event["type"] == "BeneficiaryRegistered" and event["sealed"]
    assert "Ελένη" not in str(event)
    assert (
        event["metadata"]["site"] == "MU-KALAMATA" and event["metadata"]["actor"] == "sw-kalamata-1"
    )


def test_a_retried_registration_stores_nothing_new_and_gives_the_same_beneficiary(registries):
    command = registration()
    first = registries.register_beneficiary(command, CONTEXT)
    again = registries.register_beneficiary(command, CONTEXT)
    assert again["duplicate"] and again["stream"] == first["stream"]
    assert registries.last_position() == first["events"][0]["position"]


def test_an_amka_with_a_wrong_check_digit_is_refused_naming_the_field(registries):
    with pytest.raises(CommandRejected) as raised:
        registries.register_beneficiary(registration(amka="01013099998"), CONTEXT)
    assert raised.value.code == "invalid" and "amka" in raised.value.details


def test_registering_the_same_beneficiary_twice_is_a_conflict(registries):
    beneficiary = str(uuid.uuid4())
    registries.register_beneficiary(registration(beneficiary_id=beneficiary), CONTEXT)
    with pytest.raises(CommandRejected) as raised:
        registries.register_beneficiary(registration(beneficiary_id=beneficiary), CONTEXT)
    assert raised.value.code == "conflict"


def test_erasure_leaves_history_and_counts_but_no_personal_field_anywhere(
    registries, relays, platform_settings, admin_url
):
    relays("registries")
    stop = threading.Event()
    projection = Roster()
    db = migrated_read_model(
        admin_url, platform_settings, platform_settings.schema("roster"), projection
    )
    consumer = Consumer(
        projection,
        db,
        RpcEventSource(platform_settings.amqp_uri),
        opener=personal_opener(platform_settings, projection),
    )
    live = LiveConsumer(
        consumer,
        platform_settings.amqp_uri,
        publishers=dict.fromkeys(consumer.projection.sources, "guest"),
    )
    threading.Thread(target=live.run, args=(stop,), daemon=True).start()
    try:
        kept = registries.register_beneficiary(registration(), CONTEXT)
        erased = registries.register_beneficiary(
            registration(given_name="Δήμητρα", amka=None), CONTEXT
        )
        subject = erased["stream"].split("-", 1)[1]
        registries.erase_personal_data(
            {
                "command_id": str(uuid.uuid4()),
                "beneficiary_id": subject,
                "reason": "αίτημα διαγραφής",
                "requested_by": "dpo-1",
            },
            {"actor": "dpo-1", "site": "KK-KALAMATA"},
        )
        eventually(
            lambda: consumer.position("registries") >= registries.last_position(),
            20,
            what="the consumer to apply the erasure",
        )

        rows = roster_rows(db)
        assert rows[subject][:2] == (None, None) and rows[subject][3] == 2
        assert rows[kept["stream"].split("-", 1)[1]][0] == "Ελένη"
        history = registries.read_stream(erased["stream"], 1, 10)
        assert [e["type"] for e in history] == ["BeneficiaryRegistered", "PersonalDataErased"]
        assert history[0]["erased"] and history[0]["sealed"] is None
        replay = registries.read_all(0, 100)
        # sealed on the way out, always; the erased one carries nothing left to open
        assert "Δήμητρα" not in repr(replay) and "Ελένη" not in repr(replay)
        with pytest.raises(
            CommandRejected
        ) as raised:  # no new personal data for a forgotten person
            registries.register_beneficiary(
                registration(beneficiary_id=subject, amka=None), CONTEXT
            )
        assert raised.value.code in ("conflict", "erased")
    finally:
        stop.set()


def test_a_beneficiary_is_found_existing_through_a_keyed_hash_and_not_after_erasure(
    registries, platform_settings, admin_url
):
    import psycopg2

    answer = registries.register_beneficiary(registration(amka="01013099997"), CONTEXT)
    beneficiary = answer["stream"].split("-", 1)[1]
    assert registries.find_by_amka("010130 99997") == [beneficiary]

    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute(
            f'SELECT kind, digest FROM "{platform_settings.schema("registries")}".identity_index'
        )
        rows = cur.fetchall()
    assert rows and all(len(d) == 64 and "01013099997" not in d for _, d in rows)

    registries.erase_personal_data(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary,
            "reason": "αίτημα",
            "requested_by": "dpo-1",
        },
        {"actor": "dpo-1", "site": "KK-K"},
    )
    assert registries.find_by_amka("01013099997") == []
    conn.close()


def test_the_person_met_by_the_mobile_unit_in_trifylia_is_found_again_at_the_kalamata_centre(
    registries,
):
    seed_network(registries)  # the unit is the Kalamata centre's: one network, one record
    met = registries.register_beneficiary(
        registration(site="MU-KALAMATA", municipality_code="9258", amka="01013099997"), CONTEXT
    )
    again = registries.register_beneficiary(
        registration(site="KK-KALAMATA", municipality_code="9254", amka="01013099997"),
        {**CONTEXT, "site": "KK-KALAMATA"},
    )
    assert again["found_existing"] and again["stream"] == met["stream"]
    assert len(registries.read_stream(met["stream"], 1, 10)) == 1  # one person, one history


def test_the_same_amka_at_another_network_is_a_record_of_its_own_linked_to_the_first(registries):
    seed_network(registries)
    met = registries.register_beneficiary(registration(site="MU-KALAMATA"), CONTEXT)
    sparti = registries.register_beneficiary(
        registration(site="KK-SPARTI", municipality_code="9252", given_name="Έλενα"),
        {**CONTEXT, "site": "KK-SPARTI"},
    )
    assert not sparti["found_existing"] and sparti["version"] == 1
    assert sparti["stream"] != met["stream"]
    first, second = (a["stream"].split("-", 1)[1] for a in (met, sparti))
    assert registries.all_records(second) == [first, second]
    assert registries.person(second)["records"] == [second]  # access never follows the link
    reviews = registries.identity_reviews()["site_records"]
    assert reviews == [
        {
            "beneficiary_id": second,
            "linked_to": first,
            "site": "KK-SPARTI",
            "differs": ["name"],
        }
    ]


def test_a_greeklish_near_duplicate_without_amka_is_a_warning_and_never_merged(registries):
    greek = registries.register_beneficiary(
        registration(
            given_name="Γιώργος", family_name="Παπαδόπουλος", birth_date="1980-05-01", amka=None
        ),
        CONTEXT,
    )
    latin = registries.register_beneficiary(
        registration(
            given_name="Giorgos", family_name="PAPADOPOULOS", birth_date="1980-05-01", amka=None
        ),
        CONTEXT,
    )
    (warning,) = latin["possible_duplicates"]
    assert warning == {"beneficiary_id": greek["stream"].split("-", 1)[1], "score": 0.9}
    assert latin["stream"] != greek["stream"] and not latin["found_existing"]


def test_only_the_family_name_and_birth_date_matching_is_a_weaker_warning(registries):
    registries.register_beneficiary(
        registration(
            given_name="Μαρία", family_name="Οικονόμου", birth_date="1975-02-03", amka=None
        ),
        CONTEXT,
    )
    other = registries.register_beneficiary(
        registration(
            given_name="Ελένη", family_name="Oikonomou", birth_date="1975-02-03", amka=None
        ),
        CONTEXT,
    )
    assert [w["score"] for w in other["possible_duplicates"]] == [0.6]


def test_an_amka_whose_first_digits_are_not_a_date_registers_with_a_warning(registries):
    answer = registries.register_beneficiary(registration(amka="32133099997"), CONTEXT)
    assert answer["version"] == 1 and [w["field"] for w in answer["warnings"]] == ["amka"]


def test_an_afm_with_a_wrong_check_digit_is_refused_naming_the_field(registries):
    with pytest.raises(CommandRejected) as raised:
        registries.register_beneficiary(registration(amka=None, afm="094259217"), CONTEXT)
    assert raised.value.code == "invalid" and "afm" in raised.value.details


def test_a_person_without_amka_is_found_again_by_their_temporary_number(registries):
    first = registries.register_beneficiary(registration(amka=None, paaypa="PA1234567"), CONTEXT)
    again = registries.register_beneficiary(registration(amka=None, paaypa="PA1234567"), CONTEXT)
    assert again["found_existing"] and again["stream"] == first["stream"]


def ids(found: list[dict]) -> list[str]:
    return [f["beneficiary_id"] for f in found]


def test_a_search_by_name_matches_greek_greeklish_accents_case_and_beginnings(registries):
    greek = registries.register_beneficiary(
        registration(given_name="Ελένη", family_name="Σταθοπούλου", amka=None), CONTEXT
    )["stream"].split("-", 1)[1]
    assert ids(registries.search("σταθοπουλου")) == [greek]
    assert ids(registries.search("Eleni STATHOPOULOU")) == [greek]
    assert ids(registries.search("Σταθοπ")) == [greek] == ids(registries.search("elen stathop"))
    assert registries.search("Ελένη Παπαδάκη") == [] and registries.search("Σ") == []
    with_amka = registries.register_beneficiary(registration(), CONTEXT)["stream"].split("-", 1)[1]
    assert ids(registries.search("01013099997")) == [with_amka]


def test_a_search_puts_whole_word_matches_before_beginnings(registries):
    """'Μαρία' is a whole word of one name and the beginning of another's ('Μαριάννα')."""
    beginning, whole = [
        registries.register_beneficiary(
            registration(given_name=given, family_name="Ζαχαροπούλου", amka=None), CONTEXT
        )["stream"].split("-", 1)[1]
        for given in ("Μαριάννα", "Μαρία")
    ]
    exact = {f["beneficiary_id"]: f["exact"] for f in registries.search("Μαρία Ζαχαροπούλου")}
    order = list(exact)
    assert order.index(whole) < order.index(beginning) and (exact[whole], exact[beginning]) == (
        2,
        1,
    )
