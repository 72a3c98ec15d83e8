"""Service orders over HTTP (issue 6 item 9): an order from each channel appears exactly once,
even when the website submits it twice or three times (two at once) with one key; it is
advanced step by step, never active before the documents, and breached ones are listed for
supervisors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import text

from teamline.app import create_app
from teamline.config import Settings
from teamline.services.demo import DEMO_PASSWORD, DemoResult

from conftest import NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "cus-00001"
WEBSITE = {"kind": "new_connection", "source": "website", "address": "12 Harbour Road"}


def numbers(client: CheckedClient, headers: dict[str, str]) -> list[str]:
    answer = client.get(f"{API}/orders", params={"customer_id": MARIA}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [o["number"] for o in answer.json()]


@pytest.mark.parametrize("source", ["hotline", "store", "field_agent", "website"])
def test_an_order_from_each_channel_is_recorded_once_and_acknowledged(
    client: CheckedClient, login: Login, source: str
) -> None:
    body = {"kind": "move", "source": source, "address": "3 New Street", "customer_id": MARIA}
    headers = login("customer" if source == "website" else "agent")
    answer = client.post(f"{API}/orders", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["number"].startswith("SO-") and order["state"] == "received"
    assert order["due_at"] == (NOW + timedelta(days=3)).isoformat().replace("+00:00", "Z")
    credited = order["taken_by_name"]
    assert (credited is None) if source == "website" else bool(credited)
    assert numbers(client, login("agent")) == [order["number"]]


def test_the_website_double_submit_makes_one_order(client: CheckedClient, login: Login) -> None:
    headers = {**login("customer"), "Idempotency-Key": "web-order-1"}
    first = client.post(f"{API}/orders", json=WEBSITE, headers=headers)
    second = client.post(f"{API}/orders", json=WEBSITE, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers["Idempotent-Replayed"] == "true"
    assert numbers(client, login("agent")) == [first.json()["number"]]
    other = client.post(f"{API}/orders", json={**WEBSITE, "kind": "move"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.fixture
def any_client(demo_database: tuple[str, DemoResult]) -> Iterator[CheckedClient]:
    """The app over a demo company on SQLite, then on PostgreSQL."""
    settings = Settings(database_url=demo_database[0], router_tick_seconds=0)
    with CheckedClient(create_app(settings, clock=lambda: NOW)) as test_client:
        yield test_client


def signed_in(client: CheckedClient, role: str) -> dict[str, str]:
    answer = client.post(
        f"{API}/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_an_order_sent_three_times_two_at_once_is_recorded_once(any_client: CheckedClient) -> None:
    headers = {**signed_in(any_client, "customer"), "Idempotency-Key": "web-order-3"}

    def send(gate: Barrier | None = None) -> tuple[int, dict[str, Any]]:
        if gate is not None:
            gate.wait()
        answer = any_client.post(f"{API}/orders", json=WEBSITE, headers=headers)
        return answer.status_code, answer.json()

    first = send()
    gate = Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        racing = list(pool.map(send, [gate, gate]))
    answers = [first, *racing]
    assert [status for status, _ in answers] == [201, 201, 201]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    assert numbers(any_client, signed_in(any_client, "agent")) == [first[1]["number"]]


def test_an_order_is_advanced_to_active_only_after_the_documents(
    client: CheckedClient, login: Login
) -> None:
    agent = login("agent")
    body = {"kind": "upgrade", "source": "store", "address": "1 Main St", "customer_id": MARIA}
    number = client.post(f"{API}/orders", json=body, headers=agent).json()["number"]
    url = f"{API}/orders/{number}/advance"
    missing = client.post(url, json={"to": "scheduled"}, headers=agent)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "scheduled_for"
    steps: list[dict[str, Any]] = [
        {"to": "scheduled", "scheduled_for": "2026-11-26"},
        {"to": "installer_assigned", "installer": "Ana Lima"},
        {"to": "installed"},
    ]
    for step in steps:
        answer = client.post(url, json=step, headers=agent)
        assert answer.status_code == 200, answer.text
    early = client.post(url, json={"to": "active"}, headers=agent)
    assert early.status_code == 409 and "document package" in early.text
    partial = client.post(
        url, json={"to": "documents_delivered", "documents": ["contract"]}, headers=agent
    )
    assert partial.status_code == 422 and partial.json()["errors"][0]["field"] == "documents"
    package = ["contract", "settings_sheet", "online_credentials"]
    delivered = client.post(
        url, json={"to": "documents_delivered", "documents": package}, headers=agent
    )
    assert delivered.status_code == 200 and delivered.json()["next_state"] == "active"
    active = client.post(url, json={"to": "active"}, headers=agent).json()
    assert active["state"] == "active" and active["installer"] == "Ana Lima"
    assert sorted(active["documents"]) == sorted(package)
    mine = client.get(f"{API}/orders/{number}", headers=login("customer"))
    assert mine.status_code == 200 and mine.json() == active
    closed = client.post(f"{API}/orders/{number}/cancel", json={"reason": "late"}, headers=agent)
    assert closed.status_code == 409


def test_cancel_and_the_breached_list(tmp_path: Path, client: CheckedClient, login: Login) -> None:
    body = WEBSITE
    number = client.post(f"{API}/orders", json=body, headers=login("customer")).json()["number"]
    other = client.post(f"{API}/orders", json=body, headers=login("customer")).json()["number"]
    cancelled = client.post(
        f"{API}/orders/{other}/cancel", json={"reason": "ordered twice"}, headers=login("customer")
    )
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert (
        client.get(f"{API}/orders", params={"breached": "true"}, headers=login("agent")).status_code
        == 403
    )
    assert (
        client.get(f"{API}/orders", params={"breached": "true"}, headers=login("supervisor")).json()
        == []
    )
    # three days and a minute later, on another app over the same database
    later = NOW + timedelta(days=3, minutes=1)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'teamline.db'}", router_tick_seconds=0)
    with CheckedClient(create_app(settings, clock=lambda: later)) as late_client:
        token = late_client.post(
            f"{API}/auth/token",
            data={"username": "supervisor@demo.teamline.dev", "password": DEMO_PASSWORD},
        ).json()["access_token"]
        found = late_client.get(
            f"{API}/orders",
            params={"breached": "true"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert [o["number"] for o in found] == [number] and found[0]["breached"] is True


def test_orders_are_not_seen_by_other_customers_and_bad_input_names_the_field(
    client: CheckedClient, login: Login
) -> None:
    agent = login("agent")
    body = {"kind": "move", "source": "hotline", "address": "9 Elm", "customer_id": "cus-00002"}
    number = client.post(f"{API}/orders", json=body, headers=agent).json()["number"]
    assert client.get(f"{API}/orders/{number}", headers=login("customer")).status_code == 404
    assert client.get(f"{API}/orders/SO-NOPE", headers=agent).status_code == 404
    hotline = client.post(
        f"{API}/orders", json={**WEBSITE, "source": "hotline"}, headers=login("customer")
    )
    assert hotline.status_code == 422 and hotline.json()["errors"][0]["field"] == "source"
    nobody = client.post(f"{API}/orders", json=WEBSITE, headers=agent)
    assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "customer_id"
    extra = client.post(
        f"{API}/orders", json={**WEBSITE, "mood": "angry"}, headers=login("customer")
    )
    assert extra.status_code == 422


def test_an_upgrade_that_ends_a_grandfathered_plan_waits_for_the_acknowledgement(
    client: CheckedClient, login: Login
) -> None:
    with client.app.state.new_uow() as uow:  # type: ignore[attr-defined]
        owner = uow.session.execute(
            text("SELECT customer_id, number FROM accounts WHERE grandfathered ORDER BY number")
        ).first()
    assert owner is not None, "the demo company has a customer on a grandfathered plan"
    customer_id, number = owner
    agent = login("agent")
    body = {"kind": "upgrade", "source": "hotline", "address": "3 Mill Lane",
            "customer_id": customer_id}  # fmt: skip
    refused = client.post("/api/v1/orders", json=body, headers=agent)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "acknowledged"
    assert "grandfathered" in refused.json()["detail"]
    placed = client.post("/api/v1/orders", json={**body, "acknowledged": True}, headers=agent)
    assert placed.status_code == 201
    assert f"ends the grandfathered plan of {number}" in placed.json()["note"]
    new_line = client.post("/api/v1/orders", headers=agent,
                           json={**body, "kind": "new_connection"})  # fmt: skip
    assert new_line.status_code == 201, "only an upgrade ends the plan"
