"""The OpenAPI document fuzzed with schemathesis against the running gateway: whatever a client
sends, valid by the schema or not, as a case worker or with no token, the answer is never a 5xx,
and it is what the document says: a documented status, a documented media type and a body valid
against the schema documented for that status."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# per operation, mode and identity: ~60 operations x 2 modes x 2 identities, a few minutes on CI
EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_no_input_makes_the_gateway_fail_or_answer_otherwise_than_its_document_says(gateway):
    beneficiary = gateway.register("kalamata.worker", "MU-KALAMATA")
    schema = schemathesis.openapi.from_url(f"{gateway.base}/api/v1/openapi.json")
    identities = {
        "case worker": {"Authorization": f"Bearer {gateway.client('kalamata.worker').token}"},
        "nobody": {},
    }
    # logging out ends the session it is called with: it gets a session of its own, so the case
    # worker's stays open for every other operation
    leaving = {"Authorization": f"Bearer {gateway.client('kalamata.worker').token}"}
    session, failures, calls = requests.Session(), [], [0]

    def fuzz(operation, mode, who: str, headers: dict) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def probe(case):
            if "beneficiary_id" in (case.path_parameters or {}) and calls[0] % 2:
                case.path_parameters["beneficiary_id"] = beneficiary  # a real one, half the time
            response = case.call(
                base_url=f"{gateway.base}/api/v1", session=session, headers=headers
            )
            calls[0] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup) as exc:  # schemathesis's, said in words
                failures.append(
                    f"{who} {mode.value} {case.method} {case.formatted_path}: "
                    f"{response.status_code} {str(exc)[:600]}"
                )

        probe()

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for who, headers in identities.items():
                if operation.path == "/auth/logout" and headers:
                    headers = leaving
                fuzz(operation, mode, who, headers)
    assert calls[0] > 400
    assert failures == []
