"""The access-control matrix (issue 9 item 2): every operation of the OpenAPI document, called
by every kind of caller, answers as its declaration (`x-teamline-access`, api/access_policy.py)
says.

Callers: anonymous, a customer (A), an agent of A's team, an agent of another team (B), a
supervisor and an admin. Every cell is asserted:
- anonymous on an operation that needs a sign-in: 401;
- a role the declaration does not name: 403, from the declaration's own guard;
- a role it names: never 401, never 403 (unless the refusal depends on the input, listed in
  `INPUT_DEPENDENT_REFUSALS`), never a 5xx; on a read of a customer's record, account,
  conversation, order, case or team, the object is found (no 404);
- a customer on another customer's object (scope "customer"): 404 with the error shape only,
  and nothing of that customer (name, phone, email, account) in the body.
An operation without a declaration fails the test by name: no endpoint is ever unclassified.
The objects are real: customer A's (and B's) record, account, contact, conversation, a service
order and a case of each, A's team. Operations that declare `audit` must write that audit row.
Every answer also passes `CheckedClient`'s OpenAPI and customer-leak checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from teamline.services.demo import DEMO_PASSWORD
from teamline.store.db import make_engine
from teamline.store.tables import (
    AccountRow,
    AgentRow,
    AuditRow,
    ContactRow,
    ConversationRow,
    CustomerRow,
    IdentityRow,
    UserRow,
)

from support.openapi_check import CheckedClient

pytestmark = pytest.mark.timeout(600)
Login = Callable[[str], dict[str, str]]
API = "/api/v1"
CALLERS = ("anonymous", "customer", "agent_a", "agent_b", "supervisor", "admin")
ROLE_OF = {"agent_a": "agent", "agent_b": "agent"}
GUARD = re.compile(r"^only [a-z, ]+ may do this$")  # the declaration's refusal
# kinds whose seeded object must be found by a role allowed to read it
FINDABLE = frozenset({"customer", "account", "conversation", "order", "case", "team"})
# allowed callers refused because of what they sent, not who they are
INPUT_DEPENDENT_REFUSALS = {
    # a customer lists their own disputes with `account_number`; without it, it is the queue
    ("GET /api/v1/payment-disputes", "customer"),
}
# run last: they end the callers' sessions or the customer's very record
LAST = ("/erasure", "/auth/logout")


@dataclass(frozen=True)
class World:
    """Seeded objects: `own` are customer A's (team A's), `foreign` customer B's."""

    own: dict[str, str]
    foreign: dict[str, str]
    foreign_secrets: list[str]  # B's name and identity values: never in a 404 to A
    spare_customer: str  # erased by the erasure cells, so A stays usable
    region_a: str
    headers: dict[str, dict[str, str]]


def _db(client: CheckedClient) -> Engine:
    return make_engine(client.app.state.settings.database_url)  # type: ignore[attr-defined]


