"""The audit of reads: every view of a beneficiary's record is an append-only event in the
gateway's own store (stream audit-<beneficiary>), and the DPO can list who saw a record."""

from __future__ import annotations

import uuid

from contracts.names import RECORD_VIEWED
from services.common.domain import DomainEvent
from services.common.event_codec import encoder
from services.common.eventstore import ANY_VERSION, EventStore, Metadata

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
    ) -> None:
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
            },
        )
        metadata = Metadata(
            actor=principal.username,
            site=principal.site or "KK-REGION",
            command_id=None,
            correlation_id=str(uuid.uuid4()),
        )
        self.store.append(f"audit-{beneficiary_id}", ANY_VERSION, [_encode(event)], metadata)

    def who_saw(self, beneficiary_id: str) -> list[dict]:
        return [
            {**e.data, "at": e.recorded_at.isoformat()}
            for e in self.store.read_stream(f"audit-{beneficiary_id}", 1, 10_000)
        ]
