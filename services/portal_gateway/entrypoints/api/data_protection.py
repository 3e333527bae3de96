"""What the DPO's home, audit and erasure pages ask beyond the audit itself: the person a request
is about, found by AMKA or name (each record listed audited); how many identity reviews
wait (counts only, so no person is read), the recent erasures (from the timeline: ids and when,
nothing else is left), and whom a record names, to head its audit or confirm its erasure (a read
of identity, audited)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts import api as api_contract
from contracts.names import PERSONAL_DATA_ERASED
from contracts.registries import SEARCH_LIMIT
from services.portal_gateway.adapters import timeline
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api import beneficiaries
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()

TAG = "beneficiaries"
RECENT = timedelta(days=30)  # the erasures a DPO's home lists


@api.route(
    "GET",
    "/identity-reviews/counts",
    "How many site records and possible duplicates across networks wait for review (DPO;"
    " counts only, no person)",
    tag=TAG,
    allow=access.review_identities,
    answers=api_contract.IdentityReviewCounts,
)
def review_counts(call: Call):
    found = call.backends.registries.identity_reviews()
    return {
        "site_records": len(found["site_records"]),
        "possible_duplicates": len(found["possible_duplicates"]),
    }


@api.route(
    "GET",
    "/erasures",
    "Erasures of the last 30 days, newest first (DPO): whose record (an id: nothing else is"
    " left), when and by whom",
    tag=TAG,
    allow=access.erase,
    answers=api_contract.Erasures,
)
def erasures(call: Call):
    found = timeline.recent(
        call.backends.timeline_db, PERSONAL_DATA_ERASED, datetime.now(UTC) - RECENT
    )
    return {
        "erasures": [
            {"beneficiary_id": e["beneficiary_id"], "at": e["occurred_at"], "by": e["actor"]}
            for e in found
        ]
    }


@api.route(
    "POST",
    "/data-protection/search",
    "Find the person a request is about by AMKA or name (DPO): every record in the region, each"
    " listed audited. A POST, so a name or AMKA is never in a URL",
    body=beneficiaries.SearchBody,
    tag=TAG,
    allow=access.answer_subject_requests,
    answers=api_contract.SearchResults,
)
def search(call: Call):
    """One page of every record found (the DPO reads across networks; the registry answers at
    most SEARCH_LIMIT, so `capped` says when more may exist)."""
    found = []
    hits = call.backends.registries.search(call.body["q"])
    for hit in hits:
        beneficiary_id = hit["beneficiary_id"]
        first = call.backends.registries.beneficiary(beneficiary_id)
        if first is None or first.get("erased"):
            continue
        call.backends.audit.record_viewed(
            call.principal, beneficiary_id, ["identity"], None, False, purpose="audit"
        )
        registered = first["registered"]
        found.append(
            {
                "beneficiary_id": beneficiary_id,
                "given_name": registered.get("given_name"),
                "family_name": registered.get("family_name"),
                "birth_date": registered.get("birth_date"),
                "registered_at": first["site"],
            }
        )
    return {
        "results": found,
        "count": len(found),
        "page": 1,
        "pages": 1,
        "per_page": max(len(found), 1),
        "capped": len(hits) >= SEARCH_LIMIT,
    }


@api.route(
    "GET",
    "/beneficiaries/<uuid:beneficiary_id>/identity",
    "Whom a record names: name, birth date, the centres that registered the person (DPO, to head"
    " an audit or confirm an erasure; audited as a read of identity)",
    tag=TAG,
    allow=access.read_audit,
    answers=api_contract.RecordIdentity,
)
def identity(call: Call):
    beneficiary_id = str(call.args["beneficiary_id"])  # the record the erasure names
    first = call.backends.registries.beneficiary(beneficiary_id)
    if first is None:
        raise ApiError(404, beneficiaries.NO_SUCH_BENEFICIARY)
    call.backends.audit.record_viewed(
        call.principal, beneficiary_id, ["identity"], None, False, purpose="audit"
    )
    records = call.backends.registries.all_records(beneficiary_id)
    registered = first["registered"]
    sites = [found["site"] for r in records if (found := call.backends.registries.beneficiary(r))]
    return {
        "beneficiary_id": beneficiary_id,
        "records": records,
        "given_name": registered.get("given_name"),
        "family_name": registered.get("family_name"),
        "birth_date": registered.get("birth_date"),
        "sites": sorted(set(sites)),
        "erased": bool(first.get("erased")),
    }
