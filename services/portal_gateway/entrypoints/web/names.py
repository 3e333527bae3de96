"""Names, not codes, on every page: a site by its name in the network registry, a municipality by
its name (contracts/geography), a member of staff by their name in the network registry (or their
account's display name), an agency or programme by its name in the directory. The templates use
them as filters (`{{ ref.from_site | site_name }}`, `{{ code | municipality_name }}`,
`{{ s.actor | staff_name }}`, `{{ id | agency_name }}`), and a value of unknown kind with
`{{ value | shown(field) }}`; each registry is asked at most once per page, and only if the page
names something from it. A code no registry knows is shown as it is."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from jinja2 import pass_context

from contracts.geography import municipalities
from services.common.clock import GREECE
from services.portal_gateway.entrypoints.web.i18n import WORDS, labeller, translator

SITE_PREFIXES = ("KK-", "MU-")  # a centre's and a mobile unit's codes (contracts/network)
REGION = "KK-REGION"  # what the region's own staff (coordinator, DPO, ops) record as their site
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# the form's label (a WORDS key) of each field a refusal may name, where the two differ
FIELD_WORDS = {
    "municipality_code": "municipality",
    "given_on": "occurred_on",
    "opened_on": "occurred_on",
    "requested_on": "occurred_on",
    "received_on": "occurred_on",
    "accepted_on": "occurred_on",
    "rejected_on": "occurred_on",
    "completed_on": "occurred_on",
    "sent_on": "occurred_on",
    "closed_on": "occurred_on",
    "followed_up_on": "occurred_on",
    "done_on": "occurred_on",
    "goals": "goal",
    "description": "step",
    "recipient_id": "recipient",
    "recipient_kind": "recipient",
    "agency_id": "recipient",
    "from_site": "site",
    "staff_id": "who",
    "expected_version": "field_version",
    "command_id": "field_form",
    "shares_personal_data": "shares",
    "improved_situation": "improved",
    "employed": "employed_now",
    "details": "emergency_details",
    "name": "publisher_name",
    "q": "search_hint",
    "assessed_on": "occurred_on",
    "expired_on": "occurred_on",
    "reopened_on": "occurred_on",
    "stopped_on": "occurred_on",
    "transferred_on": "occurred_on",
    "withdrawn_on": "occurred_on",
    "by": "who",
    "decided_by": "who",
    "requested_by": "who",
    "consent_recipient": "recipient",
    "to_site": "site",
}


class Names:
    """The names one page shows, each registry read lazily and once."""

    def __init__(
        self,
        lang: str,
        sites: Callable[[], list[dict]] = list,
        accounts: Callable[[], dict[str, str]] = dict,
        agencies: Callable[[], list[dict]] = list,
    ):
        self.lang = lang
        self._sites, self._accounts, self._agencies = sites, accounts, agencies

    @functools.cached_property
    def sites(self) -> dict[str, dict]:
        return {s["site"]: s for s in _quietly(self._sites, [])}

    @functools.cached_property
    def staff(self) -> dict[str, str]:
        named = {
            s["staff_id"]: s["name"] for site in self.sites.values() for s in site.get("staff", [])
        }
        # an account's display name is how its holder is addressed: it wins over the registry's
        return {**named, **_quietly(self._accounts, {})}

    @functools.cached_property
    def agencies(self) -> dict[str, str]:
        return {a["agency_id"]: a["name"] for a in _quietly(self._agencies, [])}

    def site(self, code: str | None) -> str:
        if not code:
            return ""
        if code == REGION:
            return translator(self.lang)("region")
        found = self.sites.get(code)
        return found["name"] if found else code

    def municipality(self, code: str | None) -> str:
        found = municipalities().get(code or "")
        if found is None:
            return code or ""
        return found.name_el if self.lang == "el" else found.name_en

    def person(self, username: str | None) -> str:
        return self.staff.get(username or "", username or "")

    def agency(self, agency_id: str | None) -> str:
        return self.agencies.get(agency_id or "", agency_id or "")

    def code(self, part: str) -> str:
        """A site's or municipality's code inside a message, by its name (anything else as it
        is): the registry is read only for what looks like a site's code."""
        if part.startswith(SITE_PREFIXES):
            return self.site(part)
        if part in municipalities():
            return self.municipality(part)
        return part


