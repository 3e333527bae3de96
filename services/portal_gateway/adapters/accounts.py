"""Accounts and their passwords (argon2); municipal publishers and their keys are in publishers.py.
Any change to who an account is (its password, role, site, agency, or whether it is active) ends
its sessions in the same transaction: the change holds from the next request."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from services.portal_gateway.adapters.sessions import end_sessions_of
from services.portal_gateway.domain.access import ROLES

_hasher = PasswordHasher()
_COLUMNS = "username, role, site, agency_id, display_name, active"  # an Account, in its order


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    site: str | None
    agency_id: str | None
    name: str
    active: bool


class Accounts:
    def __init__(self, db):
        self.db = db

    def create(
        self,
        username: str,
        password: str,
        role: str,
        display_name: str,
        site: str | None = None,
        agency_id: str | None = None,
    ) -> None:
        """A new account, or an existing one set anew (active again); its sessions end."""
        _known_role(role)
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO account VALUES (%s, %s, %s, %s, %s, %s, true) ON CONFLICT (username) DO UPDATE"
                " SET password_hash = excluded.password_hash, role = excluded.role, site = excluded.site,"
                " agency_id = excluded.agency_id, display_name = excluded.display_name, active = true",
                (username, _hasher.hash(password), role, site, agency_id, display_name),
            )
            end_sessions_of(cur, username, "account set anew")

    def find(self, username: str) -> Account | None:
        with self.db.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM account WHERE username = %s", (username,))
            row = cur.fetchone()
        return Account(*row) if row else None

    def display_names(self) -> dict[str, str]:
        """username -> the name pages show for it (staff outside the network registry: the
        coordinator, the DPO, ops, an agency's officers)."""
        with self.db.transaction() as cur:
            cur.execute("SELECT username, display_name FROM account")
            return dict(cur.fetchall())

    def check_password(self, username: str, password: str) -> tuple[Account | None, bool]:
        """The account named (active or not, None if there is none) and whether the password is
        its own. As slow without an account as with one: no telling which usernames exist."""
        with self.db.transaction() as cur:
            cur.execute(
                f"SELECT password_hash, {_COLUMNS} FROM account WHERE username = %s", (username,)
            )
            row = cur.fetchone()
        if row is None:
            _hasher.hash(password)
            return None, False
        try:
            return Account(*row[1:]), _hasher.verify(row[0], password)
        except VerificationError:
            return Account(*row[1:]), False

    def set_password(self, username: str, password: str, keep_session: str | None = None) -> None:
        """A new password; every session of the account ends but `keep_session` (the one that
        changed it)."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE account SET password_hash = %s WHERE username = %s",
                (_hasher.hash(password), username),
            )
            _found(cur, username)
            end_sessions_of(cur, username, "password changed", keep=keep_session)

    def change(self, username: str, role: str, site: str | None, agency_id: str | None) -> None:
        """Another role, site or agency: what the account could see before is no guide to now."""
        _known_role(role)
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE account SET role = %s, site = %s, agency_id = %s WHERE username = %s",
                (role, site, agency_id, username),
            )
            _found(cur, username)
            end_sessions_of(cur, username, "role, site or agency changed")

    def deactivate(self, username: str) -> None:
        with self.db.transaction() as cur:
            cur.execute("UPDATE account SET active = false WHERE username = %s", (username,))
            _found(cur, username)
            end_sessions_of(cur, username, "account deactivated")


class NoSuchAccount(LookupError):
    pass


def _known_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")


def _found(cur, username: str) -> None:
    if cur.rowcount == 0:
        raise NoSuchAccount(username)
