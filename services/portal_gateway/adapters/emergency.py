"""Emergency grants in the gateway's audit store (keyed, sealed: adapters/audit_chain.py), a stream
per person (emergency-<beneficiary>). Whether a grant is live is asked of that store at each request,
against the database's clock: the event is the grant, there is no copy of it to fall out of step."""

from __future__ import annotations

import uuid
from datetime import timedelta

from contracts.names import EMERGENCY_ACCESS_GRANTED, EMERGENCY_ACCESS_REVIEWED
from services.common.domain import DomainEvent
from services.common.event_codec import encoder
from services.common.eventstore import ANY_VERSION, EventStore, Metadata
from services.portal_gateway.domain.emergency import GRANT_MINUTES, Grant

CATEGORY = "emergency"
_encode = encoder()
# a grant's end: when it was recorded, plus its minutes (both in the chained row)
_ENDS = "recorded_at + make_interval(mins => (data->>'minutes')::int)"
_LIVE = (
    f"SELECT data->>'grant_id', data->>'beneficiary_id', data->>'holder', data->>'reason',"
    f" recorded_at, {_ENDS} FROM events"
    f" WHERE stream = ANY(%s) AND type = %s AND data->>'holder' = %s AND {_ENDS} > now()"
    " ORDER BY position DESC LIMIT 1"
)


def stream_of(beneficiary_id: str) -> str:
    return f"{CATEGORY}-{beneficiary_id}"


class EmergencyGrants:
    def __init__(self, store: EventStore):
        self.store = store

    def grant(self, principal, beneficiary_id: str, reason: str, details: str) -> Grant:
        payload = {
            "grant_id": str(uuid.uuid4()),
            "beneficiary_id": beneficiary_id,
            "holder": principal.username,
            "role": principal.role,
            "site": principal.site,
            "reason": reason,
            "details": details.strip(),
            "minutes": GRANT_MINUTES,
        }
        self._append(principal, beneficiary_id, DomainEvent(EMERGENCY_ACCESS_GRANTED, payload))
        found = self.live(principal.username, [beneficiary_id])
        if found is None or found.grant_id != payload["grant_id"]:
            raise RuntimeError("an emergency grant was recorded but is not live")
        return found

    def live(self, holder: str, beneficiary_ids: list[str]) -> Grant | None:
        """The holder's latest grant on any of these records (one person's, merges included) that
        has not yet run out, by the database's clock."""
        streams = [stream_of(b) for b in beneficiary_ids]
        with self.store.db.transaction() as cur:  # type: ignore[attr-defined]
            cur.execute(_LIVE, (streams, EMERGENCY_ACCESS_GRANTED, holder))
            row = cur.fetchone()
        return Grant(*row) if row else None

    def review(self, principal, grant_id: str, note: str) -> dict | None:
        """The DPO's review of a grant, with a note; None if there is no such grant."""
        found = next((g for g in self.all() if g["grant_id"] == grant_id), None)
        if found is None:
            return None
        payload = {
            "grant_id": grant_id,
            "beneficiary_id": found["beneficiary_id"],
            "reviewer": principal.username,
            "note": note,
        }
        self._append(
            principal, found["beneficiary_id"], DomainEvent(EMERGENCY_ACCESS_REVIEWED, payload)
        )
        return payload

    def all(self, beneficiary_ids: list[str] | None = None) -> list[dict]:
        """Every grant (or a person's), newest first, each with its end and its reviews."""
        if beneficiary_ids is None:
            events = self.store.read_all(0, 100_000, categories=[CATEGORY])
        else:
            events = [e for b in beneficiary_ids for e in self.store.read_stream(stream_of(b))]
        with self.store.db.transaction() as cur:  # type: ignore[attr-defined]
            cur.execute("SELECT now()")
            (now,) = cur.fetchone()
        grants: dict[str, dict] = {}
        for e in sorted(events, key=lambda e: e.position):
            found = {**e.payload, "erased": e.erased}
            if e.type == EMERGENCY_ACCESS_GRANTED:
                ends = e.recorded_at + timedelta(minutes=found["minutes"])
                grants[found["grant_id"]] = {
                    **found,
                    "granted_at": e.recorded_at.isoformat(),
                    "expires_at": ends.isoformat(),
                    "live": ends > now,
                    "reviews": [],
                }
            elif e.type == EMERGENCY_ACCESS_REVIEWED and found["grant_id"] in grants:
                grants[found["grant_id"]]["reviews"].append(
                    {**found, "at": e.recorded_at.isoformat()}
                )
        return sorted(grants.values(), key=lambda g: g["granted_at"], reverse=True)

    def _append(self, principal, beneficiary_id: str, event: DomainEvent) -> None:
        metadata = Metadata(
            actor=principal.username,
            site=principal.site or "KK-REGION",
            command_id=None,
            correlation_id=str(uuid.uuid4()),
        )
        self.store.append(stream_of(beneficiary_id), ANY_VERSION, [_encode(event)], metadata)
