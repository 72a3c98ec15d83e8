"""Payment disputes: a payment the customer made that the account does not show (DOMAIN.md 5).

In the accounts, an agent "could not see it over the phone": such a payment needs the receipt
and a written claim. Here the claim is a case with a visible state and a deadline:

    open --(staff start the review)--> under_review --(supervisor)--> upheld | rejected

An **upheld** dispute moves money through the ledger, either way saying where it went:
- `account`: the payment is recorded on the account (customer:<account> -v,
  payments:disputed +v): the balance drops as if the payment had shown at once;
- `refund`: the money goes back to the original payment method (payout:original_payment_method
  -v, refunds:payment_dispute +v), never as a voucher (DOMAIN.md 4: refunds beat chargebacks).
A **rejected** dispute says why. The review is due `dispute_review_days` after filing.

The receipt is checked here, once: a PDF, PNG or JPEG whose bytes match its declared type, not
empty and not above the policy's size limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from teamline.domain.billing import BillingPolicy, check_text
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.events import Event
from teamline.domain.ledger import LedgerLine, Posting, customer_account
from teamline.domain.money import Money

CLAIM_MAX = 2000
NOTE_MAX = 500
REFERENCE_MAX = 100
FILENAME_MAX = 200
# the content type each kind of receipt declares, and the bytes its file starts with
RECEIPT_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


class DisputeState(StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    UPHELD = "upheld"
    REJECTED = "rejected"

    @property
    def decided(self) -> bool:
        return self in (DisputeState.UPHELD, DisputeState.REJECTED)


class DisputeSettlement(StrEnum):
    ACCOUNT = "account"  # the missing payment is recorded on the account
    REFUND = "refund"  # the money goes back to the original payment method


@dataclass(frozen=True, slots=True)
class Receipt:
    filename: str
    content_type: str
    size: int
    sha256: str


def check_receipt(
    policy: BillingPolicy, filename: str, content_type: str, content: bytes
) -> Receipt:
    """The receipt's facts, or an error naming `receipt` that says what to send instead."""
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    if kind not in RECEIPT_TYPES:
        allowed = ", ".join(RECEIPT_TYPES)
        raise InvalidInput("receipt", f"{kind or 'no type'} is not accepted; send one of {allowed}")
    if not content:
        raise InvalidInput("receipt", "the file is empty")
    if len(content) > policy.receipt_max_bytes:
        raise InvalidInput("receipt", f"at most {policy.receipt_max_bytes} bytes")
    if not content.startswith(RECEIPT_TYPES[kind]):
        raise InvalidInput("receipt", f"the file's content is not {kind}")
    name = (filename or "receipt").replace("\\", "/").rsplit("/", 1)[-1]
    # printable only: the name goes back out in a Content-Disposition header
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:FILENAME_MAX]
    return Receipt(name or "receipt", kind, len(content), hashlib.sha256(content).hexdigest())


@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeChanged(Event):
    name: ClassVar[str] = "payment_dispute.changed"
    dispute_id: str
    customer_id: str
    account_number: str
    state: str


