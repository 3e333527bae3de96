"""The DPO's review of identities no worker is told of: people registered again at another centre
under a number the registry holds (a site record linked to their regional record, with the keys
typed otherwise), and records of different networks with the same name and birth date."""

from __future__ import annotations

from contracts import api as api_contract
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api.framework import Call, Routes

api = Routes()


@api.route(
    "GET",
    "/identity-reviews",
    "Site records linked to a person's regional record, and possible duplicates across "
    "networks (DPO; ids and sites only; audited per person)",
    tag="beneficiaries",
    allow=access.review_identities,
    answers=api_contract.IdentityReviews,
)
def reviews(call: Call):
    found = call.backends.registries.identity_reviews()
    people = {r["beneficiary_id"] for r in found["site_records"]}
    people |= {r["linked_to"] for r in found["site_records"]}
    people |= {b for d in found["possible_duplicates"] for b in d["records"]}
    for beneficiary_id in sorted(people):  # who was registered where is about the person
        call.backends.audit.record_viewed(
            call.principal, beneficiary_id, ["identity"], None, False, purpose="audit"
        )
    return found
