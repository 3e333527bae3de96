"""Logging in and out: a username and password for a short-lived token naming a session; renewing
it, ending the session, changing one's password; and, for the DPO, the failed logins."""

from __future__ import annotations

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from services.portal_gateway.domain import access
from services.portal_gateway.domain.login import Unauthenticated
from services.portal_gateway.domain.passwords import MAX_LENGTH, WeakPassword
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes
from services.portal_gateway.entrypoints.web.i18n import password_rules, translator

api = Routes()
TAG = "auth"


class Login(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=MAX_LENGTH))


class PasswordChange(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=MAX_LENGTH))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class FailedLoginsQuery(StrictSchema):
    username = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "the account; leave out for the names that are no account"},
    )


@api.route(
    "POST",
    "/auth/token",
    "Log in: a bearer token for 15 minutes, renewable within a working day",
    body=Login,
    auth="none",
    tag=TAG,
    throttled=True,
    answers=api_contract.LoggedIn,
)
def token(call: Call):
    return call.backends.authentication.log_in(
        call.body["username"], call.body["password"], call.client
    )


@api.route(
    "POST",
    "/auth/refresh",
    "A fresh token for the same session",
    tag=TAG,
    answers=api_contract.Token,
)
def refresh(call: Call):
    return call.backends.authentication.renew(call.principal.session_id)


@api.route(
    "POST",
    "/auth/logout",
    "End the session: its tokens stop working at once",
    tag=TAG,
    answers=api_contract.LoggedOut,
)
def logout(call: Call):
    call.backends.authentication.log_out(call.principal.session_id)
    return {"logged_out": True}


@api.route(
    "POST",
    "/auth/password",
    "Change your password (your other sessions end)",
    body=PasswordChange,
    tag=TAG,
    throttled=True,
    answers=api_contract.PasswordChanged,
)
def change_password(call: Call):
    t = translator(call.lang)
    try:
        call.backends.authentication.change_password(
            call.principal.username,
            call.principal.session_id,
            call.body["current_password"],
            call.body["new_password"],
            call.client,
        )
    except WeakPassword as exc:
        details = {"new_password": password_rules(t, exc.reasons)}
        raise ApiError(422, t("weak_password"), details) from None
    except Unauthenticated:  # the token is fine: a 401 would send the client to log in again
        raise ApiError(
            422, t("wrong_password"), {"current_password": [t("wrong_password")]}
        ) from None
    return {"changed": True}


@api.route(
    "GET",
    "/auth/failed-logins",
    "Failed logins on an account, or on names that are no account (DPO)",
    query=FailedLoginsQuery,
    tag=TAG,
    allow=access.read_audit,
    answers=api_contract.FailedLogins,
)
def failed_logins(call: Call):
    return {"failed_logins": call.backends.audit.failed_logins(call.query.get("username"))}
