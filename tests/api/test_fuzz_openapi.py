"""Schemathesis fuzzes every API operation from the OpenAPI document, with valid and invalid
data: no answer may be a 500, have an undocumented status, or be shaped unlike the document."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_breaks_the_api(
    client: CheckedClient, login: Login, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = login("admin")
    # logging out would end the very session the fuzzer signs its requests with
    api = schema.include(path_regex="^/api/").exclude(path="/api/v1/auth/logout")
    operations = [r.ok() for r in api.get_all_operations()]
    assert len(operations) >= 10
    fuzzed: list[str] = []

    for operation in operations:
        raw = operation.definition.raw
        if mode is GenerationMode.NEGATIVE and not (
            raw.get("parameters") or raw.get("requestBody")
        ):
            continue  # nothing to get wrong: no parameter, no body

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            fuzz()
        except Unsatisfiable:
            # every parameter accepts any string (a path id, say): no invalid request exists
            assert mode is GenerationMode.NEGATIVE, operation.label
            continue
        fuzzed.append(operation.label)
    assert len(fuzzed) >= 5, fuzzed
