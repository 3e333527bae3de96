"""The audit of reads: every read of a beneficiary's personal data (the record, a search row, a
sync conflict, a refused municipal event, the DPO's own reading of the audit) and every refused
attempt is an append-only event in the gateway's own store (stream audit-<beneficiary>), and the
DPO can list who saw a record. Failed
logins are recorded there too (stream logins-<username>, or unknownlogins-all for names that are no
account), for the DPO to see who tried to get into an account."""

from __future__ import annotations

import uuid

from contracts.names import LOGIN_FAILED, RECORD_VIEWED
from services.common import metrics
from services.common.domain import DomainEvent
from services.common.event_codec import encoder
from services.common.eventstore import ANY_VERSION, EventStore, Metadata
from services.common.personal_data import SubjectErased

_encode = encoder()


class Audit:
    def __init__(self, store: EventStore):
        self.store = store

    def record_viewed(
        self,
        principal,
        beneficiary_id: str,
        categories: list[str],
        reason: str | None,
        break_glass: bool,
        purpose: str = "record",
        refused: bool = False,
    ) -> None:
        """A read of a person's data, or a refused attempt at one (`refused`: nothing shown)."""
        event = DomainEvent(
            RECORD_VIEWED,
            {
                "beneficiary_id": beneficiary_id,
                "viewer": principal.username,
                "role": principal.role,
                "site": principal.site,
                "categories": sorted(categories),
                "reason": reason,
                "break_glass": break_glass,
                "purpose": purpose,
                "refused": refused,
            },
        )
        metadata = Metadata(
            actor=principal.username,
            site=principal.site or "KK-REGION",
            command_id=None,
            correlation_id=str(uuid.uuid4()),
        )
        stream = f"audit-{beneficiary_id}"
        try:
            self._append(stream, event, metadata)
        except SubjectErased:  # the reason can no longer be sealed: the read is audited without it
            without = DomainEvent(RECORD_VIEWED, {**event.payload, "reason": None})
            self._append(stream, without, metadata)

    def _append(self, stream: str, event: DomainEvent, metadata: Metadata) -> None:
        """An audit event that cannot be stored fails the read it audits (nothing is shown
        unaudited), and is counted: the ops team is paged on the first one."""
        try:
            self.store.append(stream, ANY_VERSION, [_encode(event)], metadata)
        except SubjectErased:
            raise
        except Exception:
            metrics.AUDIT_WRITE_FAILURES.inc()
            raise

    def who_saw(self, beneficiary_id: str) -> list[dict]:
        return [
            # the reason is sealed under the person's key: None when none was given, or erased
            {"reason": None, **e.payload, "at": e.recorded_at.isoformat()}
            for e in self.store.read_stream(f"audit-{beneficiary_id}", 1, 10_000)
        ]

    def login_failed(
        self, username: str | None, account_key: str, client: str, reason: str, site: str | None
    ) -> None:
        """A refused login whose password was checked (a throttled one is refused unchecked and
        not recorded: a flood of them must not become a flood of appends)."""
        event = DomainEvent(
            LOGIN_FAILED,
            {"username": username, "account_key": account_key, "client": client, "reason": reason},
        )
        metadata = Metadata(
            actor=username or "unknown",
            site=site or "KK-REGION",
            command_id=None,
            correlation_id=str(uuid.uuid4()),
        )
        self._append(_logins(username), event, metadata)

    def failed_logins(self, username: str | None, limit: int = 1000) -> list[dict]:
        """The latest failed logins on an account (None: on names that are no account), oldest
        first."""
        stream = _logins(username)
        head = self.store.head(stream)
        first = max(1, head.version - limit + 1) if head else 1
        return [
            {**e.data, "at": e.recorded_at.isoformat()}
            for e in self.store.read_stream(stream, first, limit)
        ]


def _logins(username: str | None) -> str:
    """A stream per account; names that are no account share one of another category (so no
    account, whatever its name, shares their stream)."""
    return f"logins-{username}" if username else "unknownlogins-all"
