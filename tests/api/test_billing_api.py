"""Billing care over HTTP (issue 6 item 7): an account's standing with the ways to pay, bills and
payments that move the ledger's balance, voluntary suspensions, the grandfathered-plan warning
before a change, and heavy data use that reaches the fraud team. Every decision says why."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from teamline.app import create_app
from teamline.config import Settings
from teamline.domain.enums import BillingMethod
from teamline.services.demo import DEMO_PASSWORD, DemoResult
from teamline.services.demo_company import build_demo_company

from conftest import DEMO_CUSTOMERS, DEMO_SEED, NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "100000001"  # the demo customer login's own account (credit billing)
TODAY = date(2026, 11, 24)


def demo_accounts() -> dict[str, str]:
    """Account numbers of the demo company that show billing care."""
    company = build_demo_company(DEMO_SEED, NOW, DEMO_CUSTOMERS)
    accounts = company.accounts
    advance = next(a for a in accounts if a.billing_method is BillingMethod.ADVANCE)
    legacy = next(a for a in accounts if a.grandfathered)
    away = next(
        a for a in accounts[1:] if a.billing_method is BillingMethod.CREDIT and not a.grandfathered
    )
    return {"advance": advance.number, "legacy": legacy.number, "away": away.number}


DEMO = demo_accounts()


def ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def billing(client: CheckedClient, login: Login, number: str, role: str = "agent") -> Any:
    return ok(client.get(f"{API}/accounts/{number}/billing", headers=login(role)))


def test_a_credit_account_shows_its_method_balance_and_why_it_has_service(
    client: CheckedClient, login: Login
) -> None:
    view = billing(client, login, MARIA, "customer")
    assert view["billing_method"] == "credit" and view["service"] == "active"
    assert view["balance"] == "0.00" and not view["blocked"]
    assert "billed afterwards" in view["method_explanation"]
    # Maria's contract was signed on a day of the month: her bills fall on it
    assert view["period_start"] <= "2026-11-24" < view["period_end"]
    assert f"billed on {view['period_end']}" in view["method_explanation"]
    assert "Service is active" in view["explanation"]
    assert any(w["open_now"] for w in view["ways_to_pay"])


def test_a_customer_sees_only_their_own_account(client: CheckedClient, login: Login) -> None:
    other = DEMO["advance"]
    for path in ("billing", "bills", "suspensions"):
        answer = client.get(f"{API}/accounts/{other}/{path}", headers=login("customer"))
        assert answer.status_code == 404, path
    body = {"kind": "renewal", "new_plan": "Unlimited Plus"}
    answer = client.post(
        f"{API}/accounts/{other}/plan-change-check", json=body, headers=login("customer")
    )
    assert answer.status_code == 404
    assert client.get(f"{API}/accounts/nobody/billing", headers=login("agent")).status_code == 404
    too_long = client.get(f"{API}/accounts/{'9' * 17}/billing", headers=login("agent"))
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "path.account_number"


def test_an_advance_account_blocks_at_zero_and_a_payment_brings_service_back(
    client: CheckedClient, login: Login
) -> None:
    number = DEMO["advance"]
    view = billing(client, login, number)
    assert view["billing_method"] == "advance" and view["service"] == "active"
    funds = view["funds"]
    assert float(funds) > 0 and view["balance"] == f"-{funds}"  # prepaid: in the customer's favour
    # the month's charge is drawn from the funds, and more than they hold
    bill = {"due_on": "2026-11-20", "amount": str(float(funds) + 5), "paid_on": None}
    recorded = ok(client.post(f"{API}/accounts/{number}/bills", json=bill, headers=login("admin")))
    assert recorded["service"] == "blocked" and recorded["balance"] == "5.00"
    view = billing(client, login, number)
    assert view["blocked"] and "emergency calls" in view["still_works"]
    assert (
        "Service is blocked" in view["explanation"]
        and "Ways to pay right now" in view["explanation"]
    )
    open_first = [w["open_now"] for w in view["ways_to_pay"]]
    assert open_first == sorted(open_first, reverse=True) and open_first[0]
    pay = {"amount": "20.00", "method": "app", "reference": "top-up"}
    paid = ok(
        client.post(f"{API}/accounts/{number}/payments", json=pay, headers=login("admin")), 201
    )
    assert paid["balance"] == "-15.00" and paid["service"] == "active"
    assert "Service is back" in paid["explanation"]


def test_a_bill_and_its_payment_move_the_ledger_balance_once(
    client: CheckedClient, login: Login
) -> None:
    bill = {"due_on": "2026-11-20", "amount": "150.00"}
    first = ok(client.post(f"{API}/accounts/{MARIA}/bills", json=bill, headers=login("admin")))
    assert first["balance"] == "150.00" and "Bill of 150.00 USD" in first["explanation"]
    again = ok(client.post(f"{API}/accounts/{MARIA}/bills", json=bill, headers=login("admin")))
    assert again["balance"] == "150.00" and "nothing changed" in again["explanation"]
    paid = ok(
        client.post(
            f"{API}/accounts/{MARIA}/bills",
            json={**bill, "paid_on": "2026-11-19", "method": "bank_transfer"},
            headers=login("admin"),
        )
    )
    assert paid["balance"] == "0.00" and "paid on time" in paid["explanation"]
    assert paid["bill"]["on_time"] is True
    bills = ok(client.get(f"{API}/accounts/{MARIA}/bills", headers=login("customer")))
    assert [b["due_on"] for b in bills] == ["2026-11-20"]
    changed = client.post(
        f"{API}/accounts/{MARIA}/bills", json={**bill, "amount": "10.00"}, headers=login("admin")
    )
    assert changed.status_code == 409
    assert (
        client.post(f"{API}/accounts/{MARIA}/bills", json=bill, headers=login("agent")).status_code
        == 403
    )
    # the ledger shows the charge and the payment, and the account's balance is their sum
    ledger = ok(client.get(f"{API}/customers/cus-00001/ledger", headers=login("customer")))
    assert {b["balance"] for b in ledger["balances"]} == {"0.00"}
    customer = ok(client.get(f"{API}/customers/cus-00001", headers=login("agent")))
    assert [a["balance"] for a in customer["accounts"]] == ["0.00"]


def test_a_retried_payment_with_its_key_is_posted_once(client: CheckedClient, login: Login) -> None:
    headers = {**login("admin"), "Idempotency-Key": "pay-1"}
    pay = {"amount": "30.00", "method": "website"}
    first = client.post(f"{API}/accounts/{MARIA}/payments", json=pay, headers=headers)
    second = client.post(f"{API}/accounts/{MARIA}/payments", json=pay, headers=headers)
    assert first.json() == second.json() and first.json()["balance"] == "-30.00"
    assert billing(client, login, MARIA)["balance"] == "-30.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0", "method": "app"}, "body.amount"),
        ({"amount": "1.001", "method": "app"}, "body.amount"),
        ({"amount": "5", "method": "cheque"}, "method"),
        ({"amount": "5"}, "body.method"),
    ],
)
def test_a_bad_payment_is_refused_naming_the_field(
    client: CheckedClient, login: Login, body: dict[str, str], field: str
) -> None:
    answer = client.post(f"{API}/accounts/{MARIA}/payments", json=body, headers=login("admin"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field
    assert billing(client, login, MARIA)["balance"] == "0.00"  # nothing half-written


def test_a_customer_suspends_their_line_while_away_and_comes_back_early(
    client: CheckedClient, login: Login
) -> None:
    body = {"start_on": "2026-12-01", "end_on": "2026-12-22", "reason": "away travelling"}
    made = ok(
        client.post(f"{API}/accounts/{MARIA}/suspensions", json=body, headers=login("customer")),
        201,
    )
    assert made["days"] == 21 and not made["in_force"]
    assert (
        "Suspension accepted" in made["explanation"]
        and "resumes on 2026-12-22" in made["explanation"]
    )
    view = billing(client, login, MARIA, "customer")
    assert [s["id"] for s in view["suspensions"]] == [made["id"]]
    overlap = {**body, "start_on": "2026-12-20", "end_on": "2026-12-30"}
    answer = client.post(
        f"{API}/accounts/{MARIA}/suspensions", json=overlap, headers=login("agent")
    )
    assert answer.status_code == 409 and "overlaps" in answer.json()["detail"]
    ended = ok(
        client.post(
            f"{API}/accounts/{MARIA}/suspensions/{made['id']}/end", headers=login("customer")
        )
    )
    assert ended["days"] == 0 and "withdrawn" in ended["explanation"]
    listed = ok(client.get(f"{API}/accounts/{MARIA}/suspensions", headers=login("agent")))
    assert [s["explanation"] for s in listed] == [ended["explanation"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_on": "2026-11-01", "end_on": "2026-12-01", "reason": "x"}, "start_on"),
        ({"start_on": "2026-12-01", "end_on": "2026-12-01", "reason": "x"}, "end_on"),
        ({"start_on": "2026-12-01", "end_on": "2027-06-01", "reason": "x"}, "end_on"),
        ({"start_on": "2026-12-01", "end_on": "2026-12-05", "reason": ""}, "body.reason"),
        ({"start_on": "someday", "end_on": "2026-12-05", "reason": "x"}, "body.start_on"),
    ],
)
def test_bad_suspension_dates_are_refused_naming_the_field(
    client: CheckedClient, login: Login, body: dict[str, str], field: str
) -> None:
    answer = client.post(f"{API}/accounts/{MARIA}/suspensions", json=body, headers=login("agent"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field
    assert ok(client.get(f"{API}/accounts/{MARIA}/suspensions", headers=login("agent"))) == []


def test_the_demo_shows_a_customer_away_on_a_suspension(
    client: CheckedClient, login: Login
) -> None:
    view = billing(client, login, DEMO["away"])
    assert view["service"] == "suspended" and view["still_works"] == ["emergency calls"]
    assert "suspended at the customer's request" in view["explanation"]
    advance = billing(client, login, DEMO["advance"])
    assert advance["billing_method"] == "advance"


def test_a_grandfathered_plan_warns_before_a_renewal_and_needs_an_acknowledgement(
    client: CheckedClient, login: Login
) -> None:
    number = DEMO["legacy"]
    body = {"kind": "renewal", "new_plan": "Unlimited Plus"}
    check = ok(
        client.post(f"{API}/accounts/{number}/plan-change-check", json=body, headers=login("agent"))
    )
    assert check["loses_grandfathered"] and check["needs_acknowledgement"]
    assert "grandfathered" in check["warning"] and check["explanation"]
    refused = client.post(
        f"{API}/accounts/{number}/plan-changes", json=body, headers=login("agent")
    )
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "acknowledged" and "grandfathered" in error["message"]
    account = ok(client.get(f"{API}/accounts/{number}/billing", headers=login("agent")))
    assert account["account_number"] == number  # still there, unchanged
    done = ok(
        client.post(
            f"{API}/accounts/{number}/plan-changes",
            json={**body, "acknowledged": True, "term_months": 12},
            headers=login("agent"),
        ),
        201,
    )
    assert "given up, as acknowledged" in done["explanation"]
    assert "12-month commitment starts on 2026-11-2" in done["explanation"]
    again = ok(
        client.post(f"{API}/accounts/{number}/plan-change-check", json=body, headers=login("agent"))
    )
    assert not again["loses_grandfathered"] and again["warning"] is None


def test_a_customer_checks_a_plan_change_but_only_staff_apply_it(
    client: CheckedClient, login: Login
) -> None:
    body = {"kind": "device_upgrade", "new_plan": "Unlimited Plus"}
    check = ok(
        client.post(
            f"{API}/accounts/{MARIA}/plan-change-check", json=body, headers=login("customer")
        )
    )
    assert check["warning"] is None and "not a grandfathered one" in check["explanation"]
    answer = client.post(
        f"{API}/accounts/{MARIA}/plan-changes", json=body, headers=login("customer")
    )
    assert answer.status_code == 403


def test_heavy_data_use_flags_the_account_for_the_fraud_team(
    client: CheckedClient, login: Login
) -> None:
    use = {
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "gigabytes": "400",
        "allowance_gb": "50",
    }
    flagged = ok(
        client.post(f"{API}/accounts/{MARIA}/data-use", json=use, headers=login("admin")), 201
    )
    assert flagged["flagged"] and flagged["threshold_gb"] == "150.00"
    assert "fraud team" in flagged["explanation"]
    light = {**use, "period_start": "2026-11-01", "period_end": "2026-11-24", "gigabytes": "3"}
    calm = ok(
        client.post(f"{API}/accounts/{MARIA}/data-use", json=light, headers=login("admin")), 201
    )
    assert (
        not calm["flagged"]
        and calm["flag"] is None
        and calm["explanation"].startswith("Not flagged")
    )
    twice = client.post(f"{API}/accounts/{MARIA}/data-use", json=use, headers=login("admin"))
    assert twice.status_code == 409
    flags = ok(
        client.get(f"{API}/fraud-flags", params={"state": "open"}, headers=login("supervisor"))
    )
    assert [f["account_number"] for f in flags] == [MARIA]
    assert flags[0]["explanation"] == flagged["explanation"]
    for role in ("agent", "customer"):
        assert client.get(f"{API}/fraud-flags", headers=login(role)).status_code == 403
    cleared = ok(
        client.post(
            f"{API}/fraud-flags/{flags[0]['id']}/clear",
            json={"note": "a family sharing one hotspot"},
            headers=login("supervisor"),
        )
    )
    assert cleared["state"] == "cleared" and "Cleared by the fraud team" in cleared["explanation"]
    assert (
        ok(client.get(f"{API}/fraud-flags", params={"state": "open"}, headers=login("admin"))) == []
    )


def test_usage_reports_come_from_the_feed_and_bad_ones_name_the_field(
    client: CheckedClient, login: Login
) -> None:
    use = {"period_start": "2026-10-01", "period_end": "2026-09-01", "gigabytes": "4"}
    answer = client.post(f"{API}/accounts/{MARIA}/data-use", json=use, headers=login("admin"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "period_end"
    good = {**use, "period_end": "2026-10-31"}
    answer = client.post(f"{API}/accounts/{MARIA}/data-use", json=good, headers=login("agent"))
    assert answer.status_code == 403


def test_the_suspension_limits_come_from_the_configured_policy(
    tmp_path: Path, sqlite_demo_template: tuple[Path, DemoResult]
) -> None:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    policy = tmp_path / "care.yaml"
    policy.write_text("billing: {suspension_max_days: 7, suspension_fee: 4.5}\n")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        care_policy_path=policy,
    )
    with CheckedClient(create_app(settings, clock=lambda: NOW)) as client:
        token = client.post(
            f"{API}/auth/token",
            data={"username": "customer@demo.teamline.dev", "password": DEMO_PASSWORD},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        start = TODAY + timedelta(days=1)
        body = {"start_on": str(start), "end_on": str(start + timedelta(days=8)), "reason": "away"}
        answer = client.post(f"{API}/accounts/{MARIA}/suspensions", json=body, headers=headers)
        assert answer.status_code == 422 and "at most 7 days" in answer.text
        body["end_on"] = str(start + timedelta(days=7))
        made = ok(
            client.post(f"{API}/accounts/{MARIA}/suspensions", json=body, headers=headers), 201
        )
        assert made["fee"] == "4.50" and "a fee of 4.50 USD" in made["explanation"]
        view = ok(client.get(f"{API}/accounts/{MARIA}/billing", headers=headers))
        assert view["balance"] == "4.50"  # the fee is on the ledger


def test_every_billing_care_answer_that_shows_a_decision_carries_an_explanation(
    client: CheckedClient,
) -> None:
    """Issue 6 acceptance: each JSON answer of billing care (standing, bills, payments,
    suspensions, plan checks and changes, data use, fraud flags, disputes) has a required
    `explanation` string."""
    document = client.app.openapi()  # type: ignore[attr-defined]
    components = document["components"]["schemas"]
    checked = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "billing care" not in operation.get("tags", []):
                continue
            for code, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if not code.startswith("2") or schema is None:
                    continue  # errors have their own shape; the receipt is the file itself
                schema = schema.get("items", schema)
                model = components[schema["$ref"].rsplit("/", 1)[-1]]
                assert "explanation" in model.get("required", []), f"{method} {path}"
                assert model["properties"]["explanation"]["type"] == "string"
                checked.append(f"{method} {path}")
    assert len(checked) >= 18  # every billing-care operation but the receipt download