def _sign_in(client: CheckedClient, email: str) -> dict[str, str]:
    answer = client.post(f"{API}/auth/token", data={"username": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _objects_of(engine: Engine, customer_id: str) -> dict[str, str]:
    with engine.connect() as conn:
        first = {
            "account": select(AccountRow.number).where(AccountRow.customer_id == customer_id),
            "contact": select(ContactRow.id).where(ContactRow.customer_id == customer_id),
            "conversation": select(ConversationRow.id).where(
                ConversationRow.customer_id == customer_id
            ),
        }
        found = {k: conn.execute(q.limit(1)).scalar_one() for k, q in first.items()}
    return {"customer": customer_id, **found}


def _seed(client: CheckedClient, login: Login) -> World:
    engine = _db(client)
    agent = client.get(f"{API}/me", headers=login("agent")).json()
    customer_a = client.get(f"{API}/me", headers=login("customer")).json()["customer_id"]
    with engine.connect() as conn:
        team_a = conn.execute(
            select(AgentRow.team_id).where(AgentRow.id == agent["agent_id"])
        ).scalar_one()
        region_a = conn.execute(
            select(CustomerRow.region_id).where(CustomerRow.id == customer_a)
        ).scalar_one()
        taken = select(UserRow.agent_id).where(UserRow.agent_id.is_not(None))
        agent_b = (
            conn.execute(
                select(AgentRow.id).where(AgentRow.team_id != team_a, AgentRow.id.not_in(taken))
            )
            .scalars()
            .first()
        )
        others = (
            conn.execute(
                select(CustomerRow.id).where(CustomerRow.id != customer_a).order_by(CustomerRow.id)
            )
            .scalars()
            .all()
        )
        customer_b, spare = others[0], others[1]
        name_b = conn.execute(
            select(CustomerRow.display_name).where(CustomerRow.id == customer_b)
        ).scalar_one()
        values_b = (
            conn.execute(select(IdentityRow.value).where(IdentityRow.customer_id == customer_b))
            .scalars()
            .all()
        )
    new_agent = {"email": "agent-b@demo.teamline.dev", "password": DEMO_PASSWORD,
                 "role": "agent", "display_name": "Agent B", "agent_id": agent_b}  # fmt: skip
    assert client.post(f"{API}/users", json=new_agent, headers=login("admin")).status_code == 201
    own, foreign = _objects_of(engine, customer_a), _objects_of(engine, customer_b)
    engine.dispose()
    for objects in (own, foreign):
        order = {"kind": "new_connection", "source": "hotline", "address": "1 Main Street",
                 "customer_id": objects["customer"]}  # fmt: skip
        made = client.post(f"{API}/orders", json=order, headers=login("agent"))
        assert made.status_code == 201, made.text
        objects["order"] = made.json()["number"]
        case = {"subject": "No signal at home", "customer_id": objects["customer"]}
        opened = client.post(f"{API}/cases", json=case, headers=login("agent"))
        assert opened.status_code == 201, opened.text
        objects["case"] = opened.json()["id"]
    own["team"], own["user"] = team_a, agent["id"]
    headers = {role: login(role) for role in ("customer", "supervisor", "admin")}
    headers |= {"anonymous": {}, "agent_a": login("agent")}
    headers["agent_b"] = _sign_in(client, "agent-b@demo.teamline.dev")
    return World(own, foreign, [name_b, *values_b], spare, region_a, headers)


def _kind(path: str, param: str) -> str:
    if param == "number":
        return "order" if path.startswith(f"{API}/orders") else "account"
    return {"customer_id": "customer", "account_number": "account", "contact_id": "contact",
            "conversation_id": "conversation", "case_id": "case", "team_id": "team",
            "user_id": "user"}.get(param, f"unseeded:{param}")  # fmt: skip


def _fill(path: str, objects: dict[str, str]) -> tuple[str, set[str]]:
    kinds: set[str] = set()

    def one(match: re.Match[str]) -> str:
        kind = _kind(path, match.group(1))
        kinds.add(kind)
        return objects.get(kind, f"missing-{match.group(1)}")

    return re.sub(r"\{([^}]+)\}", one, path), kinds


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small instance of a JSON schema: required fields only, first choices."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            choices = [s for s in schema[key] if s.get("type") != "null"]
            return _example(choices[0], components) if choices else None
    if "enum" in schema or "const" in schema:
        return schema["enum"][0] if "enum" in schema else schema["const"]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        props = schema.get("properties", {})
        return {k: _example(v, components) for k, v in props.items() if k in required}
    if kind == "array":
        return [_example(schema.get("items", {}), components)] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    formats = {"date-time": "2026-11-24T15:00:00Z", "date": "2026-11-30"}
    return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def _request_of(op: dict[str, Any], doc: dict[str, Any], hints: dict[str, Any]) -> dict[str, Any]:
    components = doc.get("components", {}).get("schemas", {})
    kwargs: dict[str, Any] = {}
    required = [p for p in op.get("parameters", []) if p["in"] == "query" and p.get("required")]
    query = {p["name"]: _example(p.get("schema", {}), components) for p in required}
    if query:
        kwargs["params"] = query
    body = op.get("requestBody")
    if body:
        content_type, media = next(iter(body["content"].items()))
        value = _example(media.get("schema", {}), components)
        if isinstance(value, dict):
            value |= hints
        kwargs["json" if "json" in content_type else "data"] = value
    return kwargs


def _audit_count(client: CheckedClient, action: str) -> int:
    engine = _db(client)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).where(AuditRow.action == action))
    engine.dispose()
    return int(count or 0)


