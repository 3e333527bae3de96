"""Access tokens: short-lived JWTs (HS256, the installation's secret) that name a login session.
A token says only who and which session; what the account may do is read from the database on
every request, so a valid signature alone never opens anything."""

from __future__ import annotations

import time
import uuid

import jwt

from services.portal_gateway.domain.login import Unauthenticated

# Short, so a token copied from a screen or a log is soon worthless even before anyone ends its
# session; a client renews it (POST /auth/refresh, or any page of the portal) while it works.
ACCESS_TOKEN_SECONDS = 15 * 60


def issue_token(secret: bytes, username: str, session_id: str, not_after: int) -> dict:
    """A token for the session, expiring in 15 minutes or when the session ends, if sooner."""
    now = int(time.time())
    expires = min(now + ACCESS_TOKEN_SECONDS, not_after)
    claims = {"sub": username, "sid": session_id, "iat": now, "exp": expires}
    return {"token": jwt.encode(claims, secret, algorithm="HS256"), "expires_at": expires}


def verify_token(token: str, secret: bytes) -> dict:
    """The claims of a token this installation signed (HS256 only: the algorithm is pinned)."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "sub", "sid"]}
        )
        uuid.UUID(str(claims["sid"]))
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the token has expired: log in again") from None
    except (jwt.InvalidTokenError, ValueError):
        raise Unauthenticated("not a valid token") from None
    return claims
