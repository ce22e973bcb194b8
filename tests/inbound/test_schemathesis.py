"""Schemathesis drives every operation in /api/v1/openapi.json with generated requests and a
key holding every scope: none may answer 500, and every error is the envelope."""

from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from sqlalchemy.orm import Session

from notify.apikeys.service import API_SCOPES
from tests.support.builders import HOME, bearer, create_api_client

# Per operation and mode; the document has about a dozen operations, so this bounds the run
# to a few hundred calls.
EXAMPLES = 10


def test_no_operation_answers_500_to_any_generated_request(app: Flask, db_session: Session) -> None:
    # Our own authority's key: placements:write is ours alone, and with it the children's
    # operations are driven in depth (another council's key is refused them at once).
    key = create_api_client(db_session, authority=HOME, scopes=API_SCOPES)
    # Loaded inside the test: schemathesis's pytest fixture loader does not run on pytest 9.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert any(op.path == "/api/v1/inbound-notices" for op in operations)

    # Positive: requests the document allows; negative: requests it forbids.
    for operation, mode in (
        (op, mode)
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def answers_without_a_server_error(case: Any) -> None:
            response = case.call(headers=bearer(key))
            label = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, (label, response.text)
            if response.status_code >= 400:
                error = response.json()["error"]
                assert error["status"] == response.status_code, label

        answers_without_a_server_error()
