"""The staff API (/api/v1): importing this package registers every route."""

from services.portal_gateway.entrypoints.api import (  # noqa: F401
    auth,
    beneficiaries,
    cases,
    ingest,
    openapi,
    referrals,
    registry,
    reports,
    sync,
)
