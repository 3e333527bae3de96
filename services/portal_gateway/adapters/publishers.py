"""Municipal publishers and their API keys: who may publish as a municipality, read at each event.

A publisher's name is its broker user (the AMQP `user_id` the broker vouches for) and the name its
API keys publish as; its site is the one centre it publishes for. A key is shown once when issued
and kept only as a SHA-256 digest (a random 256-bit key needs no slow hash: nothing to guess).
Every change is appended to `publisher_change` in its own transaction: who did what, when."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import psycopg2.errors

from services.portal_gateway.domain.login import Unauthenticated


@dataclass(frozen=True)
class Publisher:
    name: str
    site: str
    active: bool


class NoSuchPublisher(LookupError):
    pass


class PublisherConflict(ValueError):
    """A name already registered for another site: a publisher never changes centre silently."""


class Publishers:
    def __init__(self, db):
        self.db = db

    def register(self, name: str, site: str, actor: str) -> bool:
        """A new publisher (active); False if it was registered already for the same site."""
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO municipal_publisher (name, site) VALUES (%s, %s)"
                " ON CONFLICT (name) DO NOTHING",
                (name, site),
            )
            if cur.rowcount:
                _changed(cur, actor, name, "registered")
                return True
            cur.execute("SELECT site FROM municipal_publisher WHERE name = %s", (name,))
            if cur.fetchone()[0] != site:
                raise PublisherConflict(name)
            return False

    def set_active(self, name: str, active: bool, actor: str) -> None:
        """Deactivated: its keys and its broker user's events are refused from the next one."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE municipal_publisher SET active = %s, changed_at = now() WHERE name = %s",
                (active, name),
            )
            if cur.rowcount == 0:
                raise NoSuchPublisher(name)
            _changed(cur, actor, name, "activated" if active else "deactivated")

    def find(self, name: str) -> Publisher | None:
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT name, site, active FROM municipal_publisher WHERE name = %s", (name,)
            )
            row = cur.fetchone()
        return Publisher(*row) if row else None

    def listed(self) -> list[dict]:
        """Every publisher with its keys (never a key nor its digest: an id, who issued it, when)."""
        with self.db.transaction() as cur:
            cur.execute("SELECT name, site, active FROM municipal_publisher ORDER BY name")
            found = {n: {"name": n, "site": s, "active": a, "keys": []} for n, s, a in cur}
            cur.execute(
                "SELECT publisher, id, issued_at, issued_by, revoked_at, revoked_by FROM api_key"
                " ORDER BY issued_at"
            )
            for publisher, *key in cur.fetchall():
                found[publisher]["keys"].append(_key(*key))
        return list(found.values())

    def issue_key(self, name: str, actor: str) -> tuple[str, str]:
        """A new key for the publisher: its id and the key itself, which is never shown again."""
        key = secrets.token_urlsafe(32)
        try:
            with self.db.transaction() as cur:
                cur.execute(
                    "INSERT INTO api_key (key_digest, publisher, active, issued_by)"
                    " VALUES (%s, %s, true, %s) RETURNING id",
                    (_digest(key), name, actor),
                )
                key_id = cur.fetchone()[0]
                _changed(cur, actor, name, "key_issued", key_id)
        except psycopg2.errors.ForeignKeyViolation:
            raise NoSuchPublisher(name) from None
        return str(key_id), key

    def revoke_key(self, name: str, key_id: str, actor: str) -> None:
        """The key stops at its next request (a revoked key stays listed, with who revoked it)."""
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE api_key SET active = false, revoked_at = now(), revoked_by = %s"
                " WHERE publisher = %s AND id = %s AND active",
                (actor, name, _uuid(key_id)),
            )
            if cur.rowcount == 0:
                raise NoSuchPublisher(f"{name}: no such active key")
            _changed(cur, actor, name, "key_revoked", key_id)

    def by_key(self, key: str) -> Publisher:
        """Checked on every request: a revoked key, or a deactivated publisher, stops at once."""
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT p.name, p.site, p.active FROM api_key k"
                " JOIN municipal_publisher p ON p.name = k.publisher"
                " WHERE k.key_digest = %s AND k.active AND p.active",
                (_digest(key),),
            )
            row = cur.fetchone()
        if row is None:
            raise Unauthenticated("unknown API key")
        return Publisher(*row)

    def add_api_key(self, name: str, site: str, actor: str = "setup") -> str:
        """The publisher registered if new, and a key for it (the demo, the tools and the tests)."""
        self.register(name, site, actor)
        return self.issue_key(name, actor)[1]

    def changes(self, name: str) -> list[dict]:
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT at, actor, action, key_id FROM publisher_change WHERE publisher = %s"
                " ORDER BY id",
                (name,),
            )
            return [
                {"at": at.isoformat(), "actor": a, "action": act, "key_id": k and str(k)}
                for at, a, act, k in cur.fetchall()
            ]


def _changed(cur, actor: str, publisher: str, action: str, key_id=None) -> None:
    cur.execute(
        "INSERT INTO publisher_change (actor, publisher, action, key_id) VALUES (%s, %s, %s, %s)",
        (actor, publisher, action, key_id),
    )


def _key(key_id, issued_at, issued_by, revoked_at, revoked_by) -> dict:
    return {
        "key_id": str(key_id),
        "issued_at": issued_at.isoformat(),
        "issued_by": issued_by,
        "revoked_at": revoked_at.isoformat() if revoked_at else None,
        "revoked_by": revoked_by,
    }


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
