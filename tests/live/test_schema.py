"""The service against its own OpenAPI document, by schemathesis: generated requests for every
operation, zero 5xx responses, every response matching its documented status, media type and
schema. ``make fuzz`` runs 1,000+ cases (``POA_KG_SCHEMA_EXAMPLES`` per operation); the suite
runs fewer. (Schemathesis's pytest plugin does not load under pytest 9: the operations are driven
with hypothesis directly.)"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.live, pytest.mark.slow]

EXAMPLES = int(os.environ.get("POA_KG_SCHEMA_EXAMPLES", "6"))
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


def test_every_operation_answers_as_documented(live_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_url}/openapi.json")
    tried: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(timeout=30)
            tried.append(f"{case.method} {case.formatted_path}")
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} {case.query}: {response.status_code} "
                f"{response.text[:300]}"
            )
            case.validate_response(response, checks=CHECKS)

        check()
    print(f"schemathesis: {len(tried)} cases over {len(operations)} operations, no failure")
    assert len(tried) >= len(operations)