@dataclass(slots=True)
class PaymentDispute:
    id: str
    customer_id: str
    account_number: str
    amount: Money
    paid_on: date
    way: str  # how it was paid (a `WayToPay` key)
    reference: str  # the receipt's or the bank's reference, as the customer reads it
    claim: str  # the written claim
    receipt: Receipt
    filed_by: str
    filed_at: datetime
    due_at: datetime  # the review is due
    state: DisputeState = DisputeState.OPEN
    reviewer: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    settlement: DisputeSettlement | None = None
    note: str = ""
    posting_id: str | None = None
    events: list[Event] = field(default_factory=list)

    @classmethod
    def file(
        cls,
        policy: BillingPolicy,
        dispute_id: str,
        customer_id: str,
        account_number: str,
        amount: Money,
        paid_on: date,
        way: str,
        reference: str,
        claim: str,
        receipt: Receipt,
        filed_by: str,
        now: datetime,
        today: date,
    ) -> PaymentDispute:
        if amount.amount <= 0:
            raise InvalidInput("amount", "the payment's amount is above 0")
        if paid_on > today:
            raise InvalidInput("paid_on", f"cannot be after today ({today})")
        if (today - paid_on).days > policy.dispute_window_days:
            raise InvalidInput(
                "paid_on", f"a payment is disputed within {policy.dispute_window_days} days"
            )
        policy.way(way)  # names `method` when unknown
        claim = check_text(claim, "claim", CLAIM_MAX)  # the written claim
        reference = check_text(reference, "reference", REFERENCE_MAX, required=False)
        due = now + timedelta(days=policy.dispute_review_days)
        dispute = cls(
            dispute_id, customer_id, account_number, amount, paid_on, way,
            reference, claim, receipt, filed_by, now, due,
        )  # fmt: skip
        dispute._changed(now)
        return dispute

    def overdue(self, now: datetime) -> bool:
        return not self.state.decided and now > self.due_at

    def start_review(self, reviewer: str, now: datetime) -> None:
        self._move(DisputeState.OPEN, DisputeState.UNDER_REVIEW)
        self.reviewer = reviewer
        self._changed(now)

    def uphold(
        self, by: str, now: datetime, settlement: DisputeSettlement, note: str, posting_id: str
    ) -> Posting:
        """Accept the claim; the posting moves the money as `settlement` says."""
        self._decide(DisputeState.UPHELD, by, now, note)
        self.settlement, self.posting_id = settlement, posting_id
        self._changed(now)
        return self.posting(now)

    def reject(self, by: str, now: datetime, note: str) -> None:
        if not note.strip():
            raise InvalidInput("note", "a rejected dispute says why")
        self._decide(DisputeState.REJECTED, by, now, note)
        self._changed(now)

    def posting(self, at: datetime) -> Posting:
        if self.settlement is None or self.posting_id is None:
            raise InvalidInput("settlement", "only an upheld dispute posts")
        v = self.amount
        if self.settlement is DisputeSettlement.ACCOUNT:
            pair = (customer_account(self.account_number), "payments:disputed")
            memo = f"payment of {v} on {self.paid_on} shown after dispute {self.id}"
        else:
            pair = ("payout:original_payment_method", "refunds:payment_dispute")
            memo = f"refund of {v} paid on {self.paid_on} (dispute {self.id})"
        lines = (LedgerLine(pair[0], -v), LedgerLine(pair[1], v))
        return Posting(
            self.posting_id, at, self.customer_id, self.account_number, None, memo, lines
        )

    def explanation(self, now: datetime) -> str:
        paid = f"the payment of {self.amount} made on {self.paid_on} by {self.way}"
        if self.state is DisputeState.OPEN:
            text = (
                f"Filed with the receipt ({self.receipt.filename}) and a written claim about "
                f"{paid}; waiting for review, due by {self.due_at:%Y-%m-%d %H:%M} UTC."
            )
        elif self.state is DisputeState.UNDER_REVIEW:
            text = (
                f"Under review: the billing team is matching the receipt with {paid}; "
                f"a decision is due by {self.due_at:%Y-%m-%d %H:%M} UTC."
            )
        elif self.state is DisputeState.UPHELD:
            where = (
                "recorded on the account, which lowers its balance by the same amount"
                if self.settlement is DisputeSettlement.ACCOUNT
                else "refunded to the original payment method (not as a voucher)"
            )
            note = f" Note: {self.note}" if self.note else ""
            return f"Upheld: {paid} is {where}.{note}"
        else:
            return f"Rejected: {paid} could not be confirmed. Why: {self.note}"
        if self.overdue(now):
            text += " The review is overdue."
        return text

    def _move(self, current: DisputeState, target: DisputeState) -> None:
        if self.state is not current:
            raise InvalidTransition("payment dispute", self.state.value, target.value)
        self.state = target

    def _decide(self, target: DisputeState, by: str, now: datetime, note: str) -> None:
        note = check_text(note, "note", NOTE_MAX, required=False)
        self._move(DisputeState.UNDER_REVIEW, target)
        self.decided_by, self.decided_at, self.note = by, now, note

    def _changed(self, now: datetime) -> None:
        self.events.append(
            DisputeChanged(
                at=now,
                dispute_id=self.id,
                customer_id=self.customer_id,
                account_number=self.account_number,
                state=self.state.value,
            )
        )
