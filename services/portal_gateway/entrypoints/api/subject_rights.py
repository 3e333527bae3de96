"""A person's rights, for the DPO: everything held about them, and who read their file and why."""

from __future__ import annotations

from contracts import api as api_contract
from services.portal_gateway.application import subject_rights
from services.portal_gateway.domain import access
from services.portal_gateway.entrypoints.api import beneficiaries
from services.portal_gateway.entrypoints.api.framework import ApiError, Call, Routes

api = Routes()

TAG = "beneficiaries"


@api.route(
    "GET",
    "/beneficiaries/<uuid:beneficiary_id>/subject-access",
    "Everything the platform holds about this person, as JSON (DPO, GDPR Art. 15; audited)",
    tag=TAG,
    allow=access.answer_subject_requests,
    answers=api_contract.SubjectAccess,
)
def export(call: Call):
    try:
        return subject_rights.export(
            call.backends, call.principal, str(call.args["beneficiary_id"])
        )
    except subject_rights.NoSuchPerson:
        raise ApiError(404, beneficiaries.NO_SUCH_BENEFICIARY) from None


@api.route(
    "GET",
    "/beneficiaries/<uuid:beneficiary_id>/access-report",
    "Who saw this person's file, when, from where and why, emergency grants included "
    "(DPO; audited)",
    tag=TAG,
    allow=access.answer_subject_requests,
    answers=api_contract.AccessReport,
)
def report(call: Call):
    try:
        found = subject_rights.access_report(
            call.backends, call.principal, str(call.args["beneficiary_id"])
        )
    except subject_rights.NoSuchPerson:
        raise ApiError(404, beneficiaries.NO_SUCH_BENEFICIARY) from None
    return {"entries": found}
