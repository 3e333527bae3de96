"""Use cases of the referrals service. The facts the rules need come through two ports: the
registries (who a recipient is, how long it has to answer) and intake (whether the beneficiary's
consent covers the recipient today)."""

from __future__ import annotations

import sys
import uuid
from dataclasses import replace
from datetime import date
from typing import Protocol

from services.common.application import execute, load, sent_by_client
from services.common.domain import NotFound
from services.common.event_codec import encoder
from services.common.eventstore import AppendResult, EventStore, Metadata, stream_name
from services.referrals.domain import referral

_encode = encoder()
_decider = sys.modules[referral.__name__]  # the module is the decider: initial, evolve, decide


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

    def sharing_with_centres(self, referral_ids: list[str]) -> list[dict]:
        """Of these referrals, those that share the person's data with a centre now: requested
        to share, still under way, sharing not stopped. Each state is loaded from its stream
        (the access policy decides on it at once)."""
        found = []
        for referral_id in referral_ids:
            stream = stream_name(referral.CATEGORY, referral_id)
            state = load(self.store, stream, _decider).state
            if (
                state.state in referral.ACTIVE
                and state.shares_personal_data
                and not state.sharing_stopped
            ):
                found.append({"referral_id": str(referral_id), "recipient_id": state.recipient_id})
        return found

    def run(
        self,
        command: referral.Command,
        metadata: Metadata,
        expected_version: int | None = None,
    ) -> AppendResult:
        """Every referral command: the facts its rule needs looked up, then decided on the
        referral's stream (at the version the client saw, when it says one)."""
        command = self._with_facts(command)
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

    def requested(self, referral_id: uuid.UUID) -> dict | None:
        """What the referral was asked for (recipient, sharing), from its first event."""
        first = self.store.read_stream(stream_name(referral.CATEGORY, referral_id), 1, 1)
        return first[0].data if first else None

    def _with_facts(self, command: referral.Command) -> referral.Command:
        if isinstance(command, referral.RequestReferral):
            return self._request_facts(command)
        if isinstance(command, referral.SendReferral):
            return self._send_facts(command)
        return command  # every other step is decided on the referral's own history

    def _request_facts(self, command: referral.RequestReferral) -> referral.RequestReferral:
        recipient = self._recipient(command.recipient_kind, command.recipient_id) or {}
        covered_by = recipient.get("consent_recipient") or command.recipient_id
        consent = (
            self._consent(command.beneficiary_id, covered_by, command.requested_on)
            if command.shares_personal_data
            else None
        )
        # a recipient of the registry is named as the registry names it, never by typed words
        # (one agency under four spellings split the referral flow); only an outsider's are kept
        name = recipient.get("name") or command.recipient_name
        return replace(
            command, recipient_name=name, consent_recipient=covered_by, consent_in_force=consent
        )

    def _send_facts(self, command: referral.SendReferral) -> referral.SendReferral:
        requested = self.requested(command.referral_id)
        if requested is None:
            return command  # the table refuses it, naming the state
        recipient = self._recipient(requested["recipient_kind"], requested["recipient_id"]) or {}
        consent = (
            self._consent(
                requested["beneficiary_id"], requested["consent_recipient"], command.sent_on
            )
            if requested["shares_personal_data"]
            else None
        )
        days = recipient.get("response_days") or referral.DEFAULT_RESPONSE_DAYS
        return replace(command, consent_in_force=consent, response_days=days)

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

    def _consent(self, beneficiary_id: uuid.UUID | str, recipient: str, on: date) -> bool:
        """Consent is given to an agency (not to each of its programmes), a centre, or a named outsider."""
        return bool(self.consents.may_share_with(str(beneficiary_id), recipient, on.isoformat()))
