"""Access facts for many people at once (issue 17): a search asks each service once for all its
hits, so its calls and the statements they run do not grow with the hits; and intake's facts,
now read from tables kept in the append's transaction, still hold from the very next request
after a withdrawal or a transfer, even to a caller who keeps asking while it is recorded."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections import Counter

import pytest

from services.common.db import Database
from services.portal_gateway.entrypoints.service import PortalGateway
from tests.e2e.gateway_platform import GatewayPlatform
from tests.support.clock import today_in_greece

TODAY = today_in_greece().isoformat()


class CountedService:
    """A service's RPC proxy whose calls are counted (the gateway's own port, wrapped)."""

    def __init__(self, proxy, calls: Counter, service: str):
        self._proxy, self._calls, self._service = proxy, calls, service

    def __getattr__(self, name: str):
        method, calls, key = getattr(self._proxy, name), self._calls, f"{self._service}.{name}"

        def call(*args, **kwargs):
            calls[key] += 1
            return method(*args, **kwargs)

        def call_async(*args, **kwargs):
            calls[key] += 1
            return method.call_async(*args, **kwargs)

        call.call_async = call_async
        return call


class CountingCursor:
    """A cursor whose statements are counted by the schema of the pool it came from."""

    def __init__(self, cursor, statements: Counter, schema: str):
        self._cursor, self._statements, self._schema = cursor, statements, schema

    def execute(self, *args, **kwargs):
        self._statements[self._schema] += 1
        return self._cursor.execute(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._cursor, name)


@pytest.fixture
def counted(gateway, monkeypatch):
    """Every RPC the gateway's API makes to the three services, and every SQL statement any
    service of the platform runs, counted from here on."""
    calls, statements = Counter(), Counter()
    backends = PortalGateway.backends
    transaction, statement = Database.transaction, Database.statement

    def counted_backends(self):
        found = backends(self)
        for service in ("registries", "intake", "referrals"):
            setattr(found, service, CountedService(getattr(found, service), calls, service))
        return found

    @contextlib.contextmanager
    def counted_transaction(self):
        with transaction(self) as cur:
            yield CountingCursor(cur, statements, self.schema)

    @contextlib.contextmanager
    def counted_statement(self):
        with statement(self) as cur:
            yield CountingCursor(cur, statements, self.schema)

    monkeypatch.setattr(PortalGateway, "backends", counted_backends)
    monkeypatch.setattr(Database, "transaction", counted_transaction)
    monkeypatch.setattr(Database, "statement", counted_statement)
    return calls, statements


def registered(gateway: GatewayPlatform, family_name: str, how_many: int) -> None:
    for n in range(how_many):
        gateway.register_only(
            "kalamata.worker",
            "MU-KALAMATA",
            family_name=family_name,
            birth_date=f"19{50 + n}-01-01",
        )


def cost_of_search(gateway: GatewayPlatform, counted, words: str, hits: int) -> tuple[dict, dict]:
    """The calls and statements of one search (the least of three: a timer of the platform may
    run a statement of its own meanwhile)."""
    calls, statements = counted
    worker, measured = gateway.client("kalamata.worker"), []
    for _ in range(3):
        calls.clear()
        statements.clear()
        assert worker.search(words).json()["count"] == hits
        measured.append((dict(calls), dict(statements)))
    return min(measured, key=lambda m: sum(m[1].values()))


def schema(gateway: GatewayPlatform, service: str) -> str:
    return gateway.settings.schema(service)


def test_a_search_makes_the_same_calls_and_statements_for_5_hits_as_for_40(gateway, counted):
    registered(gateway, "Αλεξίου", 5)
    registered(gateway, "Βλάχου", 40)
    few_calls, few = cost_of_search(gateway, counted, "Αλεξίου", 5)
    many_calls, many = cost_of_search(gateway, counted, "Βλάχου", 40)
    assert few_calls == many_calls
    assert few_calls == {
        "registries.search": 1,
        "registries.person_access_facts_many": 1,
        "intake.access_facts_many": 1,
        "referrals.sharing_referrals_many": 1,
        "registries.beneficiaries": 1,
        "registries.network": 1,
    }
    for service in ("intake", "referrals"):
        assert few[schema(gateway, service)] == many[schema(gateway, service)], service
    # what still grows, inside those calls: the registry opens each visible hit's registration
    # (its name orders the rows), a read of the record's first event and its key, since the
    # store reads one stream at a time; and the gateway audits each row shown, one append each
    # (20 on a page: 5 rows against 20)
    grows = many[schema(gateway, "registries")] - few[schema(gateway, "registries")]
    assert grows <= 3 * (40 - 5)
    audited = many[schema(gateway, "portal_gateway")] - few[schema(gateway, "portal_gateway")]
    assert audited % (20 - 5) == 0


def consent(recipient: str) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "recipient": recipient,
        "purpose": "παραπομπή",
        "given_on": TODAY,
    }


def searches_around(gateway: GatewayPlatform, username: str, words: str, change):
    """An attacker asking again and again while `change` (which answers the change's own
    response) is made: what each search found, split by whether it was sent before the change
    was answered or after."""
    client, answers, stop = gateway.client(username), [], threading.Event()

    def ask():
        while not stop.is_set():
            sent = time.monotonic()
            found = client.search(words).json()["results"]
            answers.append((sent, [r["beneficiary_id"] for r in found]))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    time.sleep(0.5)
    answer = change()
    changed = time.monotonic()
    assert answer.status_code == 200, answer.text
    time.sleep(0.5)
    stop.set()
    thread.join(10)
    before = [found for sent, found in answers if sent < changed]
    after = [found for sent, found in answers if sent > changed]
    return before, after


def test_a_withdrawn_consent_hides_the_person_from_every_search_sent_after_it(gateway):
    """Kalamata sees a Sparti person while a referral to it shares their data under their
    consent; from the moment the withdrawal is answered, no search of Kalamata's finds them."""
    beneficiary = gateway.register_only("sparti.worker", "KK-SPARTI", family_name="Γιαννάκου")
    sparti = gateway.client("sparti.worker")
    given = sparti.post(f"/beneficiaries/{beneficiary}/consents", consent("KK-KALAMATA"))
    assert given.status_code == 200, given.text
    referral = {
        "command_id": str(uuid.uuid4()),
        "referral_id": str(uuid.uuid4()),
        "beneficiary_id": beneficiary,
        "expected_version": 0,
        "from_site": "KK-SPARTI",
        "need": "employment",
        "recipient_kind": "centre",
        "recipient_id": "KK-KALAMATA",
        "recipient_name": "Κέντρο Κοινότητας Καλαμάτας",
        "shares_personal_data": True,
        "requested_on": TODAY,
    }
    assert sparti.post("/referrals", referral).status_code == 201
    withdrawal = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 1,
        "recipient": "KK-KALAMATA",
        "withdrawn_on": TODAY,
    }
    before, after = searches_around(
        gateway,
        "kalamata.worker",
        "Γιαννάκου",
        lambda: sparti.post(f"/beneficiaries/{beneficiary}/consent-withdrawals", withdrawal),
    )
    assert before and before[0] == [beneficiary]  # it was shared
    assert after and all(found == [] for found in after)
    kalamata = gateway.client("kalamata.worker")
    assert kalamata.get(f"/beneficiaries/{beneficiary}").status_code == 404


