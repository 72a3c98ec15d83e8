"""A test client that validates every JSON response against the app's own OpenAPI document.

Zulip checks each test response against its API description; so do we: a response whose status
is not documented for the operation, or whose body does not match the documented schema, fails
the test that caused it, whatever that test asserts itself.

Every JSON answer to a customer's request is also scanned (issue 9 item 2), across the whole
run: it may hold no internal note (`"internal": true`, or the text of any internal note a staff
answer showed earlier), no quality-review field, and no other customer's id or name (ids and
names are learnt from the staff answers seen so far). A leak raises `CustomerLeak`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from fastapi.testclient import TestClient
from httpx2 import Response


class OpenAPIError(AssertionError):
    pass


class CustomerLeak(AssertionError):
    """A customer was shown something that is not theirs to see."""


# quality assurance is about agents, never shown to the customer reviewed (DOMAIN.md 7)
QA_KEYS = frozenset({"scorecard_id", "review_id", "calibration_id", "reviewer_id", "stratified"})
CUSTOMER_ID = re.compile(r"\bcus-[0-9A-Za-z_-]+")
MIN_SECRET = 12  # shorter internal texts ("ok", "done") occur in ordinary answers


@dataclass
class LeakScan:
    """What the run has learnt from staff answers, and the customer behind each token."""

    internal_texts: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # customer id -> display name
    sessions: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # token -> role

    def learn(self, body: Any) -> None:
        for item in _objects(body):
            text = item.get("body")
            if item.get("internal") is True and isinstance(text, str) and len(text) >= MIN_SECRET:
                self.internal_texts.add(text)
            ident, name = item.get("id"), item.get("display_name")
            if isinstance(ident, str) and ident.startswith("cus-") and isinstance(name, str):
                self.names[ident] = name

    def check(
        self, customer_id: str | None, where: str, body: Any, text: str, asked: str = ""
    ) -> None:
        """`asked` is the request (URL and body): an id the customer sent themselves, echoed in
        "customer 'cus-9' not found", tells them nothing."""
        own_name = self.names.get(customer_id or "")
        problems = []
        for item in _objects(body):
            if item.get("internal") is True:
                problems.append(f"an internal note: {str(item)[:120]}")
            problems += [f"the QA field {k!r}" for k in QA_KEYS.intersection(item)]
        problems += [f"internal note text {t[:40]!r}" for t in self.internal_texts if t in text]
        for other in (
            set(CUSTOMER_ID.findall(text)) - {customer_id} - set(CUSTOMER_ID.findall(asked))
        ):
            problems.append(f"another customer's id {other}")
        for other, name in self.names.items():
            if other != customer_id and name != own_name and len(name) >= 5 and name in text:
                problems.append(f"another customer's name {name!r} ({other})")
        if problems:
            raise CustomerLeak(f"{where} showed customer {customer_id}: {'; '.join(problems)}")


def _objects(body: Any) -> list[dict[str, Any]]:
    """Every JSON object inside `body`, at any depth."""
    found: list[dict[str, Any]] = []
    stack = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            found.append(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


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
    leaks: LeakScan = LeakScan()  # shared by every client of the run: "across the whole run"

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
        self.scan(response)
        return response

    def _caller(self, token: str) -> tuple[str, str | None]:
        """(role, customer id) of a bearer token, asked once of the app itself."""
        known = self.leaks.sessions.get(token)
        if known is None:
            me = super().request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            answer = me.json() if me.status_code == 200 else {}
            known = (str(answer.get("role", "anonymous")), answer.get("customer_id"))
            if me.status_code == 200:
                self.leaks.sessions[token] = known
        return known

    def scan(self, response: Response) -> None:
        path = response.request.url.path
        kind = response.headers.get("content-type", "")
        if not path.startswith("/api/") or "json" not in kind or not response.content:
            return
        scheme, _, token = response.request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token or path == "/api/v1/me":
            return
        body = response.json()
        role, customer_id = self._caller(token)
        if role == "customer":
            where = f"{response.request.method} {path} ({response.status_code})"
            asked = str(response.request.url) + response.request.content.decode(errors="replace")
            self.leaks.check(customer_id, where, body, response.text, asked)
        elif role != "anonymous":
            self.leaks.learn(body)

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
