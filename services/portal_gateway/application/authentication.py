"""Logging in and out, and whom a token speaks for. A login is throttled before its password is
checked, audited when it fails, and opens a session; a token is honoured only while its session is
open and its account active, with the role and site the account has at that moment."""

from __future__ import annotations

from services.portal_gateway.adapters.accounts import Account, Accounts
from services.portal_gateway.adapters.audit import Audit
from services.portal_gateway.adapters.login_attempts import LoginAttempts
from services.portal_gateway.adapters.sessions import SessionFacts, Sessions
from services.portal_gateway.adapters.tokens import issue_token, verify_token
from services.portal_gateway.domain import login, passwords
from services.portal_gateway.domain.login import Unauthenticated

WRONG = "wrong username or password"  # the same for every failure: no telling which it was


class Authentication:
    def __init__(
        self,
        accounts: Accounts,
        sessions: Sessions,
        attempts: LoginAttempts,
        audit: Audit,
        token_secret: bytes,
    ):
        self.accounts, self.sessions, self.attempts = accounts, sessions, attempts
        self.audit, self.token_secret = audit, token_secret

    def log_in(self, username: str, password: str, client: str) -> dict:
        account = self.check_password(username, password, client)
        session = self.sessions.open(account.username)
        return {
            **self._token(session),
            "session_ends_at": int(session.ends_at.timestamp()),
            "role": account.role,
            "site": account.site,
            "name": account.name,
        }

    def check_password(self, username: str, password: str, client: str) -> Account:
        """The active account whose password this is, or Throttled (unchecked) or Unauthenticated
        (audited). Every check counts against the account and the client until it succeeds."""
        key = self.attempts.account_key(username)
        attempt = self.attempts.begin(key, client, login.WINDOW_SECONDS)
        wait = login.retry_after(attempt.account_ages, attempt.client_ages)
        if wait:
            self.attempts.forget(attempt)  # not checked, so not a failure: the window still ends
            raise login.Throttled(wait)
        account, right = self.accounts.check_password(username, password)
        if account is None:
            self.audit.login_failed(None, key, client, "unknown_account", None)
            raise Unauthenticated(WRONG)
        if not right or not account.active:
            reason = "wrong_password" if not right else "inactive_account"
            self.audit.login_failed(account.username, key, client, reason, account.site)
            raise Unauthenticated(WRONG)
        self.attempts.forget(attempt)
        return account

    def who(self, token: str) -> SessionFacts:
        """Whom the token speaks for now: its session open, its account active, as they are."""
        claims = verify_token(token, self.token_secret)
        session = self.sessions.current(claims["sid"])
        if session is None or session.username != claims["sub"]:
            raise Unauthenticated("the session has ended: log in again")
        return session

    def renew(self, session_id: str) -> dict:
        """A fresh token for a session that is still open (never past its end)."""
        session = self.sessions.touch(session_id)
        if session is None:
            raise Unauthenticated("the session has ended: log in again")
        return self._token(session)

    def log_out(self, session_id: str) -> None:
        self.sessions.end(session_id, "logged out")

    def change_password(
        self, username: str, session_id: str | None, current: str, new: str, client: str
    ) -> None:
        """The account's own password, changed by its holder, who proves it with the current one
        (throttled like a login); every other session of the account ends."""
        account = self.accounts.find(username)
        if account is None:
            raise Unauthenticated(WRONG)
        passwords.check(new, (account.username, account.name))
        self.check_password(username, current, client)
        self.accounts.set_password(username, new, keep_session=session_id)

    def _token(self, session: SessionFacts) -> dict:
        return issue_token(
            self.token_secret,
            session.username,
            session.session_id,
            int(session.ends_at.timestamp()),
        )


def open_account(
    accounts: Accounts,
    username: str,
    password: str,
    role: str,
    name: str,
    site: str | None = None,
    agency_id: str | None = None,
) -> None:
    """A new account (or one set anew), its password held to the policy."""
    passwords.check(password, (username, name))
    accounts.create(username, password, role, name, site, agency_id)


def reset_password(accounts: Accounts, username: str, password: str) -> None:
    """A new password set by an administrator: every session of the account ends."""
    account = accounts.find(username)
    passwords.check(password, (username, account.name if account else ""))
    accounts.set_password(username, password)
