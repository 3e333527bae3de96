"""What referrals do when intake records something that concerns them, fed by the backbone
consumer from intake's history (so nothing is missed while this process is down):
- a closed case withdraws the beneficiary's open referrals;
- a consent withdrawn stops sharing with that recipient: a referral not yet sent is withdrawn,
  one already sent is marked so nothing more is shared.
Each reaction's command id comes from the event that caused it: a redelivery changes nothing.

Its consumer process is `services/referrals/entrypoints/reactions_consumer.py`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

from contracts.names import CASE_CLOSED, CONSENT_WITHDRAWN
from services.common import metrics
from services.common.config import Settings
from services.common.consumer import Projection, SourceEvent
from services.common.domain import DomainError
from services.common.eventstore import EventStore
from services.common.rpc_commands import command_metadata
from services.referrals import bootstrap
from services.referrals.adapters.referral_view import ReferralView
from services.referrals.application.referrals import Referrals
from services.referrals.domain.referral import (
    ACTIVE,
    REQUESTED,
    Command,
    StopSharing,
    WithdrawReferral,
)

log = logging.getLogger(__name__)
BY = "referrals.reactions"  # who acted, in the events and in their metadata


class ReferralReactions(Projection):
    name = "referrals-reactions"
    sources = ("intake",)

    def __init__(self, settings: Settings | None = None):
        self._settings = settings
        self._store: EventStore | None = (
            None  # opened on the first reaction (in the consumer's process)
        )

    def _referrals(self) -> Referrals:
        if self._store is None:
            settings = self._settings or Settings.from_env()
            # the same store as the service's, read side included: a reaction shows in the inboxes at once
            self._store, self._db = bootstrap.open_store(settings, max_connections=2)
        return bootstrap.referrals(
            self._store, registry=None, consents=None
        )  # reactions need neither

    def apply(self, cur, event: SourceEvent) -> None:
        if event.type not in (CASE_CLOSED, CONSENT_WITHDRAWN):
            return
        referrals = self._referrals()
        person = event.data["beneficiary_id"]
        for r in ReferralView.of_beneficiary(self._db, [person]):
            command = self._reaction(event, r) if r["state"] in ACTIVE else None
            if command is None:
                continue
            context = {
                "actor": BY,
                "site": event.metadata.get("site", "?"),
                "causation_id": event.event_id,
                "correlation_id": event.metadata.get("correlation_id"),
            }
            metadata = command_metadata(context, f"{event.event_id}:{r['referral_id']}")
            try:
                referrals.run(command, metadata)
            except DomainError as refused:
                # the referral moved on meanwhile (answered, expired): said and counted
                log.info(
                    "reaction to %s on referral %s refused: %s",
                    event.type,
                    r["referral_id"],
                    refused,
                )
                metrics.REFUSALS.labels("referrals.reactions", event.type).inc()

    @staticmethod
    def _reaction(event: SourceEvent, r: dict) -> Command | None:
        """What an intake event asks of one of the beneficiary's active referrals (None: nothing)."""
        referral_id, beneficiary_id = uuid.UUID(r["referral_id"]), uuid.UUID(r["beneficiary_id"])
        if event.type == CASE_CLOSED:
            on = date.fromisoformat(event.data["closed_on"])
            return WithdrawReferral(referral_id, beneficiary_id, on, BY, "the case was closed")
        if event.data["recipient"] != r["consent_recipient"]:
            return None  # consent withdrawn from another recipient
        on = date.fromisoformat(event.data["withdrawn_on"])
        if r["state"] == REQUESTED:
            reason = "consent withdrawn before the referral was sent"
            return WithdrawReferral(referral_id, beneficiary_id, on, BY, reason)
        return StopSharing(referral_id, beneficiary_id, on, "consent withdrawn")

    def reset(self, cur) -> None:
        """Nothing of its own to empty: reactions already taken are in the referral streams, and
        replaying them changes nothing (their command ids)."""
