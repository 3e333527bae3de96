"""Referrals through the real registries, intake and referrals services (RPC in, events in the
stores, the read side kept with them), the expiry timer, and the reactions to intake."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo.seed import CONTEXT as SEED
from deploy.demo.seed import demo_directory, seed_network
from services.common.consumer import Consumer
from services.common.consumer.setup import open_read_model
from services.common.consumer.sources import RpcEventSource
from services.common.rpc_commands import CommandRejected
from services.intake.entrypoints.service import IntakeService
from services.referrals.application.reactions import ReferralReactions
from services.referrals.entrypoints.service import ReferralsService
from services.registries.entrypoints.service import RegistriesService
from tests.support.clock import today_in_greece
from tests.support.waiting import eventually

WORKER = {"actor": "kalamata.social1", "site": "MU-KALAMATA"}
DYPA_OFFICER = {"actor": "dypa.kalamata", "site": "KK-KALAMATA"}
OICHALIA = "9256"
TODAY = today_in_greece()


@pytest.fixture
def cluster(container_factory, platform_config):
    config = {**platform_config, "REFERRALS_EXPIRY_CHECK_SECONDS": 0.5}
    for service in (RegistriesService, IntakeService, ReferralsService):
        container_factory(service, config).start()
    with ClusterRpcProxy(config) as proxy:
        seed_network(proxy.registries)
        proxy.registries.import_hsds(demo_directory(), SEED)
        yield proxy


class Referral:
    """A client of one referral that remembers the version it last saw."""

    def __init__(self, cluster, beneficiary_id: str):
        self.rpc, self.id, self.beneficiary_id, self.version = (
            cluster.referrals,
            str(uuid.uuid4()),
            beneficiary_id,
            0,
        )

    def __call__(self, method: str, context=WORKER, command_id: str | None = None, **fields):
        answer = getattr(self.rpc, method)(
            {
                "command_id": command_id or str(uuid.uuid4()),
                "referral_id": self.id,
                "beneficiary_id": self.beneficiary_id,
                "expected_version": self.version,
                **fields,
            },
            context,
        )
        self.version = answer["version"]
        return answer


def met_in_oichalia(cluster, consent_to: str | None = None) -> str:
    answer = cluster.registries.register_beneficiary(
        {
            "command_id": str(uuid.uuid4()),
            "given_name": "Νίκος",
            "family_name": "Αθανασίου",
            "birth_date": "1970-05-05",
            "municipality_code": OICHALIA,
            "site": "MU-KALAMATA",
        },
        WORKER,
    )
    beneficiary = answer["stream"].split("-", 1)[1]
    version = cluster.intake.record_contact(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary,
            "expected_version": 0,
            "occurred_on": TODAY.isoformat(),
            "channel": "mobile_unit_visit",
            "site": "MU-KALAMATA",
            "municipality_code": OICHALIA,
            "staff_id": "kalamata.social1",
        },
        WORKER,
    )["version"]
    if consent_to:
        cluster.intake.record_consent(
            {
                "command_id": str(uuid.uuid4()),
                "beneficiary_id": beneficiary,
                "expected_version": version,
                "recipient": consent_to,
                "purpose": "παραπομπή για εργασία",
                "given_on": TODAY.isoformat(),
            },
            WORKER,
        )
    return beneficiary


def employment_office(cluster) -> dict:
    (office,) = cluster.referrals.propose_recipients("employment", OICHALIA, [], 56)
    return office


def request(
    referral: Referral, office: dict, shares: bool = True, requested_on: date = TODAY, **more
) -> dict:
    return referral(
        "request_referral",
        from_site="MU-KALAMATA",
        need="employment",
        recipient_kind=office["recipient_kind"],
        recipient_id=office["recipient_id"],
        recipient_name=office["name"],
        shares_personal_data=shares,
        requested_on=requested_on.isoformat(),
        by="kalamata.social1",
        **more,
    )


def test_a_referral_from_the_mobile_unit_in_oichalia_is_followed_to_its_outcome(cluster):
    office = employment_office(cluster)
    assert office["name"].startswith("ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης Καλαμάτας")
    beneficiary = met_in_oichalia(cluster, consent_to=office["recipient_id"])
    referral = Referral(cluster, beneficiary)
    request(referral, office, notes="μακροχρόνια άνεργος, οδηγός")
    referral("send_referral", sent_on=TODAY.isoformat(), by="kalamata.social1")
    (waiting,) = cluster.referrals.open_referrals(office["recipient_id"])
    assert (
        waiting["state"] == "sent" and waiting["due_on"] == (TODAY + timedelta(days=10)).isoformat()
    )
    referral(
        "acknowledge_referral", DYPA_OFFICER, received_on=TODAY.isoformat(), by="dypa.kalamata"
    )
    referral("accept_referral", DYPA_OFFICER, accepted_on=TODAY.isoformat(), by="dypa.kalamata")
    referral(
        "complete_referral",
        DYPA_OFFICER,
        completed_on=TODAY.isoformat(),
        by="dypa.kalamata",
        outcome="service_given",
    )

    assert cluster.referrals.open_referrals(office["recipient_id"]) == []
    (done,) = cluster.referrals.referrals_of([beneficiary])
    assert (
        done["state"] == "completed"
        and done["outcome"] == "service_given"
        and done["first_response_on"]
    )
    steps = [(s["type"], s["actor"]) for s in done["steps"]]
    assert steps == [
        ("ReferralRequested", "kalamata.social1"),
        ("ReferralSent", "kalamata.social1"),
        ("ReferralReceived", "dypa.kalamata"),
        ("ReferralAccepted", "dypa.kalamata"),
        ("ReferralCompleted", "dypa.kalamata"),
    ]
    assert (
        done["steps"][0]["personal"]["notes"] == "μακροχρόνια άνεργος, οδηγός"
    )  # sealed, readable until erased
    assert cluster.referrals.response_times("MU-KALAMATA")["median_days_to_outcome"] == 0

    cluster.registries.erase_personal_data(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary,
            "reason": "αίτημα διαγραφής",
            "requested_by": "dpo",
        },
        DYPA_OFFICER,
    )
    (kept,) = cluster.referrals.referrals_of([beneficiary])  # what statistics need stays...
    assert kept["outcome"] == "service_given" and kept["recipient_id"] == office["recipient_id"]
    assert (
        kept["steps"][0]["personal"] is None and kept["steps"][0]["erased"]
    )  # ...the notes are gone


def test_a_referral_sharing_personal_data_without_consent_is_refused(cluster):
    office = employment_office(cluster)
    referral = Referral(cluster, met_in_oichalia(cluster))
    with pytest.raises(CommandRejected) as raised:
        request(referral, office)
    assert raised.value.code == "rule_violated" and raised.value.details["field"] == "recipient_id"
    assert (
        request(referral, office, shares=False)["version"] == 1
    )  # without personal data it may go


def test_an_unanswered_referral_expires_on_schedule(cluster):
    office = employment_office(cluster)
    referral = Referral(cluster, met_in_oichalia(cluster))
    long_ago = TODAY - timedelta(days=30)  # recorded offline by the mobile unit, synced late
    request(referral, office, shares=False, requested_on=long_ago)
    referral("send_referral", sent_on=long_ago.isoformat(), by="kalamata.social1")
    eventually(
        lambda: cluster.referrals.referrals_of([referral.beneficiary_id])[0]["state"] == "expired",
        15,
        0.3,
        what="the expiry check to run",
    )
    (expired,) = cluster.referrals.referrals_of([referral.beneficiary_id])
    # the day the check ran: TODAY is the day the suite started, and a run may cross midnight
    # in Greece (CI failed so at 00:15, 2026-12-05)
    ran_on = {TODAY.isoformat(), today_in_greece().isoformat()}
    assert expired["steps"][-1]["type"] == "ReferralExpired" and expired["closed_on"] in ran_on
    with pytest.raises(
        CommandRejected
    ) as raised:  # an answer after expiry is refused, naming the state
        referral(
            "acknowledge_referral", DYPA_OFFICER, received_on=TODAY.isoformat(), by="dypa.kalamata"
        )
    assert raised.value.code == "conflict" and raised.value.details["current_state"] == "expired"


def test_a_rejection_without_a_reason_is_refused(cluster):
    office = employment_office(cluster)
    referral = Referral(cluster, met_in_oichalia(cluster))
    request(referral, office, shares=False)
    referral("send_referral", sent_on=TODAY.isoformat(), by="kalamata.social1")
    referral(
        "acknowledge_referral", DYPA_OFFICER, received_on=TODAY.isoformat(), by="dypa.kalamata"
    )
    with pytest.raises(CommandRejected) as raised:
        referral(
            "reject_referral",
            DYPA_OFFICER,
            rejected_on=TODAY.isoformat(),
            by="dypa.kalamata",
            reason="",
        )
    assert raised.value.code == "invalid" and "reason" in raised.value.details
    referral(
        "reject_referral",
        DYPA_OFFICER,
        rejected_on=TODAY.isoformat(),
        by="dypa.kalamata",
        reason="εκτός ηλικιακών ορίων",
    )
    assert cluster.referrals.referrals_of([referral.beneficiary_id])[0]["state"] == "rejected"


def test_a_duplicate_command_changes_nothing(cluster):
    office = employment_office(cluster)
    referral = Referral(cluster, met_in_oichalia(cluster))
    first = request(referral, office, shares=False, command_id="request-once-1")
    referral.version = 0
    again = request(referral, office, shares=False, command_id="request-once-1")
    assert again["duplicate"] and again["version"] == first["version"] == 1
    assert cluster.referrals.last_position() == first["events"][0]["position"]


def test_a_step_out_of_order_is_refused_naming_the_current_state(cluster):
    referral = Referral(cluster, met_in_oichalia(cluster))
    request(referral, employment_office(cluster), shares=False)
    with pytest.raises(CommandRejected) as raised:
        referral("accept_referral", DYPA_OFFICER, accepted_on=TODAY.isoformat(), by="dypa.kalamata")
    assert raised.value.code == "conflict" and raised.value.details["current_state"] == "requested"


def test_a_referral_to_another_centre_warns_that_the_person_may_be_registered_there(cluster):
    beneficiary = met_in_oichalia(cluster, consent_to="KK-SPARTI")
    cluster.registries.register_beneficiary(  # the same person, as Sparti's mobile unit once wrote them
        {
            "command_id": str(uuid.uuid4()),
            "given_name": "Nikos",
            "family_name": "Athanasiou",
            "birth_date": "1970-05-05",
            "municipality_code": "9251",
            "site": "MU-SPARTI",
        },
        {"actor": "sparti.social1", "site": "MU-SPARTI"},
    )
    referral = Referral(cluster, beneficiary)
    answer = request(
        referral,
        {
            "recipient_kind": "centre",
            "recipient_id": "KK-SPARTI",
            "name": "Διευρυμένο Κέντρο Κοινότητας Σπάρτη",
        },
    )
    (warning,) = answer["warnings"]
    assert warning["registered_at"] == "MU-SPARTI" and warning["score"] == 0.9


def test_a_closed_case_withdraws_open_referrals_and_withdrawn_consent_stops_sharing(
    cluster, platform_settings
):
    office = employment_office(cluster)
    closing = Referral(cluster, met_in_oichalia(cluster, consent_to=office["recipient_id"]))
    request(closing, office)
    sharing = Referral(cluster, met_in_oichalia(cluster, consent_to=office["recipient_id"]))
    request(sharing, office)
    sharing("send_referral", sent_on=TODAY.isoformat(), by="kalamata.social1")

    case_version = len(cluster.intake.read_stream(f"case-{closing.beneficiary_id}", 1, 10))
    cluster.intake.close_case(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": closing.beneficiary_id,
            "expected_version": case_version,
            "closed_on": TODAY.isoformat(),
            "reason": "μετακόμισε εκτός περιφέρειας",
        },
        WORKER,
    )
    case_version = len(cluster.intake.read_stream(f"case-{sharing.beneficiary_id}", 1, 10))
    cluster.intake.withdraw_consent(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": sharing.beneficiary_id,
            "expected_version": case_version,
            "recipient": office["recipient_id"],
            "withdrawn_on": TODAY.isoformat(),
        },
        WORKER,
    )

    projection = ReferralReactions(platform_settings)
    db = open_read_model(
        platform_settings, platform_settings.schema("referrals_reactions"), projection
    )
    consumer = Consumer(projection, db, RpcEventSource(platform_settings.amqp_uri))
    try:
        consumer.catch_up("intake")
        before = cluster.referrals.last_position()
        consumer.rebuild()  # every intake event again: the reactions' command ids make it change nothing
        assert cluster.referrals.last_position() == before
    finally:
        consumer.source.close()
        db.close()
    (withdrawn,) = cluster.referrals.referrals_of([closing.beneficiary_id])
    assert (
        withdrawn["state"] == "withdrawn"
        and withdrawn["steps"][-1]["personal"]["reason"] == "the case was closed"
    )
    (stopped,) = cluster.referrals.referrals_of([sharing.beneficiary_id])
    assert stopped["state"] == "sent" and stopped["sharing_stopped"]


def test_a_case_moving_from_the_mobile_unit_to_another_centre_warns_the_receiving_centre(cluster):
    beneficiary = met_in_oichalia(cluster)
    cluster.registries.register_beneficiary(
        {
            "command_id": str(uuid.uuid4()),
            "given_name": "ΝΙΚΟΣ",
            "family_name": "ΑΘΑΝΑΣΙΟΥ",
            "birth_date": "1970-05-05",
            "municipality_code": "9241",
            "site": "KK-TRIPOLI",
        },
        {"actor": "tripoli.social1", "site": "KK-TRIPOLI"},
    )
    version = len(cluster.intake.read_stream(f"case-{beneficiary}", 1, 10))
    answer = cluster.intake.transfer_case(
        {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary,
            "expected_version": version,
            "to_site": "KK-TRIPOLI",
            "transferred_on": TODAY.isoformat(),
            "reason": "μετακόμισε",
        },
        WORKER,
    )
    assert [w["registered_at"] for w in answer["warnings"]] == ["KK-TRIPOLI"]


def test_the_view_keeps_recipients_by_code_and_answers_with_their_names_read_now(
    cluster, admin_url, platform_config
):
    import psycopg2

    office = employment_office(cluster)
    beneficiary = met_in_oichalia(cluster, consent_to=office["recipient_id"])
    to_office = Referral(cluster, beneficiary)
    request(to_office, {**office, "name": "ΔΥΠΑ όπως την έγραψε ο λειτουργός"})
    to_centre = Referral(cluster, beneficiary)
    centre = {"recipient_kind": "centre", "recipient_id": "KK-SPARTI", "name": "ΚΚ Σπάρτης"}
    request(to_centre, centre, shares=False)
    names = {
        r["recipient_id"]: r["recipient_name"]
        for r in cluster.referrals.referrals_of([beneficiary])
    }
    assert names == {office["recipient_id"]: office["name"], "KK-SPARTI": "ΚΚ Σπάρτης"}
    (one,) = cluster.referrals.open_referrals(office["recipient_id"])
    assert one["recipient_name"] == office["name"]  # the directory's, not what was typed
    conn = psycopg2.connect(admin_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s"
                " AND table_name = 'referral_view'",
                (platform_config["KENTRA_SCHEMA_PREFIX"] + "referrals",),
            )
            columns = {c for (c,) in cur.fetchall()}
    finally:
        conn.close()
    assert "recipient_id" in columns and "recipient_name" not in columns