def _assert_cell(
    caller: str, declared: dict[str, Any], answer: Any, label: str, path_kinds: set[str]
) -> None:
    roles, status = declared["roles"], answer.status_code
    json_body = answer.content and "json" in answer.headers.get("content-type", "")
    body = answer.json() if json_body else {}
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    where = f"{label} as {caller}: {status} {answer.text[:200]}"
    if "anonymous" in roles:  # public: its own checks (a password, a signature) may refuse
        assert status < 500 and not str(detail).startswith("sign in first"), where
    elif caller == "anonymous":
        assert status == 401, where
    elif ROLE_OF.get(caller, caller) not in roles:
        assert status == 403 and GUARD.match(str(detail)), where
    else:
        assert status < 500 and status != 401, where
        # a role the declaration names is never refused for its role: a 403 here is a
        # declaration broader than the service's own rule, unless listed as input-dependent
        assert status != 403 or (label, caller) in INPUT_DEPENDENT_REFUSALS, where
        if label.startswith("GET ") and path_kinds and path_kinds <= FINDABLE:
            assert status != 404, where


def _assert_foreign(answer: Any, secrets: list[str], where: str) -> None:
    assert answer.status_code == 404, f"{where}: {answer.status_code} {answer.text[:200]}"
    assert set(answer.json()) <= {"detail", "errors"}, where
    asked = str(answer.request.url).lower()  # what the caller sent may be echoed back
    leaked = [s for s in secrets if s.lower() in answer.text.lower() and s.lower() not in asked]
    assert leaked == [], f"{where} leaked {leaked}"


def test_every_operation_answers_every_caller_as_declared(
    client: CheckedClient, login: Login
) -> None:
    world = _seed(client, login)
    doc = client.app.openapi()  # type: ignore[attr-defined]
    hints = {
        ("POST", f"{API}/customers"): {"region_id": world.region_a},
        ("POST", f"{API}/users"): {
            "email": "new-admin@demo.teamline.dev",
            "role": "admin",
            "password": DEMO_PASSWORD,
        },
        ("POST", f"{API}/merges"): {
            "survivor_id": world.own["customer"],
            "merged_id": world.spare_customer,
        },
    }
    operations = sorted(
        ((m.upper(), p, op) for p, item in doc["paths"].items() for m, op in item.items()),
        key=lambda o: (any(o[1].endswith(last) for last in LAST), o[1].endswith("/logout")),
    )
    undeclared = [f"{m} {p}" for m, p, op in operations if "x-teamline-access" not in op]
    assert undeclared == [], f"operations without an access declaration: {undeclared}"
    cells = foreign_cells = 0
    for method, path, op in operations:
        declared = op["x-teamline-access"]
        label = f"{method} {path}"
        request = _request_of(op, doc, hints.get((method, path), {}))
        for caller in CALLERS:
            objects = dict(world.own)
            if path.endswith("/erasure"):
                objects["customer"] = world.spare_customer  # A stays usable for other cells
            url, kinds = _fill(path, objects)
            audit = declared.get("audit")
            before = _audit_count(client, audit) if audit else 0
            answer = client.request(method, url, headers=world.headers[caller], **request)
            _assert_cell(caller, declared, answer, label, kinds)
            if audit and 200 <= answer.status_code < 300:
                assert _audit_count(client, audit) == before + 1, f"{label}: no {audit} row"
            cells += 1
            if path.endswith("/logout") and answer.status_code == 204:  # a fresh session
                role = ROLE_OF.get(caller, caller)
                email = "agent-b@demo.teamline.dev" if caller == "agent_b" else None
                world.headers[caller] = _sign_in(client, email or f"{role}@demo.teamline.dev")
            if (
                caller == "customer"
                and "customer" in declared["roles"]
                and (declared["scope"] == "customer" and kinds)
            ):
                foreign_url, _ = _fill(path, world.foreign)
                answer = client.request(method, foreign_url, headers=world.headers[caller],
                                        **request)  # fmt: skip
                _assert_foreign(answer, world.foreign_secrets, f"{label} on B's object")
                foreign_cells += 1
    assert cells == len(operations) * len(CALLERS)
    assert foreign_cells >= 20, foreign_cells
