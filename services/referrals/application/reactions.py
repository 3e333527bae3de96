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
from services.referrals.domain.referral import ACTIVE, REQUESTED

log = logging.getLogger(__name__)


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
            if r["state"] not in ACTIVE:
                continue
            context = {
                "actor": "referrals.reactions",
                "site": event.metadata.get("site", "?"),
                "causation_id": event.event_id,
                "correlation_id": event.metadata.get("correlation_id"),
            }
            metadata = command_metadata(context, f"{event.event_id}:{r['referral_id']}")
            try:
                self._react(referrals, event, r, metadata)
            except (
                DomainError
            ) as refused:  # the referral moved on meanwhile (answered, expired): said and counted
                log.info(
                    "reaction to %s on referral %s refused: %s",
                    event.type,
                    r["referral_id"],
                    refused,
                )
                metrics.REFUSALS.labels("referrals.reactions", event.type).inc()

    @staticmethod
    def _react(referrals: Referrals, event: SourceEvent, r: dict, metadata) -> None:
        base = {
            "referral_id": r["referral_id"],
            "beneficiary_id": r["beneficiary_id"],
            "by": "referrals.reactions",
        }
        if event.type == CASE_CLOSED:
            on = date.fromisoformat(event.data["closed_on"])
            referrals.act(
                "withdraw", {**base, "withdrawn_on": on, "reason": "the case was closed"}, metadata
            )
        elif event.data["recipient"] == r["consent_recipient"]:
            on = date.fromisoformat(event.data["withdrawn_on"])
            if r["state"] == REQUESTED:
                referrals.act(
                    "withdraw",
                    {
                        **base,
                        "withdrawn_on": on,
                        "reason": "consent withdrawn before the referral was sent",
                    },
                    metadata,
                )
            else:
                referrals.stop_sharing(r["referral_id"], on, "consent withdrawn", metadata)

    def reset(self, cur) -> None:
        """Nothing of its own to empty: reactions already taken are in the referral streams, and
        replaying them changes nothing (their command ids)."""
