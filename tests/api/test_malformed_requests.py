"""Every POST of the API, fed malformed bodies, answers 4xx with the field named; never 500.

The operations are read from the OpenAPI document, so a new endpoint is covered the day it is
added. Each request is signed in as the admin, so validation, not authentication, is what
answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]

WRONG_VALUES: list[Any] = [None, 12345, -1.5, True, [], {}, "", "x" * 5000, "\u0000\ud7ff"]


def post_operations(client: CheckedClient) -> list[tuple[str, dict[str, Any]]]:
    """Every POST that takes a body (a POST without one ignores what it is sent)."""
    document = client.app.openapi()  # type: ignore[attr-defined]
    return [
        (re.sub(r"\{[^/]+\}", "x-1", path), item["post"])
        for path, item in document["paths"].items()
        if "post" in item and "requestBody" in item["post"] and path.startswith("/api/")
    ]


def body_schema(client: CheckedClient, operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    content = operation.get("requestBody", {}).get("content", {})
    for media, spec in content.items():
        schema = spec["schema"]
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = client.app.openapi()["components"]["schemas"][name]  # type: ignore[attr-defined]
        return media, schema
    return "", {}


def malformed_bodies(schema: dict[str, Any]) -> list[Any]:
    properties = list(schema.get("properties", {}))
    bodies: list[Any] = [[], "text", 42, None, {"unknown_field": 1}]
    for name in properties:
        bodies += [{name: value} for value in WRONG_VALUES]
    return bodies


def assert_clear_client_error(answer: Any, what: str) -> None:
    assert 400 <= answer.status_code < 500, f"{what}: {answer.status_code} {answer.text[:200]}"
    body = answer.json()
    assert isinstance(body["detail"], str) and body["detail"], what
    if answer.status_code == 422:
        assert body["errors"] and all(e["field"] for e in body["errors"]), what


def test_the_api_has_post_operations_to_check(client: CheckedClient) -> None:
    paths = {path for path, _ in post_operations(client)}
    assert {"/api/v1/customers", "/api/v1/merges", "/api/v1/users", "/api/v1/auth/token"} <= paths


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b'{"a": [1, 2', b"null"])
def test_bytes_that_are_not_a_json_object_are_refused_everywhere(
    client: CheckedClient, login: Login, raw: bytes
) -> None:
    for path, _ in post_operations(client):
        headers = {**login("admin"), "Content-Type": "application/json"}
        answer = client.post(path, content=raw, headers=headers)
        assert_clear_client_error(answer, f"POST {path} with {raw!r}")


def test_wrong_types_and_unknown_fields_are_refused_field_by_field(
    client: CheckedClient, login: Login
) -> None:
    checked = 0
    for path, operation in post_operations(client):
        media, schema = body_schema(client, operation)
        for body in malformed_bodies(schema):
            if media == "application/x-www-form-urlencoded":
                payload = body if isinstance(body, dict) else {"raw": json.dumps(body)}
                data = {
                    k: json.dumps(v) if not isinstance(v, str) else v for k, v in payload.items()
                }
                answer = client.post(path, data=data, headers=login("admin"))
            else:
                answer = client.post(path, json=body, headers=login("admin"))
            assert_clear_client_error(answer, f"POST {path} with {str(body)[:80]}")
            checked += 1
    assert checked > 100
