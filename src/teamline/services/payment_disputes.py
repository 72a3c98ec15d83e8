"""Payment disputes as use cases: filed with the receipt and a written claim, reviewed by
staff, upheld or rejected by a supervisor, the money moved through the ledger in the same
transaction (DOMAIN.md 5; issue 6 item 7; rules in `domain/payment_disputes.py`).

The account's own customer files from the app or website; staff file on the customer's behalf
(the receipt is uploaded either way: "over the phone" proves nothing). The same receipt cannot
open a second dispute on the account while the first is undecided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from teamline.domain.errors import Conflict, NotFound
from teamline.domain.money import Money
from teamline.domain.payment_disputes import (
    DisputeSettlement,
    DisputeState,
    PaymentDispute,
    check_receipt,
)
from teamline.domain.users import User
from teamline.services.access import access_account, require_staff, require_supervisor
from teamline.services.care_policies import CarePolicies
from teamline.services.ids import new_id
from teamline.services.tiers import local_today
from teamline.store.uow import UnitOfWork

LIST_MAX = 100


@dataclass(frozen=True)
class DisputeDraft:
    account_number: str
    amount: Decimal
    paid_on: date
    method: str
    reference: str
    claim: str
    receipt_name: str
    receipt_type: str
    receipt: bytes


@dataclass(frozen=True)
class DisputeView:
    dispute: PaymentDispute
    overdue: bool
    explanation: str
    balance: Money | None = None  # the account's balance after the step that moved money


def _view(d: PaymentDispute, now: datetime, balance: Money | None = None) -> DisputeView:
    return DisputeView(d, d.overdue(now), d.explanation(now), balance)


def _access(uow: UnitOfWork, actor: User, dispute_id: str, *, lock: bool = False) -> PaymentDispute:
    dispute = uow.billing.dispute(dispute_id, for_update=lock)
    if dispute is None or not actor.may_see_customer(dispute.customer_id):
        raise NotFound(f"payment dispute {dispute_id!r} not found")
    return dispute


def _record(uow: UnitOfWork, actor: User, d: PaymentDispute, action: str, now: datetime) -> None:
    for event in d.events:
        uow.journal.record(event)
    detail = {"state": d.state.value, "amount": str(d.amount), "account": d.account_number}
    uow.journal.audit(now, actor.id, action, "payment_dispute", d.id, detail)


def file_dispute(
    uow: UnitOfWork,
    actor: User,
    draft: DisputeDraft,
    now: datetime,
    policies: CarePolicies | None = None,
) -> DisputeView:
    """A payment the account does not show, claimed with its receipt (staff, or the account's
    own customer). The review is due `dispute_review_days` later."""
    policy = (policies or CarePolicies()).billing
    with uow:
        customer, account = access_account(uow, actor, draft.account_number)
        receipt = check_receipt(policy, draft.receipt_name, draft.receipt_type, draft.receipt)
        uow.billing.lock_account(account.number)
        for other in uow.billing.disputes(account_number=account.number, undecided=True):
            if other.receipt.sha256 == receipt.sha256:
                raise Conflict(f"this receipt is already in dispute {other.id}, still undecided")
        dispute = PaymentDispute.file(
            policy,
            new_id("pdp"),
            customer.id,
            account.number,
            Money(draft.amount, account.monthly_charge.currency),
            draft.paid_on,
            draft.method,
            draft.reference,
            draft.claim,
            receipt,
            actor.id,
            now,
            local_today(uow, customer, now),
        )
        uow.billing.add_dispute(dispute, draft.receipt)
        _record(uow, actor, dispute, "payment_dispute.file", now)
        uow.commit()
        return _view(dispute, now)


def get_dispute(uow: UnitOfWork, actor: User, dispute_id: str, now: datetime) -> DisputeView:
    with uow:
        return _view(_access(uow, actor, dispute_id), now)


def dispute_receipt(uow: UnitOfWork, actor: User, dispute_id: str) -> tuple[str, str, bytes]:
    """The uploaded receipt: (file name, content type, bytes)."""
    with uow:
        dispute = _access(uow, actor, dispute_id)
        content = uow.billing.receipt(dispute.id)
        if content is None:  # the row is written with the dispute; a missing one is a bug
            raise NotFound(f"the receipt of {dispute_id!r} is missing")
        return dispute.receipt.filename, dispute.receipt.content_type, content


def list_disputes(
    uow: UnitOfWork,
    actor: User,
    now: datetime,
    account_number: str | None,
) -> list[DisputeView]:
    """One account's disputes, newest first (staff, or its own customer); without an account,
    the billing team's queue: every undecided dispute, the earliest due first (staff)."""
    with uow:
        if account_number is not None:
            access_account(uow, actor, account_number)
            found = uow.billing.disputes(account_number=account_number, limit=LIST_MAX)
        else:
            require_staff(actor, "see the payment dispute queue")
            found = uow.billing.disputes(undecided=True, limit=LIST_MAX)
        return [_view(d, now) for d in found]


def start_review(uow: UnitOfWork, actor: User, dispute_id: str, now: datetime) -> DisputeView:
    """Staff take the dispute: they match the receipt with the bank's or the store's records."""
    require_staff(actor, "review payment disputes")
    with uow:
        dispute = _access(uow, actor, dispute_id, lock=True)
        was = dispute.state
        dispute.start_review(actor.id, now)
        uow.billing.save_dispute(dispute, was)
        _record(uow, actor, dispute, "payment_dispute.review", now)
        uow.commit()
        return _view(dispute, now)


def uphold(
    uow: UnitOfWork,
    actor: User,
    dispute_id: str,
    settlement: DisputeSettlement,
    note: str,
    now: datetime,
) -> DisputeView:
    """A supervisor accepts the claim: the payment is recorded on the account, or refunded to
    the original payment method; either way a balanced posting says where the money went."""
    require_supervisor(actor, "decide payment disputes")
    with uow:
        dispute = _access(uow, actor, dispute_id, lock=True)
        was = dispute.state
        posting = dispute.uphold(actor.id, now, settlement, note, new_id("pst"))
        uow.billing.save_dispute(dispute, was)
        uow.concessions.add_posting(posting)
        _record(uow, actor, dispute, "payment_dispute.uphold", now)
        balance = uow.billing.ledger_balance(dispute.account_number, dispute.amount.currency)
        uow.commit()
        return _view(dispute, now, balance)


def reject(uow: UnitOfWork, actor: User, dispute_id: str, note: str, now: datetime) -> DisputeView:
    """A supervisor turns the claim down, saying why (the customer reads it)."""
    require_supervisor(actor, "decide payment disputes")
    with uow:
        dispute = _access(uow, actor, dispute_id, lock=True)
        was = dispute.state
        dispute.reject(actor.id, now, note)
        uow.billing.save_dispute(dispute, was)
        _record(uow, actor, dispute, "payment_dispute.reject", now)
        uow.commit()
        return _view(dispute, now)


__all__ = [
    "DisputeDraft",
    "DisputeSettlement",
    "DisputeState",
    "DisputeView",
    "dispute_receipt",
    "file_dispute",
    "get_dispute",
    "list_disputes",
    "reject",
    "start_review",
    "uphold",
]
