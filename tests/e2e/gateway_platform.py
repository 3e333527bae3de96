"""A running platform for the gateway's tests: every nameko service in this process, the demo
network and directory, one account per role, and the timeline and daily register brought up to
date on demand (the backbone consumers' catch-up, over real RPC)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.consumer import Consumer
from services.common.consumer.setup import personal_opener
from services.common.consumer.sources import RpcEventSource
from services.common.db import Database
from services.common.eventstore.setup import service_database
from services.common.transport import nameko_config
from services.portal_gateway import bootstrap as gateway
from services.portal_gateway.adapters.accounts import Accounts
from services.portal_gateway.adapters.publishers import Publishers
from services.reporting import bootstrap as reporting
from tests.support.clock import today_in_greece

PASSWORD = "σωστό-συνθηματικό-1"
DYPA_KALAMATA = "3b869f7f-791a-570a-80d9-123275cd65cc"  # the demo directory's employment office
USERS = {  # username -> (role, site, agency)
    "kalamata.worker": ("case_worker", "MU-KALAMATA", None),
    "kalamata.head": ("head_of_centre", "KK-KALAMATA", None),
    "sparti.worker": ("case_worker", "KK-SPARTI", None),
    "sparti.head": ("head_of_centre", "KK-SPARTI", None),
    "dypa.officer": ("agency_officer", None, DYPA_KALAMATA),
    "coordinator": ("regional_coordinator", None, None),
    "dpo": ("dpo", None, None),
    "ops": ("ops", None, None),
}


def staff_members() -> list[dict]:
    """The staff accounts as the network registry knows them (intake refuses a contact or a
    service recorded under a staff id nobody in the site's network has)."""
    return [
        {
            "command_id": f"test-staff-{username}",
            "staff_id": username,
            "name": username.replace(".", " ").title(),
            "role": "social_worker",
            "site": site,
            "since": "2024-01-01",
        }
        for username, (role, site, _) in USERS.items()
        if role in ("case_worker", "head_of_centre")
    ]


@dataclass
class Client:
    base: str
    token: str | None = None
    site: str | None = None
    # every exchange this client had, for a test that checks them against the OpenAPI document
    seen: list | None = None

    def call(
        self,
        method: str,
        path: str,
        body=None,
        raw: bytes | None = None,
        headers: dict | None = None,
        **query,
    ) -> requests.Response:
        headers = {
            **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            **(headers or {}),
        }
        response = requests.request(
            method,
            f"{self.base}/api/v1{path}",
            json=body if raw is None else None,
            data=raw,
            params=query or None,
            headers=headers,
            timeout=30,
        )
        if self.seen is not None:
            self.seen.append(response)
        return response

    def get(self, path: str, **query) -> requests.Response:
        return self.call("GET", path, **query)

    def post(self, path: str, body=None, **kw) -> requests.Response:
        return self.call("POST", path, body, **kw)

    def search(self, q: str) -> requests.Response:
        """The beneficiary search: a POST, the words in the body (never in a URL)."""
        return self.post("/beneficiaries/search", {"q": q})


class GatewayPlatform:
    def __init__(self, settings, base: str, containers: dict | None = None):
        self.settings, self.base = settings, base
        self.responses: list[requests.Response] = []  # every answer any of its clients got
        self.containers = containers or {}  # nameko containers by service name
        db = service_database(settings, settings.schema("portal_gateway"), 2)
        self.accounts = Accounts(db)
        self.publishers = Publishers(db)
        # the administrative login, for a test that must move time or break a rule on purpose
        self.admin_db = Database(settings.database_url, settings.schema("portal_gateway"), 1)
        for username, (role, site, agency) in USERS.items():
            self.accounts.create(
                username, PASSWORD, role, username.replace(".", " ").title(), site, agency
            )

    def client(self, username: str | None = None) -> Client:
        client = Client(self.base, seen=self.responses)
        if username:
            answer = client.post("/auth/token", {"username": username, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            client.token = answer.json()["token"]
        return client

    def sql(self, statement: str, *values) -> list:
        """A statement in the gateway's schema; its rows, if it returns any."""
        with self.admin_db.transaction() as cur:
            cur.execute(statement, values)
            return cur.fetchall() if cur.description else []

    def catch_up(self) -> None:
        """What the timeline and reporting consumers do live, done now."""
        models = (
            (gateway.timeline(self.settings), gateway.open_timeline),
            (reporting.projection(self.settings), reporting.open_model),
        )
        for projection, open_model in models:
            db = open_model(self.settings)
            source = RpcEventSource(self.settings.amqp_uri)
            try:
                consumer = Consumer(
                    projection, db, source, opener=personal_opener(self.settings, projection)
                )
                for name in projection.sources:
                    consumer.catch_up(name)
            finally:
                source.close()
                db.close()

    def register(self, username: str, site: str, **person) -> str:
        """A registration, then every read model caught up with it."""
        beneficiary = self.register_only(username, site, **person)
        self.catch_up()
        return beneficiary

    def register_only(self, username: str, site: str, **person) -> str:
        """A registration and nothing else: no catch-up, so no read model knows the person yet."""
        body = {
            "command_id": str(uuid.uuid4()),
            "given_name": "Γεώργιος",
            "family_name": "Παπαδόπουλος",
            "birth_date": "1980-03-03",
            "municipality_code": "9256",
            "site": site,
            **person,
        }
        answer = self.client(username).post("/beneficiaries", body)
        assert answer.status_code == 201, answer.text
        return answer.json()["beneficiary_id"]

    def register_back_then(self, username: str, site: str, when: str, **person) -> str:
        """A registration that happened at `when`, told to the registry directly (as a migration
        of old paper files would): how a test puts people into a month that may already be
        released. A mobile unit's sync takes no moment older than its trip's window."""
        beneficiary = str(uuid.uuid4())
        body = {
            "command_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary,
            "given_name": "Γεώργιος",
            "family_name": "Παπαδόπουλος",
            "birth_date": "1980-03-03",
            "municipality_code": "9256",
            "site": site,
            **person,
        }
        context = {"actor": username, "site": USERS[username][1], "occurred_at": when}
        with ClusterRpcProxy(nameko_config(self.settings.amqp_uri)) as cluster:
            answer = cluster.registries.register_beneficiary(body, context)
        assert not answer["duplicate"], answer
        self.catch_up()
        return beneficiary


def offline_item(kind: str, beneficiary: str, base: int, fields: dict, **item) -> dict:
    """One command of a mobile unit's outbox, recorded a little while ago."""
    recorded = datetime.now(UTC) - timedelta(hours=1)
    return {
        "command_id": str(uuid.uuid4()),
        "kind": kind,
        "beneficiary_id": beneficiary,
        "base_version": base,
        "occurred_at": recorded.isoformat(),
        "fields": fields,
        **item,
    }


def referral_to_dypa(beneficiary: str, referral: str, **fields) -> dict:
    """A case worker of the Kalamata mobile unit refers a person to ΔΥΠΑ Καλαμάτας for work
    (POST /referrals), sharing nothing personal, today."""
    return {
        "command_id": str(uuid.uuid4()),
        "referral_id": referral,
        "beneficiary_id": beneficiary,
        "expected_version": 0,
        "from_site": "MU-KALAMATA",
        "need": "employment",
        "recipient_kind": "agency",
        "recipient_id": DYPA_KALAMATA,
        "recipient_name": "ΔΥΠΑ",
        "shares_personal_data": False,
        "requested_on": today_in_greece().isoformat(),
        **fields,
    }


def municipal_event(beneficiary: str, **envelope) -> dict:
    """A municipal system's ServiceDelivered for a person, as KK-KALAMATA's publisher sends it."""
    return {
        "event_id": str(uuid.uuid4()),
        "type": "ServiceDelivered",
        "schema_version": 1,
        "occurred_at": "2026-11-20T09:00:00+02:00",
        "data": {
            "beneficiary_id": beneficiary,
            "occurred_on": today_in_greece().isoformat(),
            "service": "goods_distributed",
            "site": "KK-KALAMATA",
            "staff_id": "dimos.kalamatas",
        },
        **envelope,
    }
