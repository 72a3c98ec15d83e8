"""Account care over HTTP: tiers with factors, concessions granted or pending with their
explanation, approval by another supervisor, the ledger, fee quotes and retention offers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from teamline.app import create_app
from teamline.config import Settings
from teamline.domain.errors import InvalidInput
from teamline.services.demo import DEMO_PASSWORD, DemoResult

from conftest import NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA, ACCOUNT = "cus-00001", "100000001"


def ask(
    client: CheckedClient, login: Login, body: dict[str, object], role: str = "agent"
) -> dict[str, object]:
    answer = client.post(f"{API}/customers/{MARIA}/requests", json=body, headers=login(role))
    assert answer.status_code == 201, answer.text
    made: dict[str, object] = answer.json()
    return made


def test_staff_see_the_tier_with_the_factors_that_made_it(
    client: CheckedClient, login: Login
) -> None:
    answer = client.get(f"{API}/customers/{MARIA}/tier", headers=login("agent"))
    assert answer.status_code == 200, answer.text
    tier = answer.json()
    assert tier["tier"] == 3 and not tier["recorded"]  # the demo's tier, not yet assessed
    assert tier["assessment_tier"] == 2 and tier["summary"].startswith("Tier 2: score 3.00")
    assert [f["name"] for f in tier["factors"]] == [
        "tenure", "payments", "spend", "device", "lines", "credits",
    ]  # fmt: skip
    assert all(f["text"] for f in tier["factors"])
    assert client.get(f"{API}/customers/{MARIA}/tier", headers=login("customer")).status_code == (
        403
    )
    assert client.get(f"{API}/customers/nobody/tier", headers=login("agent")).status_code == 404


def test_every_decision_an_agent_sees_says_why(client: CheckedClient, login: Login) -> None:
    small = ask(client, login, {"kind": "credit", "amount": "20", "reason": "storm outage"})
    assert small["state"] == "granted" and small["settlement"] == "bill"
    assert small["explanation"] == (
        "Granted at once: a credit of 20.00 USD is within a frontline agent's limit of "
        "25.00 USD for a tier 2 customer."
    )
    assert small["customer_tier"]["tier"] == 2 and small["customer_tier"]["summary"]
    big = ask(client, login, {"kind": "discount", "amount": 10, "months": 12, "reason": "loyal"})
    assert big["state"] == "pending" and big["value"] == "120.00"
    assert big["explanation"].startswith(
        "Needs a supervisor's approval: a discount of 10.00 USD a month for 12 months"
    )
    queue = client.get(f"{API}/requests/pending", headers=login("supervisor")).json()
    assert [r["id"] for r in queue] == [big["id"]]
    assert client.get(f"{API}/requests/pending", headers=login("agent")).status_code == 403
    refused = client.post(f"{API}/requests/{big['id']}/approve", headers=login("agent"))
    assert refused.status_code == 403
    approved = client.post(
        f"{API}/requests/{big['id']}/approve",
        json={"note": "twelve years with us"},
        headers=login("supervisor"),
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    assert approved.json()["explanation"].endswith(": twelve years with us")
    again = client.post(f"{API}/requests/{big['id']}/decline", json={"note": "no"},
                        headers=login("admin"))  # fmt: skip
    assert again.status_code == 409
    history = client.get(f"{API}/customers/{MARIA}/requests", headers=login("agent")).json()
    assert sorted(r["state"] for r in history) == ["approved", "granted"]  # both made at NOW
    assert all(r["explanation"] for r in history)


def test_a_supervisor_does_not_approve_their_own_request(
    client: CheckedClient, login: Login
) -> None:
    own = ask(client, login, {"kind": "credit", "amount": "500", "reason": "x"}, "supervisor")
    assert own["state"] == "pending" and own["level"] == "supervisor"
    mine = client.post(f"{API}/requests/{own['id']}/approve", headers=login("supervisor"))
    assert mine.status_code == 403 and "another supervisor" in mine.json()["detail"]
    no_reason = client.post(f"{API}/requests/{own['id']}/decline", json={},
                            headers=login("admin"))  # fmt: skip
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "body.note"
    declined = client.post(
        f"{API}/requests/{own['id']}/decline",
        json={"note": "above any outage credit"},
        headers=login("admin"),
    )
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert "Declined by Demo Admin: above any outage credit" in declined.json()["explanation"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "credit", "amount": "20", "reason": "x", "attitude": "rude"}, "body.attitude"),
        ({"kind": "hug", "reason": "x"}, "body.kind"),
        ({"kind": "credit", "amount": "20.001", "reason": "x"}, "body.amount"),
        ({"kind": "credit", "amount": "-1", "reason": "x"}, "body.amount"),
        ({"kind": "credit", "amount": "NaN", "reason": "x"}, "body.amount"),
        ({"kind": "credit", "amount": "5"}, "body.reason"),
        ({"kind": "discount", "amount": "5", "months": 30, "reason": "x"}, "body.months"),
        ({"kind": "credit", "amount": "0", "reason": "x"}, "amount"),
        ({"kind": "unlock_code", "amount": "3", "reason": "x"}, "amount"),
        ({"kind": "credit", "amount": "5", "reason": "x", "account_number": "42"},
         "account_number"),
    ],
)  # fmt: skip
def test_a_bad_request_is_refused_naming_the_field(
    client: CheckedClient, login: Login, body: dict[str, object], field: str
) -> None:
    answer = client.post(f"{API}/customers/{MARIA}/requests", json=body, headers=login("agent"))
    assert answer.status_code == 422
    assert field in [e["field"] for e in answer.json()["errors"]]


def test_the_ledger_is_the_customers_own(client: CheckedClient, login: Login) -> None:
    ask(client, login, {"kind": "refund", "amount": "30", "reason": "billed after cancelling"})
    ask(client, login, {"kind": "fee_waiver", "amount": "12.5", "reason": "late fee, bank error"})
    mine = client.get(f"{API}/customers/{MARIA}/ledger", headers=login("customer"))
    assert mine.status_code == 200, mine.text
    ledger = mine.json()
    assert ledger["balances"] == [
        {"account_number": ACCOUNT, "currency": "USD", "balance": "-12.50"}
    ]
    assert sum(float(e["amount"]) for e in ledger["entries"]) == 0
    accounts = {e["ledger_account"] for e in ledger["entries"]}
    assert "payout:original_payment_method" in accounts and "voucher" not in str(accounts)
    other = client.get(f"{API}/customers/cus-00002/ledger", headers=login("customer"))
    assert other.status_code == 404


def test_a_fee_quote_before_leaving(client: CheckedClient, login: Login) -> None:
    today = client.get(f"{API}/accounts/{ACCOUNT}/etf", headers=login("customer"))
    assert today.status_code == 200, today.text
    quote = today.json()
    assert (quote["fee"], quote["months_served"], quote["ends_on"]) == ("185.00", 14, "2027-09-20")
    assert "for each of 14 full months served" in quote["explanation"]
    last_day = client.get(f"{API}/accounts/{ACCOUNT}/etf", params={"on": "2027-09-19"},
                          headers=login("agent")).json()  # fmt: skip
    assert last_day["fee"] == "95.00" and last_day["months_served"] == 23
    for params, field in (({"on": "soon"}, "query.on"), ({"on": "2020-01-01"}, "on")):
        bad = client.get(f"{API}/accounts/{ACCOUNT}/etf", params=params, headers=login("agent"))
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == field
    assert client.get(f"{API}/accounts/nope/etf", headers=login("customer")).status_code == 404


def test_a_switching_customer_gets_reasons_not_a_reflex_discount(
    client: CheckedClient, login: Login
) -> None:
    answer = client.post(
        f"{API}/customers/{MARIA}/retention-offer",
        json={"competitor": "Other Mobile"},
        headers=login("agent"),
    )
    assert answer.status_code == 201, answer.text
    offer = answer.json()
    assert offer["offer"] is None and offer["fee_owed"] == "185.00"
    assert offer["reasons"][0] == "A threat to switch does not by itself earn an offer."
    assert offer["summary"].startswith("No retention offer") and offer["tier_summary"]
    assert [q["fee"] for q in offer["quotes"]] == ["185.00"]
    refused = client.post(f"{API}/customers/{MARIA}/retention-offer", json={},
                          headers=login("customer"))  # fmt: skip
    assert refused.status_code == 403


def test_a_retried_request_with_its_key_is_granted_once(
    client: CheckedClient, login: Login
) -> None:
    headers = {**login("agent"), "Idempotency-Key": "credit-4711"}
    body = {"kind": "credit", "amount": "20", "reason": "storm outage"}
    first = client.post(f"{API}/customers/{MARIA}/requests", json=body, headers=headers)
    again = client.post(f"{API}/customers/{MARIA}/requests", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    history = client.get(f"{API}/customers/{MARIA}/requests", headers=login("agent")).json()
    assert [r["id"] for r in history] == [first.json()["id"]]
    other = client.post(f"{API}/customers/{MARIA}/requests", json=body | {"amount": "21"},
                        headers=headers)  # fmt: skip
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    offer_headers = {**login("agent"), "Idempotency-Key": "retention-1"}
    url = f"{API}/customers/{MARIA}/retention-offer"
    once = client.post(url, json={}, headers=offer_headers)
    twice = client.post(url, json={}, headers=offer_headers)
    assert once.status_code == twice.status_code == 201 and once.json() == twice.json()


def test_the_limits_come_from_the_configured_policy_file(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> None:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    policies = tmp_path / "care.yaml"
    policies.write_text("discretion:\n  limits:\n    frontline:\n"
                        "      credit: [500, 500, 500, 500, 500, 500]\n")  # fmt: skip
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        care_policy_path=policies,
    )
    with CheckedClient(create_app(settings, clock=lambda: NOW)) as client:
        token = client.post(
            f"{API}/auth/token",
            data={"username": "agent@demo.teamline.dev", "password": DEMO_PASSWORD},
        ).json()["access_token"]
        answer = client.post(
            f"{API}/customers/{MARIA}/requests",
            json={"kind": "credit", "amount": "400", "reason": "a week without service"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 201 and answer.json()["state"] == "granted"
    assert "limit of 500.00 USD" in answer.json()["explanation"]
    policies.write_text("etf:\n  rules:\n    - {name: x, base: lots, per_full_month: 1}\n")
    with pytest.raises(InvalidInput) as caught:
        create_app(settings, clock=lambda: NOW)
    assert caught.value.field == "etf.rules[0].base"
