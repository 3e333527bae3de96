"""A case's lifecycle through the real intake service (RPC in, events in its store)."""
from __future__ import annotations

import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common.rpc_commands import CommandRejected
from services.intake.entrypoints.service import IntakeService

CONTEXT = {"actor": "sw-kalamata-2", "site": "KK-KALAMATA"}


@pytest.fixture
def intake(running, platform_config):
    running(IntakeService)
    with ServiceRpcProxy("intake", platform_config) as proxy:
        yield proxy


class Case:
    """A client that remembers the version it last saw, as the portal does."""

    def __init__(self, intake):
        self.intake, self.id, self.version = intake, str(uuid.uuid4()), 0

    def __call__(self, method: str, **fields):
        answer = getattr(self.intake, method)({"command_id": str(uuid.uuid4()), "beneficiary_id": self.id,
                                               "expected_version": self.version, **fields}, CONTEXT)
        self.version = answer["version"]
        return answer


def contact(**overrides):
    return {"occurred_on": "2026-11-20", "channel": "centre", "site": "KK-KALAMATA", "municipality_code": "9254",
            "staff_id": "sw-kalamata-2", **overrides}


def test_a_closed_case_refuses_a_contact_until_it_is_reopened(intake):
    case = Case(intake)
    case("record_contact", **contact())
    case("close_case", closed_on="2026-11-21", reason="οι στόχοι επιτεύχθηκαν")
    with pytest.raises(CommandRejected) as raised:
        case("record_contact", **contact())
    assert raised.value.code == "rule_violated" and "closed" in raised.value.message

    case("reopen_case", reopened_on="2026-11-25", reason="επέστρεψε")
    case("record_service", occurred_on="2026-11-25", service="minimum_income_application", site="KK-KALAMATA",
         staff_id="sw-kalamata-2")
    types = [e["type"] for e in intake.read_stream(f"case-{case.id}", 1, 10)]
    assert types == ["ContactRecorded", "CaseClosed", "CaseReopened", "ServiceDelivered"]


def test_consent_and_its_withdrawal_are_recorded_and_a_transfer_says_where_from(intake):
    case = Case(intake)
    case("record_contact", **contact())
    case("record_consent", recipient="OAED-KALAMATA", purpose="παραπομπή για εργασία", given_on="2026-11-20")
    case("withdraw_consent", recipient="OAED-KALAMATA", withdrawn_on="2026-11-22")
    case("transfer_case", to_site="KK-SPARTI", transferred_on="2026-11-23", reason="μετακόμισε στη Σπάρτη")
    history = intake.read_stream(f"case-{case.id}", 1, 10)
    assert [e["type"] for e in history][1:] == ["ConsentRecorded", "ConsentWithdrawn", "CaseTransferred"]
    assert history[-1]["data"]["from_site"] == "KK-KALAMATA"
    assert history[-1]["personal"]["reason"] == "μετακόμισε στη Σπάρτη"  # free text is sealed, readable here


def test_a_stale_client_gets_a_conflict_with_the_current_version(intake):
    case = Case(intake)
    case("record_contact", **contact())
    case.version = 0  # a second worker still holding the old version
    with pytest.raises(CommandRejected) as raised:
        case("record_contact", **contact())
    assert raised.value.code == "conflict" and raised.value.details["current_version"] == 1


def test_an_unknown_service_type_is_refused_naming_the_field(intake):
    with pytest.raises(CommandRejected) as raised:
        Case(intake)("record_service", occurred_on="2026-11-25", service="carrier pigeon", site="KK-KALAMATA",
                     staff_id="sw-1")
    assert raised.value.code == "invalid" and "service" in raised.value.details
