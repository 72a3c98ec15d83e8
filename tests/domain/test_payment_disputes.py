"""Payment disputes (DOMAIN.md 5): a payment the account does not show is a case with the receipt
and a written claim, a deadline, and a decision that moves money through the ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from teamline.domain.billing import BillingPolicy
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.ledger import customer_account, totals
from teamline.domain.money import Money
from teamline.domain.payment_disputes import (
    DisputeSettlement,
    DisputeState,
    PaymentDispute,
    check_receipt,
)

POLICY = BillingPolicy()
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
PDF = b"%PDF-1.7\n receipt of a payment"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def dispute(**changes: object) -> PaymentDispute:
    args: dict[str, object] = {
        "amount": Money.of("60.00"),
        "paid_on": date(2026, 11, 3),
        "way": "store",
        "reference": "R-1",
        "claim": "I paid at the store on the 3rd; the app still shows the bill unpaid.",
    }
    args.update(changes)
    receipt = check_receipt(POLICY, "receipt.pdf", "application/pdf", PDF)
    return PaymentDispute.file(
        POLICY, "pdp-1", "cus-1", "100000001", args["amount"], args["paid_on"], args["way"],  # type: ignore[arg-type]
        args["reference"], args["claim"], receipt, "u-customer", NOW, TODAY,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_receipt_is_checked_by_type_content_and_size() -> None:
    receipt = check_receipt(POLICY, "C:\\scans\\paid\r\n.png", "image/png; q=1", PNG)
    assert receipt.filename == "paid.png" and receipt.content_type == "image/png"
    assert receipt.size == len(PNG) and len(receipt.sha256) == 64
    bad = [
        ("text/plain", b"hello"),  # not a receipt type
        ("application/pdf", b""),  # empty
        ("image/png", PDF),  # the bytes are not what the type says
        ("application/pdf", b"%PDF-" + b"x" * POLICY.receipt_max_bytes),  # too large
    ]
    for kind, content in bad:
        with pytest.raises(InvalidInput) as caught:
            check_receipt(POLICY, "r", kind, content)
        assert caught.value.field == "receipt"


def test_a_filed_dispute_is_open_with_a_deadline_and_says_what_happens_next() -> None:
    d = dispute()
    assert d.state is DisputeState.OPEN and d.due_at == NOW + timedelta(days=10)
    assert "waiting for review, due by 2026-12-04" in d.explanation(NOW)
    assert not d.overdue(NOW) and d.overdue(NOW + timedelta(days=11))
    assert "overdue" in d.explanation(NOW + timedelta(days=11))
    assert [e.name for e in d.events] == ["payment_dispute.changed"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Money.of(0)}, "amount"),
        ({"paid_on": TODAY + timedelta(days=1)}, "paid_on"),
        ({"paid_on": TODAY - timedelta(days=366)}, "paid_on"),
        ({"way": "cheque"}, "method"),
        ({"claim": "  "}, "claim"),
        ({"claim": "paid\x00"}, "claim"),  # PostgreSQL text cannot hold NUL
        ({"reference": "x" * 101}, "reference"),
    ],
)
def test_a_bad_dispute_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        dispute(**changes)
    assert caught.value.field == field


def test_an_upheld_dispute_records_the_payment_on_the_account() -> None:
    d = dispute()
    d.start_review("u-agent", NOW)
    assert "Under review" in d.explanation(NOW)
    posting = d.uphold("u-sup", NOW, DisputeSettlement.ACCOUNT, "matched the store's ledger", "p1")
    assert d.state is DisputeState.UPHELD and d.posting_id == "p1"
    assert all(t == 0 for t in totals(posting.lines).values())
    mine = [line for line in posting.lines if line.ledger_account == customer_account("100000001")]
    assert [line.amount for line in mine] == [Money.of("-60.00")]
    assert "recorded on the account" in d.explanation(NOW)


def test_an_upheld_refund_goes_back_to_the_original_payment_method_not_the_bill() -> None:
    d = dispute()
    d.start_review("u-agent", NOW)
    posting = d.uphold("u-sup", NOW, DisputeSettlement.REFUND, "", "p1")
    accounts = {line.ledger_account for line in posting.lines}
    assert accounts == {"payout:original_payment_method", "refunds:payment_dispute"}
    assert "original payment method (not as a voucher)" in d.explanation(NOW)


def test_a_rejected_dispute_says_why_and_nothing_skips_the_review() -> None:
    d = dispute()
    with pytest.raises(InvalidTransition):
        d.reject("u-sup", NOW, "no such payment")  # still open: review first
    d.start_review("u-agent", NOW)
    with pytest.raises(InvalidInput) as caught:
        d.reject("u-sup", NOW, " ")
    assert caught.value.field == "note"
    d.reject("u-sup", NOW, "the store has no payment with that reference")
    assert d.explanation(NOW).startswith("Rejected") and "no payment" in d.explanation(NOW)
    with pytest.raises(InvalidTransition):
        d.uphold("u-sup", NOW, DisputeSettlement.ACCOUNT, "", "p1")
    with pytest.raises(InvalidTransition):
        d.start_review("u-agent", NOW)
