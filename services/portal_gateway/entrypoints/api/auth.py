"""Logging in: a username and password for a signed, expiring token."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts.base import StrictSchema
from services.portal_gateway.entrypoints.api.framework import Call, Routes

api = Routes()


class Login(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


@api.route(
    "POST", "/auth/token", "Log in: a bearer token for 8 hours", body=Login, auth="none", tag="auth"
)
def token(call: Call):
    return call.backends.accounts.login(call.body["username"], call.body["password"])
