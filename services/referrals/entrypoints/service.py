"""The referrals service over nameko: commands by RPC, each validated by its contract; routing
over the registry; the read side for the people who act; a timer that expires unanswered ones."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date

from nameko.extensions import DependencyProvider
from nameko.timer import timer

from contracts import referrals as contract
from contracts.directory import CHANGES as DIRECTORY_CHANGES
from services.common import metrics
from services.common.clock import today_in_greece
from services.common.domain import DomainError
from services.common.nameko_support import (
    EventStoreProvider,
    MetricsServer,
    RpcProxy,
    ServesItsHistory,
    outbox_watch,
    rpc,
)
from services.common.registry_facts import RegistryFactsKept
from services.common.rpc_commands import (
    CommandRejected,
    answer,
    command_metadata,
    receive,
    rejects_bad_commands,
)
from services.referrals import bootstrap
from services.referrals.adapters.referral_view import InboxFilters, ReferralView, named
from services.referrals.application.referrals import Referrals
from services.referrals.domain.referral import (
    AcceptReferral,
    AcknowledgeReferral,
    CompleteReferral,
    ExpireReferral,
    RejectReferral,
    RequestReferral,
    SendReferral,
    WithdrawReferral,
)
from services.referrals.domain.routing import Person, propose

log = logging.getLogger(__name__)
SYSTEM = {"actor": "referrals.expiry", "site": "KK-REGION"}


def today() -> date:
    return today_in_greece()


class Schedule(DependencyProvider):
    """How often the expiry check runs (config REFERRALS_EXPIRY_CHECK_SECONDS, default 60 s)."""

    def setup(self):
        self.interval = float(self.container.config.get("REFERRALS_EXPIRY_CHECK_SECONDS", 60))
        self.next_run = 0.0

    def get_dependency(self, worker_ctx):
        return self

    def due(self) -> bool:
        now = time.monotonic()
        if now < self.next_run:
            return False
        self.next_run = now + self.interval
        return True


class ReferralsService(ServesItsHistory):
    name = "referrals"
    store = EventStoreProvider(bootstrap.open_store)
    metrics = MetricsServer()
    outbox = outbox_watch("referrals")
    registries = RpcProxy("registries")
    intake = RpcProxy("intake")
    expiry = Schedule()
    # who a recipient is: asked on every request, send and inbox page, changed rarely
    directory = RegistryFactsKept(
        methods=("agency", "programme", "agencies", "programmes"), changes=DIRECTORY_CHANGES
    )

    def _referrals(self) -> Referrals:
        return bootstrap.referrals(self.store, self._directory(), self.intake)

    def _directory(self):
        return self.directory.of(self.registries)

    def _named(self, rows: list[dict]) -> list[dict]:
        """With each recipient's name, read now (the view keeps codes only)."""
        if not rows:
            return rows
        directory = {}
        if any(r["recipient_kind"] in ("agency", "programme") for r in rows):
            directory = {a["agency_id"]: a["name"] for a in self._directory().agencies()}
            directory |= {p["programme_id"]: p["name"] for p in self._directory().programmes()}
        return named(rows, directory, self._requested_name)

    def _requested_name(self, referral_id: str) -> str:
        """The name the sender typed (sealed: the person may be named in it); once the person is
        erased, the recipient's code."""
        (requested,) = self.store.read_stream(f"referral-{referral_id}", 1, 1)
        return requested.payload.get("recipient_name") or requested.data["recipient_id"]

    @rpc
    def propose_recipients(
        self, need: str, municipality_code: str, groups: list | None = None, age: int | None = None
    ) -> list[dict]:
        """Agencies and programmes serving that municipality, for that need, whose eligibility fits: best first."""
        person = Person(municipality_code, frozenset(groups or ()), age)
        return propose(
            self._directory().agencies(), self._directory().programmes(), need, person, today()
        )

    @rpc
    @rejects_bad_commands
    def request_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.RequestReferralSchema, command, context)
        step = RequestReferral(**received.fields)
        result = answer(self._referrals().run(step, received.metadata, received.expected_version))
        if step.recipient_kind == "centre" and not result["duplicate"]:
            # the receiving centre should know if the person may already be registered there
            result["warnings"] = self.registries.possible_duplicates_at(
                command["beneficiary_id"], command["recipient_id"]
            )
        return result

    @rpc
    @rejects_bad_commands
    def send_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.SendReferralSchema, command, context)
        step = SendReferral(**received.fields)
        return answer(self._referrals().run(step, received.metadata, received.expected_version))

    @rpc
    @rejects_bad_commands
    def acknowledge_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.AcknowledgeReferralSchema, command, context)
        step = AcknowledgeReferral(**received.fields)
        return answer(self._referrals().run(step, received.metadata, received.expected_version))

    @rpc
    @rejects_bad_commands
    def accept_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.AcceptReferralSchema, command, context)
        step = AcceptReferral(**received.fields)
        return answer(self._referrals().run(step, received.metadata, received.expected_version))

    @rpc
    @rejects_bad_commands
    def reject_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.RejectReferralSchema, command, context)
        step = RejectReferral(**received.fields)
        return answer(self._referrals().run(step, received.metadata, received.expected_version))

    @rpc
    @rejects_bad_commands
    def complete_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.CompleteReferralSchema, command, context)
        step = CompleteReferral(**received.fields)
        return answer(self._referrals().run(step, received.metadata, received.expected_version))

    @rpc
    @rejects_bad_commands
    def withdraw_referral(self, command: dict, context: dict) -> dict:
        received = receive(contract.WithdrawReferralSchema, command, context)
        step = WithdrawReferral(**received.fields)
        return answer(self._referrals().run(step, received.metadata, received.expected_version))

    # --- the read side ---------------------------------------------------------------------

    @rpc
    def referrals_of(self, beneficiary_ids: list[str]) -> list[dict]:
        """A beneficiary's referrals (all their merged records' ids), each with every step it took."""
        found = self._named(ReferralView.of_beneficiary(self.store.db, beneficiary_ids))
        for r in found:  # opened here, for the gateway that asked: the backbone reads stay sealed
            r["steps"] = [
                {
                    "type": e.type,
                    "version": e.version,
                    "data": e.data,
                    "personal": e.personal,
                    "erased": e.erased,
                    "recorded_at": e.recorded_at.isoformat(),
                    "actor": e.metadata.get("actor"),
                    "site": e.metadata.get("site"),
                }
                for e in self.store.read_stream(f"referral-{r['referral_id']}", 1, 100)
            ]
        return found

    @rpc
    def sharing_referrals(self, beneficiary_ids: list[str]) -> list[dict]:
        """The person's referrals to a centre that share their data now (the access policy's
        facts), with whose consent covers each: decided from the streams at the moment asked."""
        return self.sharing_referrals_many([beneficiary_ids])[0]

    @rpc
    def sharing_referrals_many(self, people: list[list[str]]) -> list[list[dict]]:
        """`sharing_referrals` for many people at once (each the ids of their records), in the
        order asked: a search's hits in one call."""
        asked = sorted({r for records in people for r in records})
        mine = {
            r["referral_id"]: r
            for r in ReferralView.of_beneficiary(self.store.db, asked)
            if r["recipient_kind"] == "centre"
        }
        sharing = [
            {**r, "consent_recipient": mine[r["referral_id"]]["consent_recipient"]}
            for r in self._referrals().sharing_with_centres(list(mine))
        ]
        by_person = [{str(uuid.UUID(r)) for r in records} for records in people]
        return [
            [r for r in sharing if mine[r["referral_id"]]["beneficiary_id"] in records]
            for records in by_person
        ]

    @rpc
    def referral(self, referral_id: str) -> dict | None:
        found = self._named(ReferralView.one(self.store.db, referral_id))
        return found[0] if found else None

    @rpc
    def open_referrals(
        self, recipient_id: str | None = None, from_site: str | None = None
    ) -> list[dict]:
        return self._named(ReferralView.open(self.store.db, recipient_id, from_site))

    @rpc
    def inbox(
        self,
        parties: list[str],
        state: str | None = None,
        due_by: str | None = None,
        overdue: bool = False,
        page: int = 1,
        per_page: int = 20,
    ) -> dict:
        """A page of the sent referrals these parties (an agency's id, a network's sites) take
        part in, with how many there are in all: open ones unless a state is asked for."""
        if state is not None and state not in contract.STATES:
            raise CommandRejected("invalid", "no such state", {"state": [state]})
        filters = InboxFilters(
            state,
            date.fromisoformat(due_by) if due_by else None,
            overdue,
            max(page, 1),
            min(max(per_page, 1), 100),
        )
        found = ReferralView.inbox(self.store.db, parties, filters, today())
        return {**found, "referrals": self._named(found["referrals"])}

    @rpc
    def answered_referrals(self, from_sites: list[str], since: str) -> list[dict]:
        return self._named(
            ReferralView.answered(self.store.db, from_sites, date.fromisoformat(since))
        )

    @rpc
    def overdue_referrals(self) -> list[dict]:
        return self._named(ReferralView.overdue(self.store.db, today()))

    @rpc
    def response_times(self, from_site: str | None = None) -> dict:
        return ReferralView.response_times(self.store.db, from_site)

    # --- the scheduled check -----------------------------------------------------------------

    @timer(interval=1)
    def expire_overdue(self) -> None:
        if not self.expiry.due():
            return
        for r in ReferralView.overdue(self.store.db, today()):
            expire = ExpireReferral(
                uuid.UUID(r["referral_id"]), uuid.UUID(r["beneficiary_id"]), expired_on=today()
            )
            # one command id per referral: two checks racing expire it once
            metadata = command_metadata(SYSTEM, f"expire-{r['referral_id']}")
            try:
                self._referrals().run(expire, metadata)
            except DomainError as refused:
                # answered meanwhile: the table refused, and rightly; said and counted
                log.info("expiry of referral %s refused: %s", r["referral_id"], refused)
                metrics.REFUSALS.labels("referrals.expiry", "expire").inc()
