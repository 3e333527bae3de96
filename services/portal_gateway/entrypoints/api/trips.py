"""A mobile unit's trip: the day's work downloaded before going offline (contracts/api.py `Trip`),
what the device works on until its sync (api/sync.py), under one `trip_id` and one window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from marshmallow import fields, validate

from contracts import api as api_contract
from contracts.base import StrictSchema
from contracts.directory import NEEDS
from contracts.intake import CHANNELS, ISCED, LABOUR_STATUS, SERVICES
from contracts.registries import GENDERS, MUNICIPALITY_CODE
from contracts.vocabulary import VULNERABLE_GROUPS
from services.portal_gateway.application import trips
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes, forbidden
from services.portal_gateway.entrypoints.web.i18n import labeller
from services.portal_gateway.entrypoints.web.names import Names

api = Routes()

CONTRACT = f"""The people of the municipalities the worker's site serves (or of those asked, each
served by the site) whom the worker may see now, registered or met there, most recently met first,
at most {trips.MOST_PEOPLE}; each downloaded person is audited (purpose `offline_download`). Never
the needs assessment (special-category data): a device may be lost. `case.version` is the
`base_version` of every sync command of this trip on that person, `trip_id` the batches'
`trip_id`; `expires_at` is the end of the sync's offline window (KENTRA_OFFLINE_DAYS), after which
work recorded on this download is refused. Labels are Greek unless Accept-Language asks for
English."""

VOCABULARIES = {
    "channels": CHANNELS,
    "services": SERVICES,
    "needs": NEEDS,
    "vulnerable_groups": VULNERABLE_GROUPS,
    "labour_status": LABOUR_STATUS,
    "education": ISCED,
    "genders": GENDERS,
}


class TripBody(StrictSchema):
    municipalities = fields.List(
        fields.String(validate=MUNICIPALITY_CODE),
        validate=validate.Length(min=1, max=50),
        metadata={"description": "codes of municipalities the site serves (default: all of them)"},
    )


@api.route(
    "POST",
    "/trips",
    "Download the day's work for a mobile unit's trip",
    body=TripBody,
    tag="mobile unit",
    allow=access.is_staff,
    answers=api_contract.Trip,
    description=CONTRACT,
)
def trip(call: Call):
    sites = call.backends.registries.network()["sites"]
    site = next((s for s in sites if s["site"] == call.principal.site), None)
    if site is None:  # an account of a site the network registry no longer lists serves nothing
        raise forbidden()
    served = trips.served(site)
    asked = sorted(set(call.body.get("municipalities") or served))
    if not_served := [m for m in asked if m not in served]:
        said = f"not a municipality your site serves: {', '.join(not_served)}"
        raise ApiError(422, "trip_not_served", {"municipalities": [said]}, "rule_violated")
    now = datetime.now(UTC)
    names = Names(call.lang)  # a municipality's name as every page names it
    label = labeller(call.lang)
    return {
        "trip_id": str(uuid.uuid4()),
        "downloaded_at": now.isoformat(),
        # one knob with the sync's window: work recorded on this download is taken until then
        "expires_at": (now + timedelta(days=call.backends.offline_days)).isoformat(),
        "site": site["site"],
        "site_name": site.get("name"),
        "staff_id": call.principal.username,
        "municipalities": [{"code": m, "name": names.municipality(m)} for m in asked],
        "people": trips.people(call.backends, call.principal, asked),
        "recipients": trips.recipients(call.backends, sites),
        "choices": {
            name: [{"code": code, "label": label(code)} for code in codes]
            for name, codes in VOCABULARIES.items()
        },
    }
