"""An audit event that cannot be stored fails the read it audits, and is counted for the alert
(kentra_audit_write_failures_total): nothing is shown unaudited, and nobody has to find it in a
log."""

from __future__ import annotations

import psycopg2
import pytest
from prometheus_client import REGISTRY

from services.common.eventstore.memory import InMemoryEventStore
from services.portal_gateway.adapters.audit import Audit
from services.portal_gateway.domain.access import Principal

PERSON = "6f1c1e8e-3a57-4a3c-9d59-3f8f9b7f2a10"
HEAD = Principal("kalamata.head", "head_of_centre", "KK-KALAMATA")


class StoreThatLostItsDatabase(InMemoryEventStore):
    def append(self, *args, **kwargs):
        raise psycopg2.OperationalError("server closed the connection unexpectedly")


def failures() -> float:
    return REGISTRY.get_sample_value("kentra_audit_write_failures_total") or 0.0


def test_a_read_whose_audit_cannot_be_written_fails_and_is_counted():
    before = failures()
    with pytest.raises(psycopg2.OperationalError):
        Audit(StoreThatLostItsDatabase()).record_viewed(HEAD, PERSON, ["identity"], None, False)
    with pytest.raises(psycopg2.OperationalError):
        Audit(StoreThatLostItsDatabase()).login_failed(
            "kalamata.head", "k", "10.0.0.1", "wrong_password", None
        )
    assert failures() == before + 2


def test_a_stored_audit_counts_nothing():
    before, store = failures(), InMemoryEventStore()
    Audit(store).record_viewed(HEAD, PERSON, ["identity"], None, False)
    assert failures() == before
    assert [v["viewer"] for v in Audit(store).who_saw(PERSON)] == ["kalamata.head"]
