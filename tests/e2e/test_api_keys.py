"""API keys of municipal systems, issued and revoked by the coordinator or ops through the API and
the portal (issue 14, point 3): a key is shown once, works, and stops at its revocation; no one
else may issue one; every change is recorded with who made it."""

from __future__ import annotations

import re
from datetime import datetime

from services.common.clock import GREECE
from tests.e2e.gateway_platform import GatewayPlatform, municipal_event
from tests.e2e.test_web_portal import browser

PUBLISHER = "dimos-kalamatas"


def ingest(gateway: GatewayPlatform, key: str, event: dict):
    return gateway.client().post("/ingest/events", {"events": [event]}, headers={"X-API-Key": key})


def test_a_key_is_shown_once_works_and_stops_when_revoked(gateway):
    coordinator = gateway.client("coordinator")
    registered = coordinator.post(
        "/municipal-publishers", {"name": PUBLISHER, "site": "KK-KALAMATA"}
    )
    assert registered.status_code == 201 and registered.json()["created"]
    issued = coordinator.post(f"/municipal-publishers/{PUBLISHER}/api-keys").json()
    key, key_id = issued["api_key"], issued["key_id"]
    listed = coordinator.get("/municipal-publishers").text
    assert key not in listed and key_id in listed  # the key itself is never shown again
    assert key not in str(gateway.sql("SELECT * FROM api_key"))  # only its digest is kept

    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    assert ingest(gateway, key, municipal_event(beneficiary)).json()["results"][0]["status"] == (
        "accepted"
    )
    revoked = coordinator.post(f"/municipal-publishers/{PUBLISHER}/api-keys/{key_id}/revoke")
    assert revoked.status_code == 200
    assert ingest(gateway, key, municipal_event(beneficiary)).status_code == 401
    (publisher,) = coordinator.get("/municipal-publishers").json()["publishers"]
    assert publisher["keys"][0]["revoked_by"] == "coordinator"
    changes = gateway.publishers.changes(PUBLISHER)
    assert [(c["actor"], c["action"]) for c in changes] == [
        ("coordinator", "registered"),
        ("coordinator", "key_issued"),
        ("coordinator", "key_revoked"),
    ]


def test_a_social_worker_cannot_issue_keys_nor_see_the_publishers(gateway):
    gateway.publishers.register(PUBLISHER, "KK-KALAMATA", "test")
    for username in ("kalamata.worker", "kalamata.head", "dpo"):
        client = gateway.client(username)
        assert client.post(f"/municipal-publishers/{PUBLISHER}/api-keys").status_code == 403
        assert client.get("/municipal-publishers").status_code == 403
        body = {"name": "dimos-allos", "site": "KK-KALAMATA"}
        assert client.post("/municipal-publishers", body).status_code == 403
    assert [c["action"] for c in gateway.publishers.changes(PUBLISHER)] == ["registered"]


def test_a_municipal_key_cannot_issue_itself_another(gateway):
    key = gateway.publishers.add_api_key(PUBLISHER, "KK-KALAMATA")
    answer = gateway.client().post(
        f"/municipal-publishers/{PUBLISHER}/api-keys", headers={"X-API-Key": key}
    )
    assert answer.status_code == 401


def test_a_publisher_is_registered_only_for_a_centre_of_the_network(gateway):
    coordinator = gateway.client("coordinator")
    for site in ("KK-ATLANTIS", "MU-KALAMATA"):
        answer = coordinator.post("/municipal-publishers", {"name": PUBLISHER, "site": site})
        assert answer.status_code == 422
    ok = coordinator.post("/municipal-publishers", {"name": PUBLISHER, "site": "KK-KALAMATA"})
    assert ok.status_code == 201
    moved = coordinator.post("/municipal-publishers", {"name": PUBLISHER, "site": "KK-SPARTI"})
    assert moved.status_code == 409  # a publisher never changes centre silently


def test_ops_issue_a_key_in_the_portal_and_see_it_once_in_greek(gateway):
    gateway.publishers.register(PUBLISHER, "KK-KALAMATA", "test")
    ops = browser(gateway, "ops")
    page = ops.post(f"{gateway.base}/municipal-publishers/{PUBLISHER}/api-keys", data={})
    assert page.status_code == 200 and "δεν θα εμφανιστεί ξανά" in page.text
    key = re.search(r'<code id="issued-key">([^<]+)</code>', page.text).group(1)
    assert key not in ops.get(f"{gateway.base}/municipal-publishers").text
    assert "Δημοτικά συστήματα" in ops.get(f"{gateway.base}/municipal-publishers").text
    refused = municipal_event("00000000-0000-4000-8000-000000000000")
    assert ingest(gateway, key, refused).json()["results"][0]["status"] == "rejected"
    listing = ops.get(f"{gateway.base}/municipal-events").text
    today = datetime.now(GREECE).strftime("%d/%m/%Y")
    assert "Απορριφθέντα δημοτικά συμβάντα" in listing and today in listing
    assert PUBLISHER in listing and "data/beneficiary_id" in listing
    worker = browser(gateway, "kalamata.worker")
    assert worker.get(f"{gateway.base}/municipal-events").status_code == 403
    assert "Δημοτικά συστήματα" not in worker.get(f"{gateway.base}/").text
