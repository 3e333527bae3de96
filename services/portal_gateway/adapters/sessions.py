"""Login sessions in PostgreSQL: opened at login, found again on every request together with the
account as it is now, ended by a logout or by any change to the account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from services.portal_gateway.domain.login import Unauthenticated

SESSION_HOURS = 8  # a working day: the next morning starts with a login
# a live session of an active account, with the account's facts as they are at this moment
_ALIVE = (
    "SELECT s.id::text, a.username, a.role, a.site, a.agency_id, a.display_name, s.ends_at"
    " FROM login_session s JOIN account a USING (username)"
    " WHERE s.id = %s AND s.ended_at IS NULL AND s.ends_at > now() AND a.active"
)


@dataclass(frozen=True)
class SessionFacts:
    """Who a live session speaks for, as the account says now."""

    session_id: str
    username: str
    role: str
    site: str | None
    agency_id: str | None
    name: str
    ends_at: datetime


class Sessions:
    def __init__(self, db):
        self.db = db

    def open(self, username: str) -> SessionFacts:
        session_id = str(uuid.uuid4())
        with self.db.transaction() as cur:
            cur.execute(
                "INSERT INTO login_session (id, username, ends_at)"
                " VALUES (%s, %s, now() + make_interval(hours => %s))",
                (session_id, username, SESSION_HOURS),
            )
            cur.execute(_ALIVE, (session_id,))
            found = _facts(cur.fetchone())
        if found is None:  # deactivated while the password was being checked
            raise Unauthenticated("the account is not active")
        return found

    def current(self, session_id: str) -> SessionFacts | None:
        """The session if it is still open and its account still active, else None."""
        with self.db.statement() as cur:
            cur.execute(_ALIVE, (session_id,))
            return _facts(cur.fetchone())

    def touch(self, session_id: str) -> SessionFacts | None:
        """As `current`, noting that a token was issued for it now."""
        with self.db.transaction() as cur:
            cur.execute(_ALIVE, (session_id,))
            found = _facts(cur.fetchone())
            if found is not None:
                cur.execute(
                    "UPDATE login_session SET last_seen_at = now() WHERE id = %s", (session_id,)
                )
            return found

    def end(self, session_id: str, reason: str) -> None:
        with self.db.transaction() as cur:
            cur.execute(
                "UPDATE login_session SET ended_at = now(), end_reason = %s"
                " WHERE id = %s AND ended_at IS NULL",
                (reason, session_id),
            )


def end_sessions_of(cur, username: str, reason: str, keep: str | None = None) -> None:
    """End every open session of an account, in the transaction that changes the account, but
    `keep` (the session that changed its own password)."""
    cur.execute(
        "UPDATE login_session SET ended_at = now(), end_reason = %s"
        " WHERE username = %s AND ended_at IS NULL AND id IS DISTINCT FROM %s::uuid",
        (reason, username, keep),
    )


def _facts(row) -> SessionFacts | None:
    return SessionFacts(*row) if row else None
