"""Refused municipal events: what the ops team reviews, and the body only the DPO reads.

A refused event may say anything about a person (its notes may hold a diagnosis), so its body is
never kept in clear (nor in a log line). In clear: who published it, when, why it was refused, the
type it claimed and a keyed digest of it (equal bodies match; the municipality is told it, to
name the event to ops). The body is sealed under the key of the person it names, when the
registry knows them, so erasing them shreds it (and the timeline's consumer deletes the row); an
event that names no one known keeps no body at all. Every row goes after the retention period."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

from psycopg2 import sql

from services.common.personal_data import KeyVault, SubjectErased

TABLE = "ingest_rejected"
MAX_TYPE = 100  # the type as the publisher named it: a name, not a place for text


def digest(key: bytes, event) -> str:
    """A keyed digest of the body as posted: without the key, a row's digest confirms no guess
    of what the event said."""
    body = json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key, f"ingest-rejected:{body}".encode(), hashlib.sha256).hexdigest()


def event_type(event) -> str | None:
    claimed = event.get("type") if isinstance(event, dict) else None
    return claimed[:MAX_TYPE] if isinstance(claimed, str) else None


class IngestStore:
    def __init__(self, db, vault: KeyVault, digest_key: bytes, retention_days: int):
        self.db, self.vault = db, vault
        self.digest_key, self.retention_days = digest_key, retention_days

    def reject(
        self,
        publisher: str,
        event,
        reasons: list[str],
        subject: str | None,
        transport: str = "http",
    ) -> str:
        """Keep a refused event (sealed under `subject`'s key, or without its body); its digest.
        `publisher` is whom the key or the broker named ("" for a message that named no one)."""
        found = digest(self.digest_key, event)
        with self.db.transaction() as cur:
            subject_id, sealed_id, sealed = self._sealed(cur, event, subject)
            cur.execute(
                "INSERT INTO ingest_rejected (publisher, reasons, event_type, digest, subject_id,"
                " sealed_id, sealed, transport) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    publisher,
                    json.dumps(reasons, ensure_ascii=False),
                    event_type(event),
                    found,
                    subject_id,
                    sealed_id,
                    sealed,
                    transport,
                ),
            )
        return found

    def _sealed(self, cur, event, subject: str | None) -> tuple:
        if subject is None:
            return None, None, None
        subject_id, sealed_id = uuid.UUID(subject), uuid.uuid4()
        try:
            key = self.vault.key_for(cur, subject_id)
        except SubjectErased:  # erased: nothing of theirs is kept any more
            return None, None, None
        return subject_id, sealed_id, self.vault.cipher.seal(key, sealed_id, {"event": event})

    def rejected(self, limit: int = 200) -> list[dict]:
        """The list ops and the coordinator review: no body, and not whose event it claims to be."""
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT id, received_at, publisher, event_type, reasons, digest, transport,"
                " sealed IS NOT NULL FROM ingest_rejected WHERE received_at > now() - make_interval(days => %s)"
                " ORDER BY id DESC LIMIT %s",
                (self.retention_days, limit),
            )
            return [{**_listed(*row[:7]), "body_kept": row[7]} for row in cur.fetchall()]

    def find(self, rejected_id: int) -> dict | None:
        """One refused event as listed, with whose it is (`subject_id`, None: no body kept)."""
        with self.db.transaction() as cur:
            cur.execute(
                "SELECT id, received_at, publisher, event_type, reasons, digest, transport,"
                " subject_id, sealed_id, sealed FROM ingest_rejected"
                " WHERE id = %s AND received_at > now() - make_interval(days => %s)",
                (rejected_id, self.retention_days),
            )
            row = cur.fetchone()
        if row is None:
            return None
        subject_id, sealed_id, sealed = row[7:]
        return {
            **_listed(*row[:7]),
            "subject_id": str(subject_id) if subject_id else None,
            "sealed": (sealed_id, bytes(sealed)) if sealed is not None else None,
        }

    def body(self, row: dict):
        """The event as posted, opened under its subject's key; SubjectErased once they are."""
        if row["sealed"] is None:
            return None
        subject_id = uuid.UUID(row["subject_id"])
        sealed_id, sealed = row["sealed"]
        with self.db.transaction() as cur:
            key = self.vault.keys_for(cur, [subject_id]).get(subject_id)
        if key is None:
            raise SubjectErased(subject_id)
        return self.vault.cipher.open(key, sealed_id, sealed)["event"]

    def forget_expired(self) -> int:
        """Delete the rows older than the retention period (the gateway's timer, hourly)."""
        with self.db.transaction() as cur:
            cur.execute(
                "DELETE FROM ingest_rejected WHERE received_at <= now() - make_interval(days => %s)",
                (self.retention_days,),
            )
            return cur.rowcount


def forget_subjects(cur, schema: str, subject_ids: list[str]) -> None:
    """Erasure: the refused events sealed under these people's keys go (the timeline's consumer
    calls it when PersonalDataErased reaches it; the shredded key already made them unreadable)."""
    cur.execute(
        sql.SQL("DELETE FROM {} WHERE subject_id = ANY(%s::uuid[])").format(
            sql.Identifier(schema, TABLE)
        ),
        (subject_ids,),
    )


def _listed(i, at, publisher, type_, reasons, digest, transport) -> dict:
    """What anyone who may list refused events sees of one: no body, no subject."""
    return {
        "id": i,
        "received_at": at.isoformat(),
        "publisher": publisher,
        "type": type_,
        "reasons": reasons,
        "digest": digest,
        "transport": transport,  # http (an API key) or amqp (the broker's user_id)
    }