def test_a_transfer_shows_the_person_to_the_receiving_centre_from_the_next_search(gateway):
    beneficiary = gateway.register_only("sparti.worker", "KK-SPARTI", family_name="Δημάκου")
    sparti = gateway.client("sparti.worker")
    transfer = {
        "command_id": str(uuid.uuid4()),
        "expected_version": 0,
        "to_site": "KK-KALAMATA",
        "reason": "μετακόμισε",
        "transferred_on": TODAY,
    }
    before, after = searches_around(
        gateway,
        "kalamata.worker",
        "Δημάκου",
        lambda: sparti.post(f"/beneficiaries/{beneficiary}/case-transfers", transfer),
    )
    assert before and before[0] == []  # another network's person
    assert after and all(found == [beneficiary] for found in after)


def contact(site: str, version: int) -> dict:
    return {
        "command_id": str(uuid.uuid4()),
        "expected_version": version,
        "occurred_on": TODAY,
        "channel": "centre",
        "site": site,
        "municipality_code": "9254" if site == "KK-KALAMATA" else "9264",
        "staff_id": "kalamata.worker" if site == "KK-KALAMATA" else "sparti.worker",
    }


def test_a_command_on_a_case_its_network_met_asks_intake_alone_and_no_other_network_can(
    gateway, counted
):
    """Intake decides from its own facts, in the command's call, that the case was met in the
    caller's network; the three facts RPCs are asked only when it was not (a new case, another
    network's): there the policy decides as before, refuses and audits."""
    calls, _ = counted
    beneficiary = gateway.register_only("kalamata.worker", "KK-KALAMATA", family_name="Ρήγα")
    kalamata = gateway.client("kalamata.worker")
    first = kalamata.post(f"/beneficiaries/{beneficiary}/contacts", contact("KK-KALAMATA", 0))
    assert first.status_code == 200, first.text
    assert calls["registries.person_access_facts_many"] == 1  # a case not met yet: every fact
    calls.clear()
    second = kalamata.post(f"/beneficiaries/{beneficiary}/contacts", contact("KK-KALAMATA", 1))
    assert second.status_code == 200, second.text
    assert dict(calls) == {"intake.record_contact": 1}

    calls.clear()
    sparti = gateway.client("sparti.worker")
    refused = sparti.post(f"/beneficiaries/{beneficiary}/contacts", contact("KK-SPARTI", 2))
    assert refused.status_code == 404, refused.text
    assert calls["intake.record_contact"] == 1  # only the call intake left unsettled
    assert calls["registries.person_access_facts_many"] == 1
    assert kalamata.get(f"/beneficiaries/{beneficiary}").json()["case"]["version"] == 2