def _quietly(source: Callable, empty: Any) -> Any:
    """A registry that does not answer leaves the codes on the page, never a failed page."""
    try:
        return source()
    except Exception:
        return empty


def _names(context) -> Names:
    return context.get("names") or Names(context.get("lang", "el"))


@pass_context
def site_name(context, code: str | None) -> str:
    return _names(context).site(code)


@pass_context
def municipality_name(context, code: str | None) -> str:
    return _names(context).municipality(code)


@pass_context
def staff_name(context, username: str | None) -> str:
    return _names(context).person(username)


@pass_context
def agency_name(context, agency_id: str | None) -> str:
    return _names(context).agency(agency_id)


@pass_context
def field_label(context, field: str) -> str:
    """A field a refusal names, by its label on the form (`given_name` -> Όνομα)."""
    key = FIELD_WORDS.get(field, field)
    return translator(context.get("lang", "el"))(key) if key in WORDS else field


def _in_athens(value) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # the stores' instants are UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(GREECE)


def when(value: str | None) -> str:
    """An instant (ISO 8601) as dd/mm/yyyy HH:MM in Athens."""
    return _in_athens(value).strftime("%d/%m/%Y %H:%M") if value else ""


def day(value: str | None) -> str:
    """A date (ISO 8601) as dd/mm/yyyy; an instant by its day in Athens."""
    if not value:
        return "—"
    if ISO_MOMENT.match(str(value)):
        return _in_athens(value).strftime("%d/%m/%Y")
    return date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")


@pass_context
def shown(context, value: Any, field: str = "") -> str:
    """A value of a record's data, whatever its kind: a date as dd/mm/yyyy, an instant in Athens,
    a site, municipality or staff member by name, a code by its label, a list item by item."""
    names = _names(context)
    if isinstance(value, list):
        return " ".join(shown(context, v, field) for v in value)
    if isinstance(value, bool):
        return translator(names.lang)("yes" if value else "no")
    if not isinstance(value, str):
        return "" if value is None else str(value)
    if ISO_MOMENT.match(value):
        return when(value)
    if ISO_DAY.fullmatch(value):
        return day(value)
    if field.endswith("municipality_code") or field == "partner_municipalities":
        return names.municipality(value)
    if field in ("site", "from_site", "to_site", "registered_at") or value.startswith(
        SITE_PREFIXES
    ):
        return names.site(value)
    if field in ("staff_id", "actor", "by", "holder", "decided_by", "requested_by"):
        return names.person(value)
    if field in ("recipient_id", "agency_id"):
        return names.agency(value)
    return labeller(names.lang)(value)


# what a refusal's details may carry that tells a person nothing: the stream's id, the version
SILENT_DETAILS = {"stream", "current_version"}


@pass_context
def problems(context, details: Any) -> list[str]:
    """A refusal's details as a person reads them: "Label: what is wrong" per field (a list's
    items, a nested field's by its own label), facts by name (a site, a municipality)."""
    if not isinstance(details, dict):
        return [shown(context, details)] if details else []
    found = []
    for field, problem in details.items():
        if field in SILENT_DETAILS:
            continue
        if isinstance(problem, dict):
            found += [f"{field_label(context, field)}: {p}" for p in problems(context, problem)]
        else:
            found.append(f"{field_label(context, field)}: {shown(context, problem, field)}")
    return found


FILTERS = {
    "problems": problems,
    "site_name": site_name,
    "municipality_name": municipality_name,
    "staff_name": staff_name,
    "agency_name": agency_name,
    "field_label": field_label,
    "shown": shown,
    "when": when,
    "day": day,
}
