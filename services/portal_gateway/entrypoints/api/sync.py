"""Mobile-unit sync: commands recorded offline, applied in order, each reported as applied,
already applied, conflict (with what changed meanwhile, for the worker to decide) or refused, in
one shape (contracts/api.py `Synced`). Nothing recorded offline is silently lost: a conflict is
never resolved by last-write-wins."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from contracts.referrals import RequestReferralSchema
from contracts.registries import RegisterBeneficiarySchema
from services.common.rpc_commands import CommandRejected
from services.portal_gateway.application.people import person_facts
from services.portal_gateway.domain import access, offline
from services.portal_gateway.entrypoints.api import beneficiaries, referrals
from services.portal_gateway.entrypoints.api.cases import ACTIONS, run_case_command
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes
from services.portal_gateway.entrypoints.web.emergency_pages import when
from services.portal_gateway.entrypoints.web.i18n import translator
from services.portal_gateway.entrypoints.web.messages import translated, translated_details
from services.portal_gateway.entrypoints.web.names import Names

KINDS = ("beneficiaries", "referrals", *ACTIONS)

CONTRACT = """One batch of a device's outbox, applied in its order; each command answers in one shape
(`Synced`), so a batch can be sent again as it is after a lost answer.

Versions: `base_version` is the version of the stream the worker saw before going offline (the
day's download, or the `version` an earlier sync answered). Every command the device records
offline on that person carries the same base: the commands of one trip (`trip_id`, made by the
device once per downloaded day's work) chain on each other, within a batch and across batches,
so a day of work on one person never conflicts with itself. Anything anyone else recorded on the
stream after the base (a colleague at the centre, a municipal system) makes the command a
`conflict`: nothing is recorded or overwritten, and `current` shows what changed, field by field.

Offline times: `occurred_at` is when the worker recorded it; a time more than 5 minutes ahead of
the platform's clock, or older than the trip's window (KENTRA_OFFLINE_DAYS, 7 days by default),
is refused (`rule_violated`, details.rule `offline_time_in_future` / `offline_time_too_old`),
unless it is a replay of a command applied in time: that is `already_applied`."""


api = Routes()


class OfflineCommand(StrictSchema):
    command_id = fields.String(required=True, validate=validate.Length(min=8, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    beneficiary_id = fields.UUID(required=True)
    base_version = fields.Integer(
        required=True,
        validate=validate.Range(min=0),
        metadata={
            "description": "the version the worker saw before going offline, the same for every"
            " command of the trip on that stream (the trip's own commands chain on it): of the"
            " beneficiary's case stream (case-<beneficiary_id>) for a case command, of the"
            " referral's stream for a referral (0: a new one); unused for a registration"
        },
    )
    occurred_at = fields.AwareDateTime(
        required=True,
        metadata={
            "description": "when it was recorded, offline: not in the future (5 minutes of"
            " clock drift tolerated), not older than the trip's window"
        },
    )
    fields_ = api_contract.command_fields(
        {
            "beneficiaries": RegisterBeneficiarySchema,
            "referrals": RequestReferralSchema,
            **{kind: schema for kind, (_, schema, _) in ACTIONS.items()},
        },
        filled=("by", "consent_recipient"),  # a referral's: the gateway's
    )


class Batch(StrictSchema):
    trip_id = fields.String(
        required=True,
        validate=validate.Length(min=8, max=100),
        metadata={
            "description": "made by the device once per downloaded day's work (a UUID), the same"
            " in every batch of that trip: the commands of one trip by one worker chain"
        },
    )
    commands = fields.List(
        fields.Nested(OfflineCommand), required=True, validate=validate.Length(min=1, max=500)
    )


@api.route(
    "POST",
    "/sync",
    "Apply commands recorded offline by a mobile unit, in order, idempotently",
    body=Batch,
    tag="mobile unit",
    allow=access.is_staff,
    answers=api_contract.SyncResults,
    description=CONTRACT,
)
def sync(call: Call):
    batch = Batch().load(call.body)
    now = datetime.now(UTC)
    # a conflict names who recorded meanwhile and where: the registries read once a batch, if ever
    names = Names(
        call.lang,
        sites=lambda: call.backends.registries.network()["sites"],
        accounts=lambda: call.backends.accounts.display_names(),
    )
    return {"results": [_apply(call, batch["trip_id"], c, now, names) for c in batch["commands"]]}


def _apply(call: Call, trip: str, c: dict, now: datetime, names: Names) -> dict:
    late = offline.outside_the_window(c["occurred_at"], now, call.backends.offline_days)
    if late is not None and (version := _applied_in_time(call, c)) is not None:
        return {"command_id": c["command_id"], "status": "already_applied", "version": version}
    if late is not None:
        said = translator(call.lang)(late).format(
            when=_shown(c["occurred_at"]), days=call.backends.offline_days
        )
        return _refused(c, "rule_violated", said, {"field": "occurred_at", "rule": late})
    beneficiary_id = str(c["beneficiary_id"])
    command = {**c["fields_"], "command_id": c["command_id"], "beneficiary_id": beneficiary_id}
    # the trip is the commands' correlation: what lets intake chain the trip's own work
    context = {
        **call.principal.context,
        "occurred_at": c["occurred_at"].isoformat(),
        "correlation_id": trip,
    }
    acting = _Acting(call.principal, context)
    offline_call = Call(
        call.args, command, call.query, acting, call.backends, call.client, call.lang
    )
    try:
        answer = _run(offline_call, c, command)
    except CommandRejected as exc:
        stale = exc.code == "conflict" and "current_version" in exc.details
        if stale and c["kind"] in ACTIONS:
            return _conflict(call, c, exc.details["current_version"], names)
        return _refused(c, exc.code, _said(call, exc), translated_details(exc.details, call.lang))
    except ApiError as exc:
        return _refused(c, exc.code, exc.said(call.lang), exc.details)
    status = "already_applied" if answer["duplicate"] else "applied"
    return {"command_id": c["command_id"], "status": status, "version": answer["version"]}


def _applied_in_time(call: Call, c: dict) -> int | None:
    """The version an outbox's command was applied at, when it was (a replay after its answer
    was lost, arriving after the window): said only about a person the worker may act on."""
    beneficiary_id = str(c["beneficiary_id"])
    if c["kind"] == "beneficiaries":
        backend, stream = call.backends.registries, f"beneficiary-{beneficiary_id}"
    elif not access.act_on_case(
        call.principal, person_facts(call.backends, beneficiary_id), None
    ).allowed:
        return None  # refused below like any late command: no oracle
    elif c["kind"] == "referrals":
        referral_id = c["fields_"].get("referral_id")
        backend, stream = call.backends.referrals, f"referral-{referral_id}"
    else:
        backend, stream = call.backends.intake, f"case-{beneficiary_id}"
    return backend.recorded_version(c["command_id"], stream)


def _shown(moment: datetime) -> str:
    """The moment as the worker reads it, in Athens; the calendar's ends stay as they were sent."""
    try:
        return when(moment.isoformat())
    except OverflowError:
        return moment.isoformat()


def _run(offline_call: Call, c: dict, command: dict) -> dict:
    if c["kind"] == "beneficiaries":
        return beneficiaries.register(offline_call)
    versioned = {**command, "expected_version": c["base_version"]}
    if c["kind"] == "referrals":
        offline_call.body = versioned
        return referrals.request(offline_call)
    return run_case_command(offline_call, ACTIONS[c["kind"]][0], versioned)


def _said(call: Call, exc: CommandRejected) -> str:
    """A service's refusal in the reader's language: the contract's as the API says it (details
    name the fields), a rule's through the services' message catalogue."""
    if exc.code == "invalid":
        return translator(call.lang)("api_contract")
    return translated(exc.message, call.lang)


def _refused(c: dict, code: str, error: str, details=None) -> dict:
    found = {"command_id": c["command_id"], "status": "refused", "code": code, "error": error}
    return {**found, "details": details} if details else found


def _conflict(call: Call, c: dict, version: int, names: Names) -> dict:
    """What was recorded since the client's version, for the worker to decide on: only about a
    person they may act on (an id of another network's person, or one that collides with it, is
    refused like any of their commands), and audited as a read."""
    beneficiary_id = str(c["beneficiary_id"])
    decision = access.act_on_case(call.principal, person_facts(call.backends, beneficiary_id), None)
    if not decision.allowed:  # as every refusal on a person: the same audited 404
        refusal = beneficiaries.refused(call, beneficiary_id, "sync_conflict")
        return _refused(c, refusal.code, refusal.said(call.lang))
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["contacts"], None, False, purpose="sync_conflict"
    )
    history = call.backends.intake.case_history(beneficiary_id, c["base_version"])
    said = translator(call.lang)("sync_conflict").format(base=c["base_version"], version=version)
    return {
        "command_id": c["command_id"],
        "status": "conflict",
        "version": version,
        "code": "conflict",
        "error": said,
        "current": [_changed(e, names) for e in history],
    }


def _changed(event: dict, names: Names) -> dict:
    """An event of the case as the record shows it: its public fields, who, where and when."""
    metadata = event["metadata"]
    site, actor = metadata.get("site"), metadata.get("actor")
    return {
        "version": event["version"],
        "type": event["type"],
        "occurred_at": metadata.get("occurred_at") or event.get("recorded_at"),
        "site": site,
        "site_name": names.site(site) if site else None,
        "actor": actor,
        "actor_name": names.person(actor) if actor else None,
        "fields": event["data"],
    }


class _Acting:
    """The worker as they were when offline: same rights, their own moment in the metadata."""

    def __init__(self, principal, context: dict):
        self._principal, self.context = principal, context

    def __getattr__(self, name):
        return getattr(self._principal, name)
