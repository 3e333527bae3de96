"""The registries' application layer (beneficiaries, directory, network) on the in-memory event
store. The registries' inline read models (identity index, merges, network and directory tables)
run only in the PostgreSQL store: these tests check what the application itself decides, and the
facts it reads from the streams before deciding."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

import pytest

from contracts.names import (
    AGENCY_DETAILS_CHANGED,
    AGENCY_REGISTERED,
    BENEFICIARY_MERGED,
    BENEFICIARY_REGISTERED,
    BENEFICIARY_UNMERGED,
    CENTRE_REGISTERED,
    MOBILE_UNIT_REGISTERED,
    PARTNER_MUNICIPALITIES_CHANGED,
    PERSONAL_DATA_ERASED,
    PROGRAMME_REGISTERED,
    STAFF_MEMBER_ASSIGNED,
    STAFF_MEMBER_LEFT,
)
from deploy.demo.seed import demo_directory
from services.common.domain import Conflict, NotFound, RuleViolated
from services.common.eventstore import CommandIdReused, Metadata, NewEvent, stream_name
from services.common.eventstore.memory import InMemoryEventStore
from services.common.personal_data import SubjectErased
from services.registries.adapters.hsds import PackageRejected
from services.registries.adapters.hsds_import import read_package
from services.registries.application.beneficiaries import Beneficiaries
from services.registries.application.directory import Directory
from services.registries.application.network import Network, site_stream, staff_stream
from services.registries.domain.beneficiary import (
    ErasePersonalData,
    MergeBeneficiary,
    RegisterBeneficiary,
    UnmergeBeneficiary,
)
from services.registries.domain.network import (
    AssignStaffMember,
    ChangePartnerMunicipalities,
    RegisterCentre,
    RegisterMobileUnit,
    StaffMemberLeaves,
)
from tests.unit.fakes import FakeIdentities

ELENI = uuid.UUID("0b7c4a52-1f3e-4d6a-9c80-5e2f7a1b3c4d")
ELENI_AGAIN = uuid.UUID("6d1e9f3a-2b4c-4e5d-8f70-1a2b3c4d5e6f")
NIKOS = uuid.UUID("a3f8e2d1-7c6b-4a59-b8e7-d6c5b4a39281")
AMKA = "12038501230"  # eleven digits with a valid check digit


def meta(command_id: str | None = None, site: str = "MU-KALAMATA") -> Metadata:
    return Metadata("sw-1", site, command_id=command_id)


def register(person=ELENI, **changes) -> RegisterBeneficiary:
    fields = {
        "beneficiary_id": person,
        "given_name": "Ελένη",
        "family_name": "Σταθοπούλου",
        "municipality_code": "9258",
        "site": "MU-KALAMATA",
        "birth_date": date(1985, 3, 12),
        "amka": AMKA,
    }
    return RegisterBeneficiary(**{**fields, **changes})


def erase(person=ELENI) -> ErasePersonalData:
    return ErasePersonalData(person, "the person asked (GDPR art. 17)", "dpo-1")


def merge(duplicate=ELENI_AGAIN, survivor=ELENI) -> MergeBeneficiary:
    return MergeBeneficiary(duplicate, survivor, "same AMKA, met twice", "sw-1")


def unmerge(duplicate=ELENI_AGAIN) -> UnmergeBeneficiary:
    return UnmergeBeneficiary(duplicate, "two different people after all", "sw-1")


def registered(*people) -> Beneficiaries:
    beneficiaries = Beneficiaries(InMemoryEventStore())
    for person in people:
        beneficiaries.register(register(person), meta())
    return beneficiaries


def types_on(store, stream: str) -> list[str]:
    return [e.type for e in store.read_stream(stream)]


# --- registering -----------------------------------------------------------------------------


def test_registering_a_person_stores_the_registration_on_their_own_stream():
    beneficiaries = Beneficiaries(InMemoryEventStore())
    result = beneficiaries.register(register(), meta())
    assert result.stream == stream_name("beneficiary", ELENI)
    assert [e.type for e in result.events] == [BENEFICIARY_REGISTERED]


def test_a_persons_names_and_numbers_are_stored_apart_under_their_own_subject():
    # sealed under the person's key, so erasing that key forgets exactly this person
    (event,) = Beneficiaries(InMemoryEventStore()).register(register(), meta()).events
    assert event.subject_id == ELENI
    assert {"given_name", "family_name", "amka", "birth_date"} <= set(event.personal)
    assert not {"given_name", "family_name", "amka", "birth_date"} & set(event.data)


def test_registering_the_same_id_twice_is_a_conflict_and_stores_nothing():
    beneficiaries = registered(ELENI)
    with pytest.raises(Conflict):
        beneficiaries.register(register(given_name="Ελένη-Μαρία"), meta())
    assert beneficiaries.store.last_position() == 1


def test_a_retried_registration_gets_its_first_answer():
    beneficiaries = Beneficiaries(InMemoryEventStore())
    first = beneficiaries.register(register(), meta("reg-00001"))
    again = beneficiaries.register(register(), meta("reg-00001"))
    assert again.duplicate and again.events == first.events
    assert beneficiaries.store.last_position() == 1


def test_a_registration_command_id_reused_for_someone_else_is_refused():
    beneficiaries = Beneficiaries(InMemoryEventStore())
    beneficiaries.register(register(), meta("reg-00001"))
    with pytest.raises(CommandIdReused):
        beneficiaries.register(register(given_name="Νίκος"), meta("reg-00001"))


# --- registering a person the registry may already know ---------------------------------------


def test_a_person_the_network_already_holds_is_found_not_registered_again():
    # met by the mobile unit in Pylos, now at the Kalamata centre: one history, not two
    beneficiaries = Beneficiaries(InMemoryEventStore(), FakeIdentities(known={AMKA: str(ELENI)}))
    beneficiaries.register(register(ELENI), meta(site="MU-KALAMATA"))
    answer = beneficiaries.register_person(register(ELENI_AGAIN, site="KK-KALAMATA"), meta())
    assert answer.found_existing == str(ELENI) and answer.result is None
    assert beneficiaries.store.last_position() == 1


def test_a_person_only_another_network_holds_is_registered_as_this_sites_own_record():
    # registered in Sparti, now at the Kalamata mobile unit: a record of Kalamata's own (the
    # identity index links it to Sparti's), answered as any new registration
    beneficiaries = Beneficiaries(InMemoryEventStore(), FakeIdentities(known={AMKA: str(ELENI)}))
    beneficiaries.register(register(ELENI, site="KK-SPARTI"), meta(site="KK-SPARTI"))
    answer = beneficiaries.register_person(register(ELENI_AGAIN), meta())
    assert answer.found_existing is None
    assert answer.result.stream == f"beneficiary-{ELENI_AGAIN}" and answer.result.version == 1


def test_a_new_person_is_registered_with_the_records_that_may_be_them():
    maybe = {"beneficiary_id": str(NIKOS), "given_name": "Ελένη", "score": 0.8}
    beneficiaries = Beneficiaries(InMemoryEventStore(), FakeIdentities(duplicates=[maybe]))
    answer = beneficiaries.register_person(register(), meta())
    assert answer.found_existing is None and answer.possible_duplicates == [maybe]
    assert [e.type for e in answer.result.events] == [BENEFICIARY_REGISTERED]


def test_a_retried_registration_is_not_mistaken_for_the_person_found_elsewhere():
    # the first try indexed the person under this very id: the retry gets its first answer
    identities = FakeIdentities()
    beneficiaries = Beneficiaries(InMemoryEventStore(), identities)
    first = beneficiaries.register_person(register(), meta("reg-00001"))
    identities.known[AMKA] = str(ELENI)
    again = beneficiaries.register_person(register(), meta("reg-00001"))
    assert again.found_existing is None and again.result.duplicate
    assert again.result.events == first.result.events


def test_the_registry_is_asked_with_every_personal_field_as_text():
    identities = FakeIdentities()
    Beneficiaries(InMemoryEventStore(), identities).register_person(register(), meta())
    (asked,) = identities.asked
    assert asked["amka"] == AMKA and asked["birth_date"] == "1985-03-12"
    assert asked["beneficiary_id"] == str(ELENI) and asked["phone"] is None


def test_a_process_given_no_identities_cannot_register_a_person():
    with pytest.raises(RuntimeError):
        Beneficiaries(InMemoryEventStore()).register_person(register(), meta())


# --- what the record says (registration) --------------------------------------------------------


def test_the_registration_of_a_known_person_says_who_where_and_when():
    beneficiaries = Beneficiaries(InMemoryEventStore())
    (event,) = beneficiaries.register(register(), meta(site="MU-KALAMATA")).events
    found = beneficiaries.registration(ELENI)
    assert found["beneficiary_id"] == str(ELENI) and found["erased"] is False
    assert found["registered"]["given_name"] == "Ελένη" and found["registered"]["amka"] == AMKA
    assert found["site"] == "MU-KALAMATA"
    assert found["recorded_at"] == event.recorded_at.isoformat()


def test_the_registration_of_an_id_never_registered_is_none():
    assert registered(ELENI).registration(NIKOS) is None


def test_the_registration_of_an_erased_person_keeps_nothing_personal():
    beneficiaries = registered(ELENI)
    beneficiaries.erase_personal_data(erase(), meta())
    found = beneficiaries.registration(ELENI)
    assert found["erased"] is True
    assert not {"given_name", "family_name", "amka", "birth_date"} & set(found["registered"])
    assert found["registered"]["municipality_code"] == "9258"  # what counts, never who


def test_a_stream_that_does_not_begin_with_a_registration_has_no_registration():
    # only a registration is taken for one, whatever else a stream may begin with
    store = InMemoryEventStore()
    store.append(stream_name("beneficiary", NIKOS), 0, [NewEvent(BENEFICIARY_MERGED, {})], meta())
    assert Beneficiaries(store).registration(NIKOS) is None


# --- erasing --------------------------------------------------------------------------------


def test_erasure_records_the_request_on_the_persons_stream():
    beneficiaries = registered(ELENI)
    result = beneficiaries.erase_personal_data(erase(), meta())
    assert [e.type for e in result.events] == [PERSONAL_DATA_ERASED] and result.version == 2


def test_erasure_forgets_the_persons_key_so_nothing_personal_can_be_stored_for_them_again():
    beneficiaries = registered(ELENI)
    beneficiaries.erase_personal_data(erase(), meta())
    sealed = NewEvent(BENEFICIARY_REGISTERED, {}, personal={"phone": "1"}, subject_id=ELENI)
    with pytest.raises(SubjectErased):
        beneficiaries.store.append("beneficiary-other", 0, [sealed], meta())


def test_erasure_forgets_only_that_person():
    beneficiaries = registered(ELENI, NIKOS)
    beneficiaries.erase_personal_data(erase(ELENI), meta())
    assert beneficiaries.registration(NIKOS)["registered"]["given_name"] == "Ελένη"
    assert beneficiaries.registration(NIKOS)["erased"] is False


def test_erasing_an_id_never_registered_is_not_found_and_forgets_no_one():
    # the key must survive a refused erasure: the person may be registered under that id later
    beneficiaries = Beneficiaries(InMemoryEventStore())
    with pytest.raises(NotFound):
        beneficiaries.erase_personal_data(erase(), meta())
    beneficiaries.register(register(), meta())
    assert beneficiaries.registration(ELENI)["registered"]["given_name"] == "Ελένη"


def test_erasing_twice_records_nothing_the_second_time():
    beneficiaries = registered(ELENI)
    beneficiaries.erase_personal_data(erase(), meta())
    again = beneficiaries.erase_personal_data(erase(), meta())
    assert again.events == () and again.version == 2


def test_a_retried_erasure_gets_its_first_answer():
    beneficiaries = registered(ELENI)
    first = beneficiaries.erase_personal_data(erase(), meta("erase-0001"))
    again = beneficiaries.erase_personal_data(erase(), meta("erase-0001"))
    assert again.duplicate and again.events == first.events
    assert beneficiaries.store.last_position() == 2


# --- merging and unmerging ------------------------------------------------------------------


def test_a_merge_is_recorded_on_the_duplicates_stream_naming_the_survivor():
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    result = beneficiaries.merge(merge(), [], meta())
    assert result.stream == stream_name("beneficiary", ELENI_AGAIN)
    (event,) = result.events
    assert event.type == BENEFICIARY_MERGED and event.data["survivor_id"] == str(ELENI)
    assert types_on(beneficiaries.store, stream_name("beneficiary", ELENI)) == [
        BENEFICIARY_REGISTERED
    ]


def test_the_facts_the_application_looked_up_are_not_stored_with_the_merge():
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    (event,) = beneficiaries.merge(merge(), [], meta()).events
    assert not {"survivor", "merged_into_duplicate"} & set(event.payload)


def test_merging_into_a_survivor_never_registered_is_not_found():
    # the application reads the survivor's own stream: the duplicate's alone cannot tell
    beneficiaries = registered(ELENI_AGAIN)
    with pytest.raises(NotFound):
        beneficiaries.merge(merge(survivor=NIKOS), [], meta())


def test_merging_into_a_survivor_itself_merged_elsewhere_is_refused():
    # no chains: the application reads that the survivor is merged into Nikos
    beneficiaries = registered(ELENI, ELENI_AGAIN, NIKOS)
    beneficiaries.merge(merge(duplicate=ELENI, survivor=NIKOS), [], meta())
    with pytest.raises(RuleViolated):
        beneficiaries.merge(merge(), [], meta())


def test_merging_into_an_erased_survivor_is_refused():
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    beneficiaries.erase_personal_data(erase(ELENI), meta())
    with pytest.raises(RuleViolated):
        beneficiaries.merge(merge(), [], meta())


def test_merging_a_record_others_are_merged_into_is_refused():
    # who is merged into the duplicate comes from the merges read model, through the caller
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    with pytest.raises(RuleViolated):
        beneficiaries.merge(merge(), [str(NIKOS)], meta())


def test_merging_again_into_the_same_survivor_records_nothing():
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    beneficiaries.merge(merge(), [], meta())
    assert beneficiaries.merge(merge(), [], meta()).events == ()


def test_a_retried_merge_is_answered_as_before_though_the_survivor_changed_meanwhile():
    # the survivor's state is a fact the application looked up, not part of what was sent: after
    # the survivor's erasure, deciding again would refuse; the retry gets its first answer instead
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    first = beneficiaries.merge(merge(), [], meta("merge-0001"))
    beneficiaries.erase_personal_data(erase(ELENI), meta())
    again = beneficiaries.merge(merge(), [str(NIKOS)], meta("merge-0001"))
    assert again.duplicate and again.events == first.events


def test_an_unmerge_records_whom_the_duplicate_leaves():
    beneficiaries = registered(ELENI, ELENI_AGAIN)
    beneficiaries.merge(merge(), [], meta())
    (event,) = beneficiaries.unmerge(unmerge(), meta()).events
    assert event.type == BENEFICIARY_UNMERGED and event.data["survivor_id"] == str(ELENI)


def test_unmerging_a_record_merged_into_no_one_is_refused():
    beneficiaries = registered(ELENI_AGAIN)
    with pytest.raises(RuleViolated):
        beneficiaries.unmerge(unmerge(), meta())


def test_after_an_unmerge_the_record_can_be_merged_into_someone_else():
    beneficiaries = registered(ELENI, ELENI_AGAIN, NIKOS)
    beneficiaries.merge(merge(), [], meta())
    beneficiaries.unmerge(unmerge(), meta())
    (event,) = beneficiaries.merge(merge(survivor=NIKOS), [], meta()).events
    assert event.data["survivor_id"] == str(NIKOS)


# --- the network: sites and staff -------------------------------------------------------------

KALAMATA = RegisterCentre(
    "KK-KALAMATA",
    "Διευρυμένο ΚΚ Καλαμάτας",
    "9254",
    "messinia",
    True,
    "5000005",
    date(2024, 1, 1),
    date(2026, 12, 31),
    Decimal("480000.00"),
    900,
)


def mobile_unit(partners=("9256", "9258"), parent="KK-KALAMATA") -> RegisterMobileUnit:
    return RegisterMobileUnit("MU-KALAMATA", "Κινητή Μονάδα Καλαμάτας", parent, list(partners))


def partners(codes) -> ChangePartnerMunicipalities:
    return ChangePartnerMunicipalities("MU-KALAMATA", list(codes), "Pylos joins the programme")


def social_worker(site="MU-KALAMATA") -> AssignStaffMember:
    return AssignStaffMember(
        "kalamata.social1", "Μαρία Παπαδάκη", "social_worker", site, date(2024, 1, 1)
    )


def with_centre() -> Network:
    network = Network(InMemoryEventStore())
    network.register_centre(KALAMATA, meta(site="KK-KALAMATA"))
    return network


def with_mobile_unit() -> Network:
    network = with_centre()
    network.register_mobile_unit(mobile_unit(), meta())
    return network


def test_a_centre_is_registered_on_the_stream_its_site_code_names():
    network = with_centre()
    assert types_on(network.store, site_stream("KK-KALAMATA")) == [CENTRE_REGISTERED]
    assert network.site("KK-KALAMATA").kind == "centre"


def test_the_same_site_code_always_names_the_same_stream_and_sites_never_share_one():
    assert site_stream("KK-KALAMATA") == site_stream("KK-KALAMATA")
    assert site_stream("KK-KALAMATA") != site_stream("MU-KALAMATA")
    assert staff_stream("kalamata.social1") != site_stream("kalamata.social1")


def test_registering_a_centre_twice_is_a_conflict():
    network = with_centre()
    with pytest.raises(Conflict):
        network.register_centre(KALAMATA, meta())


def test_a_mobile_unit_is_registered_within_its_parent_centres_regional_unit():
    network = with_centre()
    (event,) = network.register_mobile_unit(mobile_unit(), meta()).events
    assert event.type == MOBILE_UNIT_REGISTERED
    assert network.site("MU-KALAMATA").partner_municipalities == ("9256", "9258")


def test_the_parent_centres_regional_unit_is_looked_up_not_stored():
    network = with_centre()
    (event,) = network.register_mobile_unit(mobile_unit(), meta()).events
    assert "parent_regional_unit" not in event.data and event.data["parent_centre"] == "KK-KALAMATA"


def test_a_mobile_unit_of_a_centre_never_registered_is_not_found():
    network = Network(InMemoryEventStore())
    with pytest.raises(NotFound):
        network.register_mobile_unit(mobile_unit(), meta())


def test_a_mobile_unit_cannot_serve_a_municipality_outside_its_centres_regional_unit():
    # 9252 is Sparti, in Laconia; the Kalamata centre is in Messinia
    network = with_centre()
    with pytest.raises(RuleViolated):
        network.register_mobile_unit(mobile_unit(partners=("9256", "9252")), meta())
    assert network.site("MU-KALAMATA").kind is None


def test_a_mobile_units_partner_municipalities_change_within_its_parent_centres_unit():
    network = with_mobile_unit()
    (event,) = network.change_partner_municipalities(partners(["9256", "9257"]), meta()).events
    assert event.type == PARTNER_MUNICIPALITIES_CHANGED
    assert network.site("MU-KALAMATA").partner_municipalities == ("9256", "9257")


def test_partner_municipalities_changing_outside_the_parent_centres_unit_are_refused():
    # the application finds the parent centre from the unit's own registration
    network = with_mobile_unit()
    with pytest.raises(RuleViolated):
        network.change_partner_municipalities(partners(["9256", "9241"]), meta())


def test_the_same_partner_municipalities_again_record_nothing():
    network = with_mobile_unit()
    assert network.change_partner_municipalities(partners(["9256", "9258"]), meta()).events == ()


def test_changing_the_partners_of_a_site_that_is_no_mobile_unit_is_not_found():
    network = with_centre()
    with pytest.raises(NotFound):
        network.change_partner_municipalities(partners(["9256"]), meta())


def test_a_staff_member_is_assigned_to_a_registered_site_on_their_own_stream():
    network = with_mobile_unit()
    (event,) = network.assign_staff_member(social_worker(), meta()).events
    assert event.type == STAFF_MEMBER_ASSIGNED and "site_exists" not in event.data
    assert types_on(network.store, staff_stream("kalamata.social1")) == [STAFF_MEMBER_ASSIGNED]


def test_assigning_a_staff_member_to_a_site_never_registered_is_not_found():
    network = with_centre()
    with pytest.raises(NotFound):
        network.assign_staff_member(social_worker(site="MU-SPARTI"), meta())


def test_assigning_a_staff_member_again_to_the_same_site_records_nothing():
    network = with_mobile_unit()
    network.assign_staff_member(social_worker(), meta())
    assert network.assign_staff_member(social_worker(), meta()).events == ()


def test_one_staff_member_may_work_at_two_sites():
    network = with_mobile_unit()
    network.assign_staff_member(social_worker(), meta())
    result = network.assign_staff_member(social_worker(site="KK-KALAMATA"), meta())
    assert [e.type for e in result.events] == [STAFF_MEMBER_ASSIGNED] and result.version == 2


def test_a_staff_member_leaves_a_site_they_work_at():
    network = with_mobile_unit()
    network.assign_staff_member(social_worker(), meta())
    leaves = StaffMemberLeaves("kalamata.social1", "MU-KALAMATA", date(2025, 6, 30))
    assert [e.type for e in network.staff_member_leaves(leaves, meta()).events] == [
        STAFF_MEMBER_LEFT
    ]


def test_leaving_a_site_one_never_worked_at_is_not_found():
    network = with_mobile_unit()
    leaves = StaffMemberLeaves("kalamata.social1", "MU-KALAMATA", date(2025, 6, 30))
    with pytest.raises(NotFound):
        network.staff_member_leaves(leaves, meta())


# --- the directory of agencies and programmes -------------------------------------------------


SOCIAL_GROCERY = "becd5276-a2fe-5dd0-a963-3c0ab798b3de"  # row 3 of organizations.csv, no email


def package(**edits) -> dict[str, str]:
    """The demo HSDS package, with cells changed: {"organizations.csv": (row, column, value)}."""
    files = demo_directory()
    for name, (row, column, value) in edits.items():
        rows = list(csv.DictReader(io.StringIO(files[name])))
        rows[row - 2][column] = value  # row numbers as a spreadsheet shows them
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        files[name] = out.getvalue()
    return files


def agencies_and_programmes(files=None) -> tuple[list[dict], list[dict]]:
    agencies, programmes, _ = read_package(files or demo_directory())
    return agencies, programmes


def metadata_for(command_id: str) -> Metadata:
    return meta(command_id, site="KK-KALAMATA")


def test_an_agency_described_the_first_time_is_registered():
    (agency, *_), _ = agencies_and_programmes()
    result = Directory(InMemoryEventStore()).describe_agency(agency, meta())
    assert [e.type for e in result.events] == [AGENCY_REGISTERED]
    assert result.stream == stream_name("agency", agency["agency_id"])


def test_the_same_description_again_records_nothing():
    (agency, *_), _ = agencies_and_programmes()
    directory = Directory(InMemoryEventStore())
    directory.describe_agency(agency, meta())
    assert directory.describe_agency(dict(agency), meta()).events == ()


def test_a_different_description_is_a_change_of_details():
    (agency, *_), _ = agencies_and_programmes()
    directory = Directory(InMemoryEventStore())
    directory.describe_agency(agency, meta())
    (event,) = directory.describe_agency({**agency, "response_days": 15}, meta()).events
    assert event.type == AGENCY_DETAILS_CHANGED and event.data["response_days"] == 15


def test_a_programme_of_a_registered_agency_is_registered():
    agencies, (programme,) = agencies_and_programmes()
    directory = Directory(InMemoryEventStore())
    runner = next(a for a in agencies if a["agency_id"] == programme["agency_id"])
    directory.describe_agency(runner, meta())
    result = directory.describe_programme(programme, meta())
    assert [e.type for e in result.events] == [PROGRAMME_REGISTERED]


def test_a_programme_of_an_agency_never_registered_is_not_found():
    _, (programme,) = agencies_and_programmes()
    with pytest.raises(NotFound):
        Directory(InMemoryEventStore()).describe_programme(programme, meta())


def test_a_programme_cannot_move_to_another_agency():
    agencies, (programme,) = agencies_and_programmes()
    directory = Directory(InMemoryEventStore())
    for agency in agencies:
        directory.describe_agency(agency, meta())
    directory.describe_programme(programme, meta())
    other = next(a for a in agencies if a["agency_id"] != programme["agency_id"])
    with pytest.raises(RuleViolated):
        directory.describe_programme({**programme, "agency_id": other["agency_id"]}, meta())


def test_importing_a_package_registers_every_agency_and_programme():
    directory = Directory(InMemoryEventStore())
    counts = directory.import_hsds(demo_directory(), metadata_for)
    assert counts == {
        "agencies": 10,
        "programmes": 1,
        "registered": 11,
        "changed": 0,
        "unchanged": 0,
        "notices": [],
    }


def test_importing_the_same_package_again_stores_nothing():
    directory = Directory(InMemoryEventStore())
    directory.import_hsds(demo_directory(), metadata_for)
    stored = directory.store.last_position()
    counts = directory.import_hsds(demo_directory(), metadata_for)
    assert counts["unchanged"] == 11 and directory.store.last_position() == stored


def test_an_import_with_one_changed_agency_changes_that_agency_alone():
    directory = Directory(InMemoryEventStore())
    directory.import_hsds(demo_directory(), metadata_for)
    counts = directory.import_hsds(
        package(**{"organizations.csv": (3, "email", "care@example.gr")}), metadata_for
    )
    assert (counts["changed"], counts["unchanged"]) == (1, 10)


@pytest.mark.xfail(
    strict=True,
    reason="import_hsds uses the description's content hash as its command id: a package that "
    "puts an agency back to details it had before reuses that earlier command id, gets the earlier "
    "result as a duplicate, and the change back is never stored (counted 'unchanged')",
)
def test_an_import_that_puts_an_agency_back_as_it_was_before_is_stored():
    directory = Directory(InMemoryEventStore())
    directory.import_hsds(demo_directory(), metadata_for)
    directory.import_hsds(
        package(**{"organizations.csv": (3, "email", "care@example.gr")}), metadata_for
    )
    counts = directory.import_hsds(demo_directory(), metadata_for)
    (*_, last) = directory.store.read_stream(stream_name("agency", SOCIAL_GROCERY))
    assert last.data.get("email") is None and counts["changed"] == 1


def test_an_import_that_moves_a_programme_to_another_agency_stores_nothing():
    # the one rule a valid package can still break is checked before anything is stored
    directory = Directory(InMemoryEventStore())
    directory.import_hsds(demo_directory(), metadata_for)
    stored = directory.store.last_position()
    agencies, (programme,) = agencies_and_programmes()
    other = next(a for a in agencies if a["agency_id"] != programme["agency_id"])
    moved = package(
        **{"programs.csv": (2, "organization_id", str(other["agency_id"]))},
    )
    with pytest.raises(PackageRejected) as raised:
        directory.import_hsds(moved, metadata_for)
    assert raised.value.problems[0].field == "organization_id"
    assert directory.store.last_position() == stored
