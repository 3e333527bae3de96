"""A case's lifecycle through the real intake service (RPC in, events in its store)."""

from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.rpc_commands import CommandRejected
from services.intake.entrypoints.service import IntakeService
from services.registries.entrypoints.service import RegistriesService

CONTEXT = {"actor": "sw-kalamata-2", "site": "KK-KALAMATA"}


@pytest.fixture
def intake(running, platform_config):
    running(
        IntakeService, RegistriesService
    )  # intake asks the registries (coverage, who may be there)
    with ServiceRpcProxy("intake", platform_config) as proxy:
        yield proxy


class Case:
    """A client that remembers the version it last saw, as the portal does."""

    def __init__(self, intake):
        self.intake, self.id, self.version = intake, str(uuid.uuid4()), 0

    def __call__(self, method: str, **fields):
        answer = getattr(self.intake, method)(
            {
                "command_id": str(uuid.uuid4()),
                "beneficiary_id": self.id,
                "expected_version": self.version,
                **fields,
            },
            CONTEXT,
        )
        self.version = answer["version"]
        return answer


def contact(**overrides):
    return {
        "occurred_on": "2026-11-20",
        "channel": "centre",
        "site": "KK-KALAMATA",
        "municipality_code": "9254",
        "staff_id": "sw-kalamata-2",
        **overrides,
    }


def test_a_closed_case_refuses_a_contact_until_it_is_reopened(intake):
    case = Case(intake)
    case("record_contact", **contact())
    case("close_case", closed_on="2026-11-21", reason="οι στόχοι επιτεύχθηκαν")
    with pytest.raises(CommandRejected) as raised:
        case("record_contact", **contact())
    assert raised.value.code == "rule_violated" and "closed" in raised.value.message

    case("reopen_case", reopened_on="2026-11-25", reason="επέστρεψε")
    case(
        "record_service",
        occurred_on="2026-11-25",
        service="minimum_income_application",
        site="KK-KALAMATA",
        staff_id="sw-kalamata-2",
    )
    types = [e["type"] for e in intake.read_stream(f"case-{case.id}", 1, 10)]
    assert types == ["ContactRecorded", "CaseClosed", "CaseReopened", "ServiceDelivered"]


def test_consent_and_its_withdrawal_are_recorded_and_a_transfer_says_where_from(intake):
    case = Case(intake)
    case("record_contact", **contact())
    case(
        "record_consent",
        recipient="OAED-KALAMATA",
        purpose="παραπομπή για εργασία",
        given_on="2026-11-20",
    )
    case("withdraw_consent", recipient="OAED-KALAMATA", withdrawn_on="2026-11-22")
    case(
        "transfer_case",
        to_site="KK-SPARTI",
        transferred_on="2026-11-23",
        reason="μετακόμισε στη Σπάρτη",
    )
    history = intake.read_stream(f"case-{case.id}", 1, 10)
    assert [e["type"] for e in history][1:] == [
        "ConsentRecorded",
        "ConsentWithdrawn",
        "CaseTransferred",
    ]
    assert history[-1]["data"]["from_site"] == "KK-KALAMATA"
    # free text is sealed: the backbone read hands it on sealed, never in clear
    assert history[-1]["sealed"] and "μετακόμισε" not in str(history[-1])


def test_a_stale_client_gets_a_conflict_with_the_current_version(intake):
    case = Case(intake)
    case("record_contact", **contact())
    case.version = 0  # a second worker still holding the old version
    with pytest.raises(CommandRejected) as raised:
        case("record_contact", **contact())
    assert raised.value.code == "conflict" and raised.value.details["current_version"] == 1


def test_an_unknown_service_type_is_refused_naming_the_field(intake):
    with pytest.raises(CommandRejected) as raised:
        Case(intake)(
            "record_service",
            occurred_on="2026-11-25",
            service="carrier pigeon",
            site="KK-KALAMATA",
            staff_id="sw-1",
        )
    assert raised.value.code == "invalid" and "service" in raised.value.details


def test_an_action_plan_is_followed_step_by_step_and_the_assessment_is_sealed(
    intake, platform_settings, admin_url
):
    import psycopg2

    case = Case(intake)
    case(
        "record_needs_assessment",
        assessed_on="2026-11-20",
        groups=["minimum_income", "roma"],
        needs=["στέγαση"],
        household_size=5,
        labour_status="long_term_unemployed",
        education="0-2",
        disability=False,
        citizenship="GR",
        foreign_background=False,
        housing="ακατάλληλη",
        rural=True,
    )
    plan = str(uuid.uuid4())
    case(
        "open_action_plan", plan_id=plan, opened_on="2026-11-20", goals="ένταξη στην αγορά εργασίας"
    )
    case(
        "add_action_step",
        plan_id=plan,
        step_id="cv",
        description="βιογραφικό σημείωμα",
        due_on="2026-12-01",
    )
    case("mark_step_done", plan_id=plan, step_id="cv", done_on="2026-11-28")
    with pytest.raises(CommandRejected) as raised:
        case("mark_step_done", plan_id=plan, step_id="interview", done_on="2026-11-28")
    assert raised.value.code == "rule_violated"

    conn = psycopg2.connect(admin_url)
    with conn.cursor() as cur:
        cur.execute(
            f'SELECT data::text FROM "{platform_settings.schema("intake")}".events WHERE type = %s',
            ("NeedsAssessed",),
        )
        (stored,) = cur.fetchone()
    conn.close()
    assert "roma" not in stored and "disability" not in stored  # special-category data only sealed


def test_an_assessment_naming_an_unknown_group_is_refused_naming_the_field(intake):
    with pytest.raises(CommandRejected) as raised:
        Case(intake)(
            "record_needs_assessment",
            assessed_on="2026-11-20",
            groups=["aliens"],
            needs=[],
            household_size=1,
            labour_status="inactive",
            education="3-4",
            disability=False,
            citizenship="GR",
            foreign_background=False,
            housing="ok",
            rural=False,
        )
    assert raised.value.code == "invalid" and "groups" in raised.value.details
