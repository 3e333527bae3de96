"""Password checks in flight and recent failures, per account and per client, in PostgreSQL: every
gateway instance counts the same ones, and PostgreSQL's clock is the one clock they share."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Attempt:
    id: int
    account_ages: list[float]  # seconds since each other attempt on this account, in the window
    client_ages: list[float]  # the same, from this client


class LoginAttempts:
    def __init__(self, db, secret: bytes):
        self.db, self.secret = db, secret

    def account_key(self, username: str) -> str:
        """The name as typed, keyed and hashed: an unknown name may be a password typed into the
        wrong box, so none is kept in clear; case does not give an attacker a fresh count."""
        text = f"login-account:{username.strip().casefold()}"
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()

    def begin(self, account: str, client: str, window: int) -> Attempt:
        """Record this attempt first (committed), then count the others. Counting what is already
        recorded, this one included, means a burst of parallel tries cannot all slip in under
        the limit: the nth to commit sees at least n."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM login_attempt WHERE at < now() - make_interval(secs => %s)", (window,)
            )  # older rows count for nothing: the table holds one window's worth
            cur.execute(
                "INSERT INTO login_attempt (account, client) VALUES (%s, %s) RETURNING id",
                (account, client),
            )
            (attempt_id,) = cur.fetchone()
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT account = %s, client = %s, extract(epoch FROM now() - at)::float8"
                " FROM login_attempt WHERE (account = %s OR client = %s) AND id <> %s",
                (account, client, account, client, attempt_id),
            )
            rows = cur.fetchall()
        return Attempt(
            attempt_id,
            [age for same_account, _, age in rows if same_account],
            [age for _, same_client, age in rows if same_client],  # on any account
        )

    def forget(self, attempt: Attempt) -> None:
        """Not a failure after all: the password was right, or it was never checked (throttled)."""
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM login_attempt WHERE id = %s", (attempt.id,))
