"""The portal's half of the referral loop: on the record, recipients picked by name from the
proposals for the chosen need (where the person lives, as far as they are eligible) and consent
given to a recipient of the registry; the inbox a page at a time, filtered, with the person's name
where the caller may see it; each step confirmed. Recipients are registry ids: a typed name only
for one outside the registry ("other")."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from contracts.directory import NEEDS
from contracts.names import REFERRAL_ACCEPTED, REFERRAL_COMPLETED, REFERRAL_REJECTED
from contracts.referrals import OUTCOMES, STATES
from services.common.clock import today_in_greece
from services.portal_gateway.domain import access

REGISTRY_KINDS = ("agency", "programme", "centre")  # a recipient picked from the registries
OTHER = "other"  # outside the registry: the one recipient named by typed words
# what each step's confirmation says (a key of the words, never words taken from the address)
CONFIRMATIONS = {
    "consents": "consent_saved",
    "referrals": "referral_requested",
    "sending": "referral_sent",
    "receipt": "referral_acknowledged",
    "acceptance": "referral_accepted",
    "rejection": "referral_rejected",
    "completion": "referral_completed",
}
DIRECTORY = {"agency": ("/agencies", "agency_id"), "programme": ("/programmes", "programme_id")}
ANSWERS = {REFERRAL_ACCEPTED: "accepted", REFERRAL_REJECTED: "rejected"}


def local_path(target: str | None, fallback: str) -> str:
    """Where a form may send the browser next: a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def age_on(birth_date: str | None, on: date) -> int | None:
    if not birth_date:
        return None
    born = date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def answer_of(referral: dict) -> dict | None:
    """What the recipient answered, from the referral's steps: accepted (when), rejected (when,
    why) or completed (when, the outcome, its notes)."""
    found = None
    for step in referral.get("steps", []):
        data, personal = step["data"], step.get("personal") or {}
        if step["type"] in ANSWERS:
            found = {
                "state": ANSWERS[step["type"]],
                "on": data.get("accepted_on") or data.get("rejected_on"),
                "reason": personal.get("reason"),
            }
        if step["type"] == REFERRAL_COMPLETED:
            found = {
                "state": "completed",
                "on": data["completed_on"],
                "outcome": data["outcome"],
                "notes": personal.get("notes"),
            }
    return found


class ReferralPages:
    """Mixed into pages.Page, whose plumbing these are."""

    gateway: Any
    request: Any
    principal: Any
    t: Any
    api: Any
    render: Any
    redirect: Any
    form: Any
    wait_until_shown: Any

    # --- on the record --------------------------------------------------------------------
    def referral_choices(self, record: dict, values: dict) -> dict:
        """The record page's referral and consent forms: the need chosen (a GET of the page with
        ?need= re-filters), the proposals for it, the centres, and every registry recipient a
        consent may name."""
        need = values.get("need") or self.request.args.get("need")
        need = need if need in NEEDS else NEEDS[0]
        registered = record["registered"]
        assessment = record.get("assessment") or {}
        query = {
            "need": need,
            "municipality": registered.get("municipality_code") or "",
            "groups": ",".join(assessment.get("groups") or []),
        }
        age = age_on(registered.get("birth_date"), today_in_greece())
        if age is not None:
            query["age"] = str(age)
        _, proposed = self.api("GET", "/referrals/proposals", query=query)
        _, found = self.api("GET", "/agencies")
        agencies = sorted(found.get("agencies", []), key=lambda a: a["name"])
        return {
            "need": need,
            # the referral form stays open on the page that re-filters its proposals
            "need_asked": "need" in self.request.args,
            "proposals": proposed.get("proposals", []),
            "centres": [s for s in self.sites() if s["kind"] == "centre"],
            "consent_recipients": [(a["agency_id"], a["name"]) for a in agencies],
            "confirmation": CONFIRMATIONS.get(self.request.args.get("done", "")),
            "answers": {r["referral_id"]: answer_of(r) for r in record.get("referrals", [])},
        }

    def sites(self) -> list[dict]:
        """The network's sites by name: the gateway's cached list, the one the name filters read,
        rather than another call to the registry for every page."""
        return sorted(self.gateway.sites.get(self.gateway.registries), key=lambda s: s["name"])

    def referral_command(self, body: dict) -> dict:
        """The form's choice as the command's recipient: `kind:id` of the registries (named as
        they name it), or "other" with the code and name typed for an agency outside it."""
        kind, _, recipient_id = body.pop("recipient", "").partition(":")
        if kind == OTHER:
            return {**body, "recipient_kind": "external"}
        for typed in ("recipient_id", "recipient_name"):
            body.pop(typed, None)
        if kind not in REGISTRY_KINDS:
            return body  # the contract names the missing recipient
        return {
            **body,
            "recipient_kind": kind,
            "recipient_id": recipient_id,
            "recipient_name": self.registry_name(kind, recipient_id) or recipient_id,
        }

    def registry_name(self, kind: str, recipient_id: str) -> str | None:
        if kind == "centre":
            return {s["site"]: s["name"] for s in self.sites()}.get(recipient_id)
        path, key = DIRECTORY[kind]
        _, listed = self.api("GET", path)
        return {r[key]: r["name"] for r in listed.get(path[1:], [])}.get(recipient_id)

    # --- the inbox ------------------------------------------------------------------------
    def inbox(self, status: int = 200, **failed):
        args = self.request.args
        query = {k: args[k] for k in ("state", "due_by", "page") if args.get(k)}
        if args.get("overdue"):
            query["overdue"] = "true"
        code, body = self.api("GET", "/referrals/inbox", query=query)
        total, per_page = body.get("total", 0), body.get("per_page", 20)
        pages = max(1, -(-total // per_page))
        page = body.get("page", 1)
        filters = {k: v for k, v in query.items() if k != "page"}
        referrals = body.get("referrals", [])
        return self.render(
            "inbox.html",
            status if status != 200 else code,
            referrals=referrals,
            may_answer={
                r["referral_id"]: access.answer_referral(self.principal, r) for r in referrals
            },
            states=[s for s in STATES if s != "requested"],
            filters=filters,
            total=total,
            page=page,
            pages=pages,
            previous=f"/inbox?{urlencode({**filters, 'page': page - 1})}" if page > 1 else None,
            next=f"/inbox?{urlencode({**filters, 'page': page + 1})}" if page < pages else None,
            outcomes=OUTCOMES,
            today=today_in_greece().isoformat(),
            confirmation=CONFIRMATIONS.get(args.get("done", "")),
            error=failed.pop("error", None) or body.get("error"),
            **failed,
        )

    def referral_step(self, referral_id: str, step: str):
        values = self.form()
        status, answer = self.api(
            "POST",
            f"/referrals/{referral_id}/{step}",
            {**values, "command_id": values.get("command_id") or str(uuid.uuid4())},
        )
        back = local_path(self.request.form.get("back"), "/inbox")
        on_record = back.startswith("/beneficiaries/")
        if status != 200 and on_record:
            beneficiary_id = back.split("/")[2]
            return self.beneficiary(  # type: ignore[attr-defined]
                beneficiary_id,
                status,
                failed=f"referral-{referral_id}",
                values=values,
                error=answer.get("error"),
                fields=answer.get("details") or {},
            )
        if status != 200:
            return self.inbox(
                status,
                error=answer.get("error"),
                fields=answer.get("details") or {},
                failed=referral_id,
                values=values,
            )
        self.wait_until_shown("referrals", answer)
        return self.redirect(f"{back}{'&' if '?' in back else '?'}done={step}")
