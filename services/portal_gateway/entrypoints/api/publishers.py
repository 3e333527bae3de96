"""Municipal publishers and their API keys, kept by the coordinator or ops: a publisher (its broker
user's name and the centre it publishes for) is registered, deactivated or activated again; a key
is issued (shown once: only its digest is kept) and revoked. Every change is recorded with who
made it (adapters/publishers.py)."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from services.portal_gateway.adapters.publishers import NoSuchPublisher, PublisherConflict
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()
TAG = "municipal systems"
# a broker user's name: what RabbitMQ and the X-API-Key's publisher both know it by
NAME = validate.Regexp(r"^[a-z0-9][a-z0-9._-]{1,62}$", error="lowercase letters, digits, . _ -")


class PublisherBody(StrictSchema):
    name = fields.String(
        required=True,
        validate=NAME,
        metadata={"description": "its broker user (AMQP user_id), e.g. dimos-kalamatas"},
    )
    site = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "the community centre it publishes for, e.g. KK-KALAMATA"},
    )


class ActiveBody(StrictSchema):
    active = fields.Boolean(required=True)


@api.route(
    "GET",
    "/municipal-publishers",
    "Municipal publishers and their API keys (ids, who issued or revoked them, when; never a key)",
    tag=TAG,
    allow=access.manage_publishers,
    answers=api_contract.Publishers,
)
def listed(call: Call):
    return {"publishers": call.backends.publishers.listed()}


@api.route(
    "POST",
    "/municipal-publishers",
    "Register a municipal publisher for a community centre (the coordinator, ops)",
    body=PublisherBody,
    tag=TAG,
    allow=access.manage_publishers,
    answers=api_contract.PublisherRegistered,
    created=True,
    refuses=(409,),
)
def register(call: Call):
    name, site = call.body["name"], call.body["site"]
    centres = {
        s["site"] for s in call.backends.registries.network()["sites"] if s["kind"] == "centre"
    }
    if site not in centres:
        raise ApiError(422, "site: not a community centre of the network", {"site": ["unknown"]})
    try:
        created = call.backends.publishers.register(name, site, call.principal.username)
    except PublisherConflict:
        raise ApiError(409, "name: registered already for another centre") from None
    return {"name": name, "site": site, "created": created}


@api.route(
    "POST",
    "/municipal-publishers/<name>/active",
    "Deactivate a publisher (its keys and its broker user's events are refused at once) or"
    " activate it again",
    body=ActiveBody,
    tag=TAG,
    allow=access.manage_publishers,
    answers=api_contract.PublisherActive,
)
def set_active(call: Call):
    try:
        call.backends.publishers.set_active(
            call.args["name"], call.body["active"], call.principal.username
        )
    except NoSuchPublisher:
        raise ApiError(404, "no such municipal publisher") from None
    return {"name": call.args["name"], "active": call.body["active"]}


@api.route(
    "POST",
    "/municipal-publishers/<name>/api-keys",
    "Issue an API key for a publisher: the key is in this answer only (its digest is kept)",
    tag=TAG,
    allow=access.manage_publishers,
    answers=api_contract.IssuedKey,
    created=True,
)
def issue(call: Call):
    try:
        key_id, key = call.backends.publishers.issue_key(call.args["name"], call.principal.username)
    except NoSuchPublisher:
        raise ApiError(404, "no such municipal publisher") from None
    return {"publisher": call.args["name"], "key_id": key_id, "api_key": key}


@api.route(
    "POST",
    "/municipal-publishers/<name>/api-keys/<key_id>/revoke",
    "Revoke an API key: it is refused from its next request",
    tag=TAG,
    allow=access.manage_publishers,
    answers=api_contract.RevokedKey,
)
def revoke(call: Call):
    try:
        call.backends.publishers.revoke_key(
            call.args["name"], call.args["key_id"], call.principal.username
        )
    except NoSuchPublisher:
        raise ApiError(404, "no such active key of this publisher") from None
    return {"publisher": call.args["name"], "key_id": call.args["key_id"], "revoked": True}
