"""Every item of a sync answer has the one documented shape (contracts/api.py `Synced`): what
each status carries, and an error code of the API's, never a bare HTTP status."""

import pytest
from jsonschema import Draft202012Validator
from marshmallow import ValidationError

from contracts import api as api_contract
from services.portal_gateway.entrypoints.api.openapi import document

CHANGED = {
    "version": 2,
    "type": "ServiceDelivered",
    "occurred_at": "2026-12-04T09:00:00+02:00",
    "site": "KK-KALAMATA",
    "site_name": "Διευρυμένο Κέντρο Κοινότητας Καλαμάτας",
    "actor": "kalamata.head",
    "actor_name": "Υπεύθυνος Κέντρου Καλαμάτας",
    "fields": {"service": "information"},
}
GOOD = [
    {"command_id": "c-1", "status": "applied", "version": 3},
    {"command_id": "c-1", "status": "already_applied", "version": 3},
    {
        "command_id": "c-2",
        "status": "conflict",
        "version": 2,
        "code": "conflict",
        "error": "…",
        "current": [CHANGED],
    },
    {"command_id": "c-3", "status": "refused", "code": "not_found", "error": "…"},
]
BAD = [
    {"command_id": "c-1", "status": "applied"},  # no version to chain on
    {"command_id": "c-2", "status": "conflict", "version": 2, "code": "conflict", "error": "…"},
    {"command_id": "c-3", "status": "refused", "code": "403", "error": "…"},
    {"command_id": "c-3", "status": "refused", "code": "not_found"},  # no words
]


def documented(item: dict) -> list[str]:
    schema = document()["components"]["schemas"]["SyncResults"]
    return [e.message for e in Draft202012Validator(schema).iter_errors({"results": [item]})]


@pytest.mark.parametrize("item", GOOD)
def test_each_status_with_what_it_carries_is_documented(item):
    assert documented(item) == []
    api_contract.SyncResults().load({"results": [item]})


@pytest.mark.parametrize("item", BAD)
def test_an_item_missing_what_its_status_carries_or_with_a_bare_status_is_refused(item):
    assert documented(item) != []
    with pytest.raises(ValidationError):
        api_contract.SyncResults().load({"results": [item]})
