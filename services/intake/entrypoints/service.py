"""The intake service over nameko: one RPC per case command, each validated by its contract."""

from __future__ import annotations

from datetime import date

from contracts import intake as contract
from contracts.network import CHANGES as NETWORK_CHANGES
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
    UNSETTLED,
    CommandRejected,
    answer,
    receive,
    rejects_bad_commands,
)
from services.intake import bootstrap
from services.intake.adapters.case_access import CaseAccess
from services.intake.application.cases import Cases
from services.intake.domain import action_plan as plan
from services.intake.domain import case


class IntakeService(ServesItsHistory):
    name = "intake"
    store = EventStoreProvider(bootstrap.open_store)
    metrics = MetricsServer()
    outbox = outbox_watch("intake")
    registries = RpcProxy("registries")
    # asked on every contact and service, changed a few times a year: kept, dropped on a change
    network = RegistryFactsKept(
        methods=("staff_of_network", "partner_municipalities"), changes=NETWORK_CHANGES
    )

    def _run(self, schema, command_class, command: dict, context: dict, facts=None) -> dict:
        received = receive(schema, command, context)
        self._met_in_network(str(received.fields["beneficiary_id"]), context)
        fields = {**received.fields, **(facts(received.fields, context) if facts else {})}
        result = Cases(self.store).run(
            command_class(**fields), received.metadata, received.expected_version
        )
        return answer(result)

    @rpc
    @rejects_bad_commands
    def record_contact(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.RecordContactSchema, case.RecordContact, command, context, self._contact_facts
        )

    def _met_in_network(self, beneficiary_id: str, context: dict) -> None:
        """The gateway may send a command with the caller's network (`acting_for`) instead of
        deciding first from every service's facts (three more RPCs per command): if this case
        was met or transferred in that network, the access policy allows it whatever else is
        known (its other facts only widen who may act); otherwise nothing is decided here and
        the gateway decides from all the facts, then sends the command without it."""
        network = context.get("acting_for")
        if network is not None and not CaseAccess.met_in(self.store.db, beneficiary_id, network):
            raise CommandRejected(
                UNSETTLED, "this case was not met in the caller's network: ask every fact"
            )

    def _contact_facts(self, fields: dict, context: dict) -> dict:
        """A mobile unit's visit is checked against the partner municipalities the registry holds
        (as kept: services/common/registry_facts.py says how soon a change counts)."""
        facts = self._staff(fields, context)
        if fields["channel"] != "mobile_unit_visit":
            return facts
        served = self.network.of(self.registries).partner_municipalities(fields["site"])
        return {**facts, "served_municipalities": frozenset(served) if served is not None else None}

    def _staff(self, fields: dict, context: dict) -> dict:
        """Who works in the site's network now, as the registry lists them; not asked for a
        municipal system's event (`publisher` in its context, set by the gateway): it names the
        municipality's own employee, whom its publisher vouches for."""
        if context.get("publisher"):
            return {}
        staff = self.network.of(self.registries).staff_of_network(fields["site"])
        return {"network_staff": frozenset(staff) if staff is not None else None}

    @rpc
    def case_version(self, beneficiary_id: str) -> int:
        """The case stream's version now (0: no case yet), for publishers that do not track it."""
        return Cases(self.store).version(beneficiary_id)

    @rpc
    def case_summary(self, beneficiary_id: str, merged: list[str] | None = None) -> dict:
        """The case as the record page shows it: version, closed, open plan, latest assessment."""
        return Cases(self.store).summary(beneficiary_id, merged or ())

    @rpc
    def case_summaries(self, people: list[list[str]]) -> list[dict]:
        """`case_summary` for many people at once (each the ids of their records, the surviving
        one first), in the order asked: a trip's download in one call."""
        cases = Cases(self.store)
        return [cases.summary(records[0], records[1:]) for records in people]

    @rpc
    def case_history(self, beneficiary_id: str, after_version: int, limit: int = 100) -> list[dict]:
        """What was recorded on the case after `after_version` (public fields: an offline client's conflict)."""
        return [
            {
                "type": e.type,
                "version": e.version,
                "data": e.data,
                "metadata": e.metadata,
                "recorded_at": e.recorded_at.isoformat(),
            }
            for e in Cases(self.store).history(beneficiary_id, int(after_version), int(limit))
        ]

    @rpc
    def case_record_of(self, beneficiary_ids: list[str]) -> list[dict]:
        """Everything recorded on these records' cases, personal fields included (erased ones
        marked): what the person is owed under GDPR Art. 15. The gateway lets only the DPO ask."""
        return [
            {
                "beneficiary_id": str(beneficiary_id),
                "type": e.type,
                "version": e.version,
                "data": e.payload,
                "erased": e.erased,
                "occurred_at": e.metadata.get("occurred_at"),
                "recorded_at": e.recorded_at.isoformat(),
                "actor": e.metadata.get("actor"),
                "site": e.metadata.get("site"),
            }
            for beneficiary_id in beneficiary_ids
            for e in Cases(self.store).history(beneficiary_id, 0, 100_000)
        ]

    @rpc
    def access_facts(self, beneficiary_ids: list[str], on: str) -> dict:
        """What the gateway's access policy needs from the cases of one person's records, as
        stored at the moment it asks (kept in the append's transaction): the sites that recorded
        on them, the centres they were transferred to, and the recipients their consent covers
        on that day."""
        return self.access_facts_many([beneficiary_ids], on)[0]

    @rpc
    def access_facts_many(self, people: list[list[str]], on: str) -> list[dict]:
        """`access_facts` for many people at once (each the ids of their records), in the order
        asked: a search's hits in one call and one query."""
        return CaseAccess.facts(self.store.db, people, date.fromisoformat(on))

    @rpc
    def may_share_with(self, beneficiary_id: str, recipient: str, on: str) -> bool:
        """Whether the beneficiary's consent covers sharing with that recipient on that day."""
        return (
            Cases(self.store).load(beneficiary_id).may_share_with(recipient, date.fromisoformat(on))
        )

    @rpc
    @rejects_bad_commands
    def record_service(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.RecordServiceSchema, case.RecordService, command, context, self._staff
        )

    @rpc
    @rejects_bad_commands
    def record_consent(self, command: dict, context: dict) -> dict:
        return self._run(contract.RecordConsentSchema, case.RecordConsent, command, context)

    @rpc
    @rejects_bad_commands
    def withdraw_consent(self, command: dict, context: dict) -> dict:
        return self._run(contract.WithdrawConsentSchema, case.WithdrawConsent, command, context)

    @rpc
    @rejects_bad_commands
    def close_case(self, command: dict, context: dict) -> dict:
        return self._run(contract.CloseCaseSchema, case.CloseCase, command, context)

    @rpc
    @rejects_bad_commands
    def record_follow_up(self, command: dict, context: dict) -> dict:
        return self._run(contract.RecordFollowUpSchema, case.RecordFollowUp, command, context)

    @rpc
    @rejects_bad_commands
    def reopen_case(self, command: dict, context: dict) -> dict:
        return self._run(contract.ReopenCaseSchema, case.ReopenCase, command, context)

    @rpc
    @rejects_bad_commands
    def transfer_case(self, command: dict, context: dict) -> dict:
        result = self._run(contract.TransferCaseSchema, case.TransferCase, command, context)
        if not result[
            "duplicate"
        ]:  # the receiving centre should know if the person may already be there
            result["warnings"] = self.registries.possible_duplicates_at(
                command["beneficiary_id"], command["to_site"]
            )
        return result

    @rpc
    @rejects_bad_commands
    def record_needs_assessment(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.RecordNeedsAssessmentSchema, plan.RecordNeedsAssessment, command, context
        )

    @rpc
    @rejects_bad_commands
    def open_action_plan(self, command: dict, context: dict) -> dict:
        return self._run(contract.OpenActionPlanSchema, plan.OpenActionPlan, command, context)

    @rpc
    @rejects_bad_commands
    def add_action_step(self, command: dict, context: dict) -> dict:
        return self._run(contract.AddActionStepSchema, plan.AddActionStep, command, context)

    @rpc
    @rejects_bad_commands
    def mark_step_done(self, command: dict, context: dict) -> dict:
        return self._run(contract.MarkStepDoneSchema, plan.MarkStepDone, command, context)

    @rpc
    @rejects_bad_commands
    def close_action_plan(self, command: dict, context: dict) -> dict:
        return self._run(contract.CloseActionPlanSchema, plan.CloseActionPlan, command, context)
