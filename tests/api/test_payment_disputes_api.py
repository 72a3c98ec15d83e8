"""Payment disputes over HTTP (issue 6 item 7; DOMAIN.md 5): a payment the account does not show
is filed with an uploaded receipt and a written claim, reviewed, and upheld (the money moves
through the ledger) or rejected with the reason; a bad upload is refused naming `receipt`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from teamline.services.demo_company import build_demo_company

from conftest import DEMO_CUSTOMERS, DEMO_SEED, NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "100000001"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
CLAIM = {
    "account_number": MARIA,
    "amount": "60.00",
    "paid_on": "2026-11-03",
    "method": "store",
    "reference": "STORE-7731",
    "claim": "I paid 60.00 in the Main Street store on 3 November; the app still shows it due.",
}


def file(
    client: CheckedClient,
    login: Login,
    *,
    role: str = "customer",
    fields: dict[str, str] | None = None,
    receipt: tuple[str, bytes, str] | None = ("receipt.pdf", PDF, "application/pdf"),
) -> Any:
    files = {"receipt": receipt} if receipt else None
    return client.post(
        f"{API}/payment-disputes", data=fields or CLAIM, files=files, headers=login(role)
    )


def balance(client: CheckedClient, login: Login) -> str:
    answer = client.get(f"{API}/accounts/{MARIA}/billing", headers=login("agent"))
    assert answer.status_code == 200, answer.text
    value: str = answer.json()["balance"]
    return value


def test_a_customer_files_with_the_receipt_and_a_supervisor_upholds_it_onto_the_account(
    client: CheckedClient, login: Login
) -> None:
    client.post(
        f"{API}/accounts/{MARIA}/bills",
        json={"due_on": "2026-11-10", "amount": "60.00"},
        headers=login("admin"),
    )
    assert balance(client, login) == "60.00"  # the bill the customer says they paid
    filed = file(client, login)
    assert filed.status_code == 201, filed.text
    dispute = filed.json()
    assert dispute["state"] == "open" and dispute["receipt_size"] == len(PDF)
    assert dispute["due_at"].startswith("2026-12-04") and not dispute["overdue"]
    assert "waiting for review" in dispute["explanation"]
    receipt = client.get(
        f"{API}/payment-disputes/{dispute['id']}/receipt", headers=login("customer")
    )
    assert receipt.status_code == 200 and receipt.content == PDF
    assert receipt.headers["content-type"] == "application/pdf"
    queue = client.get(f"{API}/payment-disputes", headers=login("agent")).json()
    assert [d["id"] for d in queue] == [dispute["id"]]
    early = client.post(
        f"{API}/payment-disputes/{dispute['id']}/uphold", headers=login("supervisor")
    )
    assert early.status_code == 409  # nobody decides before the review
    review = client.post(f"{API}/payment-disputes/{dispute['id']}/review", headers=login("agent"))
    assert review.status_code == 200 and "Under review" in review.json()["explanation"]
    by_agent = client.post(f"{API}/payment-disputes/{dispute['id']}/uphold", headers=login("agent"))
    assert by_agent.status_code == 403
    upheld = client.post(
        f"{API}/payment-disputes/{dispute['id']}/uphold",
        json={"settlement": "account", "note": "matched the store's till record"},
        headers=login("supervisor"),
    )
    assert upheld.status_code == 200, upheld.text
    body = upheld.json()
    assert body["state"] == "upheld" and body["balance"] == "0.00"
    assert "recorded on the account" in body["explanation"]
    assert balance(client, login) == "0.00"
    mine = client.get(
        f"{API}/payment-disputes", params={"account_number": MARIA}, headers=login("customer")
    )
    assert [d["state"] for d in mine.json()] == ["upheld"]
    assert client.get(f"{API}/payment-disputes", headers=login("agent")).json() == []


def test_an_upheld_refund_goes_to_the_original_payment_method_and_leaves_the_bill(
    client: CheckedClient, login: Login
) -> None:
    dispute = file(client, login, role="agent").json()
    client.post(f"{API}/payment-disputes/{dispute['id']}/review", headers=login("agent"))
    upheld = client.post(
        f"{API}/payment-disputes/{dispute['id']}/uphold",
        json={"settlement": "refund"},
        headers=login("supervisor"),
    ).json()
    assert "refunded to the original payment method" in upheld["explanation"]
    assert balance(client, login) == "0.00"
    ledger = client.get(f"{API}/customers/cus-00001/ledger", headers=login("agent")).json()
    accounts = {e["ledger_account"] for e in ledger["entries"]}
    assert {"payout:original_payment_method", "refunds:payment_dispute"} <= accounts


def test_a_rejected_dispute_says_why(client: CheckedClient, login: Login) -> None:
    dispute = file(client, login).json()
    client.post(f"{API}/payment-disputes/{dispute['id']}/review", headers=login("agent"))
    no_reason = client.post(
        f"{API}/payment-disputes/{dispute['id']}/reject",
        json={"note": ""},
        headers=login("supervisor"),
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "body.note"
    rejected = client.post(
        f"{API}/payment-disputes/{dispute['id']}/reject",
        json={"note": "the store has no payment with reference STORE-7731"},
        headers=login("supervisor"),
    ).json()
    assert (
        rejected["state"] == "rejected" and "no payment with reference" in rejected["explanation"]
    )
    seen = client.get(f"{API}/payment-disputes/{dispute['id']}", headers=login("customer")).json()
    assert seen["explanation"] == rejected["explanation"]


@pytest.mark.parametrize(
    ("receipt", "field"),
    [
        (None, "body.receipt"),
        (("notes.txt", b"I paid, honest", "text/plain"), "receipt"),
        (("empty.pdf", b"", "application/pdf"), "receipt"),
        (("fake.png", PDF, "image/png"), "receipt"),
        (("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf"), "receipt"),
    ],
)
def test_a_bad_receipt_is_refused_naming_the_field_and_nothing_is_filed(
    client: CheckedClient, login: Login, receipt: tuple[str, bytes, str] | None, field: str
) -> None:
    answer = file(client, login, receipt=receipt)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == field
    listed = client.get(
        f"{API}/payment-disputes", params={"account_number": MARIA}, headers=login("agent")
    )
    assert listed.json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5"}, "body.amount"),
        ({"paid_on": "2026-12-30"}, "paid_on"),
        ({"paid_on": "yesterday"}, "body.paid_on"),
        ({"method": "cheque"}, "method"),
        ({"claim": ""}, "body.claim"),
    ],
)
def test_a_bad_claim_is_refused_naming_the_field(
    client: CheckedClient, login: Login, change: dict[str, str], field: str
) -> None:
    answer = file(client, login, fields={**CLAIM, **change})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == field


def test_the_same_receipt_does_not_open_two_disputes(client: CheckedClient, login: Login) -> None:
    assert file(client, login).status_code == 201
    again = file(client, login)
    assert again.status_code == 409 and "already in dispute" in again.json()["detail"]


def test_a_customer_cannot_file_or_read_for_another_account(
    client: CheckedClient, login: Login
) -> None:
    foreign = build_demo_company(DEMO_SEED, NOW, DEMO_CUSTOMERS).accounts[1].number
    answer = file(client, login, fields={**CLAIM, "account_number": foreign})
    assert answer.status_code == 404
    staff = file(client, login, role="agent", fields={**CLAIM, "account_number": foreign})
    assert staff.status_code == 201
    dispute_id = staff.json()["id"]
    for path in ("", "/receipt"):
        seen = client.get(f"{API}/payment-disputes/{dispute_id}{path}", headers=login("customer"))
        assert seen.status_code == 404
    queue = client.get(f"{API}/payment-disputes", headers=login("customer"))
    assert queue.status_code == 403
