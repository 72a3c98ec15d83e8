"""The customer-response scan of `CheckedClient` can fail: a deliberately leaking app trips it
for each kind of leak, and an honest answer passes (issue 9 item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Header

from support.openapi_check import CheckedClient, CustomerLeak, LeakScan

OWN, OTHER = "cus-00001", "cus-00002"
NOTE = "customer is rude, refuse the refund whatever they say"


def leaking_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/me")
    def me(authorization: str = Header()) -> dict[str, Any]:
        role = "customer" if authorization.endswith("customer") else "agent"
        return {"role": role, "customer_id": OWN if role == "customer" else None}

    @app.get("/api/v1/customers/{customer_id}")
    def customer(customer_id: str) -> dict[str, Any]:
        name = "Maria Lopez" if customer_id == OWN else "Jonas Berg"
        return {"id": customer_id, "display_name": name}

    @app.get("/api/v1/echo/{customer_id}")
    def echo(customer_id: str) -> dict[str, Any]:
        return {"detail": f"customer {customer_id!r} not found"}

    @app.get("/api/v1/household")
    def household() -> dict[str, Any]:
        return {"id": OWN, "shares_address_with": OTHER}

    @app.get("/api/v1/notes")
    def notes() -> list[dict[str, Any]]:
        return [{"body": NOTE, "internal": True}]

    @app.get("/api/v1/quoted")
    def quoted() -> dict[str, Any]:
        return {"body": f"as noted: {NOTE}", "internal": False}

    @app.get("/api/v1/review")
    def review() -> dict[str, Any]:
        return {"review_id": "rev-1", "contact_id": "con-1"}

    @app.get("/api/v1/mention")
    def mention() -> dict[str, Any]:
        return {"body": "your neighbour Jonas Berg had the same fault"}

    return app


@pytest.fixture
def scanned() -> Any:
    CheckedClient.leaks = LeakScan()  # this test's own memory, not the run's
    with CheckedClient(leaking_app()) as client:
        yield client
    CheckedClient.leaks = LeakScan()


AGENT = {"Authorization": "Bearer agent"}
CUSTOMER = {"Authorization": "Bearer customer"}


def test_each_kind_of_leak_to_a_customer_fails_loudly(scanned: CheckedClient) -> None:
    for path in (f"/api/v1/customers/{OWN}", f"/api/v1/customers/{OTHER}", "/api/v1/notes"):
        scanned.get(path, headers=AGENT)  # staff answers teach the scan names and notes
    assert scanned.get(f"/api/v1/customers/{OWN}", headers=CUSTOMER).status_code == 200
    # an id the customer sent is echoed back ("not found"): that tells them nothing
    assert scanned.get(f"/api/v1/echo/{OTHER}", headers=CUSTOMER).status_code == 200
    for path, says in [
        ("/api/v1/household", "another customer's id"),
        ("/api/v1/notes", "an internal note"),
        ("/api/v1/quoted", "internal note text"),
        ("/api/v1/review", "QA field 'review_id'"),
        ("/api/v1/mention", "another customer's name 'Jonas Berg'"),
    ]:
        with pytest.raises(CustomerLeak, match=says):
            scanned.get(path, headers=CUSTOMER)
    # the same answers to staff are fine
    assert scanned.get("/api/v1/mention", headers=AGENT).status_code == 200
