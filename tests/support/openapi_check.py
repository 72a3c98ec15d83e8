"""A test client that validates every JSON response against the app's own OpenAPI document.

Zulip checks each test response against its API description; so do we: a response whose status
is not documented for the operation, or whose body does not match the documented schema, fails
the test that caused it, whatever that test asserts itself.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
from fastapi.testclient import TestClient
from httpx2 import Response


class OpenAPIError(AssertionError):
    pass


# Every test builds its own app, but the apps of one run describe the same API: build each
# description (and each response validator) once per distinct set of routes, not per test
_DOCUMENTS: dict[tuple[Any, ...], dict[str, Any]] = {}
_VALIDATORS: dict[tuple[int, str, str, str], Any] = {}


def _routes_of(app: Any) -> tuple[Any, ...]:
    return tuple(
        (getattr(r, "path", ""), tuple(sorted(getattr(r, "methods", None) or ())),
         getattr(getattr(r, "endpoint", None), "__qualname__", ""))
        for r in app.routes
    )  # fmt: skip


class CheckedClient(TestClient):
    _operations: list[tuple[re.Pattern[str], str, dict[str, Any]]] | None = None
    _document: dict[str, Any] | None = None

    def _load(self) -> None:
        key = _routes_of(self.app)
        document = _DOCUMENTS.get(key)
        if document is None:
            document = _DOCUMENTS[key] = self.app.openapi()  # type: ignore[attr-defined]
        operations = []
        for template, item in document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$")
            for method, operation in item.items():
                operations.append((pattern, method.upper(), operation))
        self._document, self._operations = document, operations

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        self.check(response)
        return response

    def check(self, response: Response) -> None:
        if self._operations is None:
            self._load()
        assert self._operations is not None and self._document is not None
        path, method = response.request.url.path, response.request.method
        operation = next(
            (op for pattern, m, op in self._operations if m == method and pattern.match(path)),
            None,
        )
        if operation is None:
            return  # pages, static files and docs are not part of the API description
        documented = operation.get("responses", {})
        spec = documented.get(str(response.status_code))
        if spec is None:
            raise OpenAPIError(
                f"{method} {path} answered {response.status_code}, not documented "
                f"({', '.join(documented)}): {response.text[:300]}"
            )
        schema = spec.get("content", {}).get("application/json", {}).get("schema")
        if schema is None or not response.content:
            return
        cache_key = (
            id(self._document),
            method,
            path_template(operation),
            str(response.status_code),
        )
        validator = _VALIDATORS.get(cache_key)
        if validator is None:
            validator = _VALIDATORS[cache_key] = jsonschema_rs.validator_for(
                {**schema, "components": self._document.get("components", {})}
            )
        errors = [str(e) for e in validator.iter_errors(response.json())]
        if errors:
            raise OpenAPIError(f"{method} {path} {response.status_code}: {errors[:3]}")


def path_template(operation: dict[str, Any]) -> str:
    return str(operation.get("operationId", ""))
