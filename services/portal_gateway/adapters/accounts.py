"""Accounts, passwords (argon2), signed expiring tokens (JWT) and municipal API keys."""

from __future__ import annotations

import hashlib
import secrets
import time

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from services.portal_gateway.domain.access import ROLES

TOKEN_SECONDS = 8 * 3600  # a working day
_hasher = PasswordHasher()


class Unauthenticated(Exception):
    pass


class Accounts:
    def __init__(self, db, token_secret: bytes):
        """`token_secret`: the installation's own (Settings.token_secret), never a constant."""
        self.db, self.token_secret = db, token_secret

    def create(
        self,
        username: str,
        password: str,
        role: str,
        display_name: str,
        site: str | None = None,
        agency_id: str | None = None,
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO account VALUES (%s, %s, %s, %s, %s, %s, true) ON CONFLICT (username) DO UPDATE"
                " SET password_hash = excluded.password_hash, role = excluded.role, site = excluded.site,"
                " agency_id = excluded.agency_id, display_name = excluded.display_name",
                (username, _hasher.hash(password), role, site, agency_id, display_name),
            )

    def login(self, username: str, password: str) -> dict:
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT password_hash, role, site, agency_id, display_name FROM account"
                " WHERE username = %s AND active",
                (username,),
            )
            row = cur.fetchone()
        try:
            if row is None:
                _hasher.hash(password)  # as slow as a real check: no telling which usernames exist
                raise VerificationError
            _hasher.verify(row[0], password)
        except VerificationError:
            raise Unauthenticated("wrong username or password") from None
        now = int(time.time())
        claims = {
            "sub": username,
            "role": row[1],
            "site": row[2],
            "agency_id": row[3],
            "name": row[4],
            "iat": now,
            "exp": now + TOKEN_SECONDS,
        }
        return {
            "token": jwt.encode(claims, self.token_secret, algorithm="HS256"),
            "expires_at": claims["exp"],
            "role": row[1],
            "site": row[2],
            "name": row[4],
        }

    def add_api_key(self, publisher: str, site: str) -> str:
        key = secrets.token_urlsafe(32)
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO api_key VALUES (%s, %s, %s, true)", (_digest(key), publisher, site)
            )
        return key

    def publisher(self, key: str) -> dict:
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT publisher, site FROM api_key WHERE key_digest = %s AND active",
                (_digest(key),),
            )
            row = cur.fetchone()
        if row is None:
            raise Unauthenticated("unknown API key")
        return {"publisher": row[0], "site": row[1]}


def verify_token(token: str, secret: bytes) -> dict:
    """The claims of a token this installation signed (HS256 only: the algorithm is pinned)."""
    try:
        return jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the token has expired: log in again") from None
    except jwt.InvalidTokenError:
        raise Unauthenticated("not a valid token") from None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
