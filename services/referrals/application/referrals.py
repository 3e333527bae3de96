"""Use cases of the referrals service. The facts the rules need come through two ports: the
registries (who a recipient is, how long it has to answer) and intake (whether the beneficiary's
consent covers the recipient today)."""

from __future__ import annotations

import sys
import uuid
from datetime import date
from typing import Protocol

from services.common.application import execute, sent_by_client
from services.common.domain import NotFound
from services.common.event_codec import encoder
from services.common.eventstore import AppendResult, EventStore, Metadata, stream_name
from services.referrals.domain import referral

_encode = encoder()
_decider = sys.modules[referral.__name__]
DEFAULT_RESPONSE_DAYS = 10  # a centre or an agency outside the registry


class Registry(Protocol):
    def agency(self, agency_id: str) -> dict | None: ...

    def programme(self, programme_id: str) -> dict | None: ...


class Consents(Protocol):
    def may_share_with(self, beneficiary_id: str, recipient: str, on: str) -> bool: ...


class Referrals:
    def __init__(self, store: EventStore, registry: Registry | None, consents: Consents | None):
        """A process that only reacts (withdraws, stops sharing) is given neither registry nor consents."""
        self.store, self._registry, self._consents = store, registry, consents

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            raise RuntimeError("this use case needs the registry, which this process was not given")
        return self._registry

    @property
    def consents(self) -> Consents:
        if self._consents is None:
            raise RuntimeError("this use case needs the consents, which this process was not given")
        return self._consents

    def request(self, fields: dict, metadata: Metadata, expected_version: int) -> AppendResult:
        recipient = self._recipient(fields["recipient_kind"], fields["recipient_id"]) or {}
        fields = {
            **fields,
            "consent_recipient": recipient.get("consent_recipient") or fields["recipient_id"],
        }
        consent = (
            self._consent(fields, fields["requested_on"])
            if fields["shares_personal_data"]
            else None
        )
        return self.act("request", fields, metadata, expected_version, consent_in_force=consent)

    def send(self, fields: dict, metadata: Metadata, expected_version: int) -> AppendResult:
        requested = self.requested(fields["referral_id"])
        if requested is None:
            return self.act(
                "send", fields, metadata, expected_version
            )  # the table refuses it, naming the state
        recipient = self._recipient(requested["recipient_kind"], requested["recipient_id"])
        consent = (
            self._consent(requested, fields["sent_on"])
            if requested["shares_personal_data"]
            else None
        )
        days = (recipient or {}).get("response_days") or DEFAULT_RESPONSE_DAYS
        return self.act(
            "send", fields, metadata, expected_version, consent_in_force=consent, response_days=days
        )

    def act(
        self,
        action: str,
        fields: dict,
        metadata: Metadata,
        expected_version: int | None = None,
        **facts,
    ) -> AppendResult:
        command = referral.Act(
            action,
            fields["referral_id"],
            {k: v for k, v in fields.items() if k != "referral_id"},
            **facts,
        )
        return execute(
            self.store,
            stream_name(referral.CATEGORY, command.referral_id),
            _decider,
            command,
            metadata,
            sent_by_client(command, referral.FACTS),
            _encode,
            expected_version=expected_version,
        )

    def stop_sharing(
        self, referral_id: str, stopped_on: date, reason: str, metadata: Metadata
    ) -> AppendResult:
        command = referral.StopSharing(uuid.UUID(str(referral_id)), stopped_on, reason)
        return execute(
            self.store,
            stream_name(referral.CATEGORY, referral_id),
            _decider,
            command,
            metadata,
            sent_by_client(command),
            _encode,
        )

    def requested(self, referral_id) -> dict | None:
        """What the referral was asked for (recipient, sharing), from its first event."""
        first = self.store.read_stream(stream_name(referral.CATEGORY, referral_id), 1, 1)
        return first[0].data if first else None

    def _recipient(self, kind: str, recipient_id: str) -> dict | None:
        if kind in ("centre", "external"):
            return None
        found = (
            self.registry.agency(recipient_id)
            if kind == "agency"
            else self.registry.programme(recipient_id)
        )
        if not found:
            raise NotFound(f"no such {kind} in the registry", field="recipient_id")
        if kind == "programme":  # it answers as its agency does
            agency = self.registry.agency(found["agency_id"]) or {}
            found = {
                **found,
                "response_days": agency.get("response_days"),
                "consent_recipient": found["agency_id"],
            }
        return found

    def _consent(self, requested: dict, on) -> bool:
        """Consent is given to an agency (not to each of its programmes), a centre, or a named outsider."""
        on = on if isinstance(on, str) else on.isoformat()
        return bool(
            self.consents.may_share_with(
                str(requested["beneficiary_id"]), requested["consent_recipient"], on
            )
        )
