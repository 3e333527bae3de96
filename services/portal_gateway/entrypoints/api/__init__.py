"""The staff API (/api/v1): every route, listed here module by module in the order the OpenAPI
document shows them. A new module's routes appear only when added to this list."""

from services.portal_gateway.entrypoints.api import (
    auth,
    beneficiaries,
    cases,
    data_protection,
    emergency,
    identity,
    ingest,
    merge_requests,
    my_day,
    openapi,
    operations,
    publishers,
    referrals,
    registry,
    reports,
    subject_rights,
    sync,
    trips,
)
from services.portal_gateway.entrypoints.api.framework import Route

ROUTES: list[Route] = [
    *auth.api.routes,
    *beneficiaries.api.routes,
    *merge_requests.api.routes,
    *emergency.api.routes,
    *subject_rights.api.routes,
    *identity.api.routes,
    *data_protection.api.routes,
    *my_day.api.routes,
    *cases.api.routes,
    *referrals.api.routes,
    *trips.api.routes,
    *sync.api.routes,
    *ingest.api.routes,
    *publishers.api.routes,
    *registry.api.routes,
    *reports.api.routes,
    *operations.api.routes,
    *openapi.api.routes,
]
