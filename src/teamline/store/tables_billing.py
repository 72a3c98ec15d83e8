"""Rows of billing care (issue 6 item 7; `domain/billing.py`, `domain/billing_plans.py`,
`domain/payment_disputes.py`): voluntary suspensions, payment disputes with their receipts,
data use reported by the usage feed, fraud flags and applied plan changes.

The account's balance is not here: it is the ledger's (`ledger_entries`), copied into
`accounts.balance` by the one writer of ledger lines in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import ID, Base


class SuspensionRow(Base):
    """A pause the customer asked for: from `start_on` until the day before `end_on`."""

    __tablename__ = "account_suspensions"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    fee: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    requested_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    ended_early_at: Mapped[datetime | None]


class PaymentDisputeRow(Base):
    """A payment the account does not show, claimed in writing with a receipt; a case with a
    state and a deadline. The receipt's bytes live in `payment_dispute_receipts`."""

    __tablename__ = "payment_disputes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date)
    way: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100))
    claim: Mapped[str] = mapped_column(Text)
    receipt_name: Mapped[str] = mapped_column(String(200))
    receipt_type: Mapped[str] = mapped_column(String(40))
    receipt_size: Mapped[int] = mapped_column(Integer)
    receipt_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), index=True)
    filed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime]
    due_at: Mapped[datetime]
    reviewer: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    settlement: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    posting_id: Mapped[str | None] = mapped_column(ID)


class DisputeReceiptRow(Base):
    __tablename__ = "payment_dispute_receipts"
    dispute_id: Mapped[str] = mapped_column(ForeignKey("payment_disputes.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class DataUseRow(Base):
    """Gigabytes an account used in a period, as the usage feed reported them (one per start)."""

    __tablename__ = "data_use"
    __table_args__ = (Unique("account_number", "period_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    gigabytes: Mapped[Decimal]
    allowance_gb: Mapped[Decimal | None]
    recorded_at: Mapped[datetime]


class FraudFlagRow(Base):
    """An account flagged for the fraud team by heavy data use, with the sentence why."""

    __tablename__ = "fraud_flags"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    data_use_id: Mapped[int] = mapped_column(ForeignKey("data_use.id"))
    threshold_gb: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), index=True)
    flagged_at: Mapped[datetime]
    cleared_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    cleared_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")


class PlanChangeRow(Base):
    """A plan change applied to an account, and whether a grandfathered plan was given up
    (only ever after the warning was acknowledged)."""

    __tablename__ = "plan_changes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    from_plan: Mapped[str] = mapped_column(String(100))
    to_plan: Mapped[str] = mapped_column(String(100))
    lost_grandfathered: Mapped[bool] = mapped_column(Boolean)
    warning: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime]
