"""Billing care as rows, and back: suspensions, payment disputes and their receipts, data use,
fraud flags, plan changes, bills as the billing care reads them, and the ledger's balance of an
account (`domain/billing.py`, `domain/billing_plans.py`, `domain/payment_disputes.py`).

Ledger lines are written only by `ConcessionRepository.add_posting`, which keeps
`accounts.balance` equal to their sum; `ledger_balance` reads the sum itself, so a test (and an
operator) can check the copy against the source.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from teamline.domain.billing import BillRecord, Suspension
from teamline.domain.billing_plans import DataUse, FlagState, FraudFlag, PlanChangeCheck
from teamline.domain.errors import Conflict
from teamline.domain.ledger import Posting, customer_account
from teamline.domain.money import Money
from teamline.domain.payment_disputes import (
    DisputeSettlement,
    DisputeState,
    PaymentDispute,
    Receipt,
)
from teamline.store.tables import AccountRow, BillRow, LedgerEntryRow
from teamline.store.tables_billing import (
    DataUseRow,
    DisputeReceiptRow,
    FraudFlagRow,
    PaymentDisputeRow,
    PlanChangeRow,
    SuspensionRow,
)


def ledger_rows(posting: Posting) -> list[dict[str, Any]]:
    """A posting's lines as rows, for a bulk load (the demo) that writes `accounts.balance`
    with the same sums itself; everything else posts through `add_posting`."""
    return [
        {
            "posting_id": posting.id,
            "request_id": posting.request_id,
            "customer_id": posting.customer_id,
            "account_number": posting.account_number,
            "ledger_account": line.ledger_account,
            "amount": line.amount.amount,
            "currency": line.amount.currency,
            "at": posting.at,
            "memo": posting.memo,
        }
        for line in posting.lines
    ]


def suspension_row(s: Suspension) -> dict[str, Any]:
    return {
        "id": s.id,
        "account_number": s.account_number,
        "start_on": s.start_on,
        "end_on": s.end_on,
        "reason": s.reason,
        "fee": s.fee.amount,
        "currency": s.fee.currency,
        "requested_by": s.requested_by,
        "created_at": s.created_at,
        "ended_early_at": s.ended_early_at,
    }


def _suspension(r: SuspensionRow) -> Suspension:
    return Suspension(
        r.id, r.account_number, r.start_on, r.end_on, r.reason, Money(r.fee, r.currency),
        r.requested_by, r.created_at, r.ended_early_at,
    )  # fmt: skip


def _decision(d: PaymentDispute) -> dict[str, Any]:
    return {
        "state": d.state.value,
        "reviewer": d.reviewer,
        "decided_by": d.decided_by,
        "decided_at": d.decided_at,
        "settlement": d.settlement.value if d.settlement else None,
        "note": d.note,
        "posting_id": d.posting_id,
    }


def _dispute(r: PaymentDisputeRow) -> PaymentDispute:
    receipt = Receipt(r.receipt_name, r.receipt_type, r.receipt_size, r.receipt_sha256)
    return PaymentDispute(
        r.id, r.customer_id, r.account_number, Money(r.amount, r.currency), r.paid_on, r.way,
        r.reference, r.claim, receipt, r.filed_by, r.filed_at, r.due_at, DisputeState(r.state),
        r.reviewer, r.decided_by, r.decided_at,
        DisputeSettlement(r.settlement) if r.settlement else None, r.note, r.posting_id,
    )  # fmt: skip


def _flag(r: FraudFlagRow, use: DataUseRow) -> FraudFlag:
    data = DataUse(
        use.account_number, use.period_start, use.period_end, use.gigabytes, use.allowance_gb
    )
    return FraudFlag(
        r.id, r.account_number, r.customer_id, data, r.threshold_gb, r.reason, r.flagged_at,
        FlagState(r.state), r.cleared_by, r.cleared_at, r.note,
    )  # fmt: skip


class BillingRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # ---- the balance and bills ----

    def lock_account(self, number: str) -> None:
        """Serialise billing decisions on one account (PostgreSQL row lock; SQLite has one
        writer anyway): two suspensions or two payments cannot both read the old state."""
        self._s.execute(
            select(AccountRow.number).where(AccountRow.number == number).with_for_update()
        )

    def ledger_balance(self, number: str, currency: str) -> Money:
        """The sum of the account's own ledger lines: what the customer owes (negative: in
        their favour)."""
        total = self._s.scalar(
            select(func.coalesce(func.sum(LedgerEntryRow.amount), 0)).where(
                LedgerEntryRow.ledger_account == customer_account(number),
                LedgerEntryRow.currency == currency,
            )
        )
        return Money(Decimal(total or 0), currency)

    def balance_column(self, number: str) -> Decimal | None:
        return self._s.scalar(select(AccountRow.balance).where(AccountRow.number == number))

    def bills(self, number: str, currency: str, limit: int = 36) -> list[BillRecord]:
        rows = self._s.scalars(
            select(BillRow)
            .where(BillRow.account_number == number)
            .order_by(BillRow.due_on.desc())
            .limit(limit)
        )
        return [BillRecord(r.due_on, Money(r.amount, currency), r.paid_on) for r in rows]

    def bill(self, number: str, due_on: date, currency: str) -> BillRecord | None:
        row = self._s.scalar(
            select(BillRow).where(BillRow.account_number == number, BillRow.due_on == due_on)
        )
        return BillRecord(row.due_on, Money(row.amount, currency), row.paid_on) if row else None

    # ---- suspensions ----

    def add_suspension(self, s: Suspension) -> None:
        self._s.add(SuspensionRow(**suspension_row(s)))

    def suspensions(self, number: str) -> list[Suspension]:
        rows = self._s.scalars(
            select(SuspensionRow)
            .where(SuspensionRow.account_number == number)
            .order_by(SuspensionRow.start_on, SuspensionRow.id)
        )
        return [_suspension(r) for r in rows]

    def save_suspension(self, s: Suspension) -> None:
        self._s.execute(
            update(SuspensionRow)
            .where(SuspensionRow.id == s.id)
            .values(end_on=s.end_on, ended_early_at=s.ended_early_at)
        )

    # ---- payment disputes ----

    def add_dispute(self, d: PaymentDispute, content: bytes) -> None:
        r = d.receipt
        self._s.add(
            PaymentDisputeRow(
                id=d.id,
                customer_id=d.customer_id,
                account_number=d.account_number,
                amount=d.amount.amount,
                currency=d.amount.currency,
                paid_on=d.paid_on,
                way=d.way,
                reference=d.reference,
                claim=d.claim,
                receipt_name=r.filename,
                receipt_type=r.content_type,
                receipt_size=r.size,
                receipt_sha256=r.sha256,
                filed_by=d.filed_by,
                filed_at=d.filed_at,
                due_at=d.due_at,
                **_decision(d),
            )
        )
        self._s.flush()  # no relationships: the dispute before its receipt
        self._s.add(DisputeReceiptRow(dispute_id=d.id, content=content))

    def dispute(self, dispute_id: str, *, for_update: bool = False) -> PaymentDispute | None:
        query = select(PaymentDisputeRow).where(PaymentDisputeRow.id == dispute_id)
        row = self._s.scalar(query.with_for_update() if for_update else query)
        return _dispute(row) if row else None

    def save_dispute(self, d: PaymentDispute, was: DisputeState) -> None:
        """Write a step, unless someone moved the dispute first (then the caller is told)."""
        done = self._s.execute(
            update(PaymentDisputeRow)
            .where(PaymentDisputeRow.id == d.id, PaymentDisputeRow.state == was.value)
            .values(**_decision(d))
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"dispute {d.id} was changed by someone else meanwhile")

    def receipt(self, dispute_id: str) -> bytes | None:
        return self._s.scalar(
            select(DisputeReceiptRow.content).where(DisputeReceiptRow.dispute_id == dispute_id)
        )

    def disputes(
        self, *, account_number: str | None = None, undecided: bool = False, limit: int = 100
    ) -> list[PaymentDispute]:
        query = select(PaymentDisputeRow)
        if account_number is not None:
            query = query.where(PaymentDisputeRow.account_number == account_number)
        if undecided:
            open_states = (DisputeState.OPEN.value, DisputeState.UNDER_REVIEW.value)
            query = query.where(PaymentDisputeRow.state.in_(open_states))
            query = query.order_by(PaymentDisputeRow.due_at, PaymentDisputeRow.id)
        else:
            query = query.order_by(PaymentDisputeRow.filed_at.desc(), PaymentDisputeRow.id)
        return [_dispute(r) for r in self._s.scalars(query.limit(limit))]

    # ---- data use and fraud flags ----

    def add_data_use(self, use: DataUse, at: datetime) -> int:
        taken = self._s.scalar(
            select(DataUseRow.id).where(
                DataUseRow.account_number == use.account_number,
                DataUseRow.period_start == use.period_start,
            )
        )
        if taken is not None:
            raise Conflict(f"data use from {use.period_start} is recorded already")
        row = DataUseRow(
            account_number=use.account_number,
            period_start=use.period_start,
            period_end=use.period_end,
            gigabytes=use.gigabytes,
            allowance_gb=use.allowance_gb,
            recorded_at=at,
        )
        self._s.add(row)
        self._s.flush()
        return row.id

    def add_flag(self, flag: FraudFlag, data_use_id: int) -> None:
        self._s.add(
            FraudFlagRow(
                id=flag.id,
                account_number=flag.account_number,
                customer_id=flag.customer_id,
                data_use_id=data_use_id,
                threshold_gb=flag.threshold_gb,
                reason=flag.reason,
                state=flag.state.value,
                flagged_at=flag.flagged_at,
                note=flag.note,
            )
        )

    def flags(self, state: FlagState | None, limit: int = 100) -> list[FraudFlag]:
        query = select(FraudFlagRow, DataUseRow).join(
            DataUseRow, DataUseRow.id == FraudFlagRow.data_use_id
        )
        if state is not None:
            query = query.where(FraudFlagRow.state == state.value)
        query = query.order_by(FraudFlagRow.flagged_at.desc(), FraudFlagRow.id).limit(limit)
        return [_flag(f, u) for f, u in self._s.execute(query).all()]

    def flag(self, flag_id: str) -> FraudFlag | None:
        row = self._s.execute(
            select(FraudFlagRow, DataUseRow)
            .join(DataUseRow, DataUseRow.id == FraudFlagRow.data_use_id)
            .where(FraudFlagRow.id == flag_id)
        ).first()
        return _flag(row[0], row[1]) if row else None

    def clear_flag(self, flag: FraudFlag) -> None:
        done = self._s.execute(
            update(FraudFlagRow)
            .where(FraudFlagRow.id == flag.id, FraudFlagRow.state == FlagState.OPEN.value)
            .values(
                state=flag.state.value,
                cleared_by=flag.cleared_by,
                cleared_at=flag.cleared_at,
                note=flag.note,
            )
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"flag {flag.id} was cleared by someone else meanwhile")

    def open_flags_of(self, number: str) -> int:
        return int(
            self._s.scalar(
                select(func.count(FraudFlagRow.id)).where(
                    FraudFlagRow.account_number == number,
                    FraudFlagRow.state == FlagState.OPEN.value,
                )
            )
            or 0
        )

    # ---- plan changes ----

    def apply_plan_change(
        self,
        change_id: str,
        check: PlanChangeCheck,
        account_number: str,
        contract: tuple[date, int] | None,
        explanation: str,
        by: str,
        at: datetime,
    ) -> None:
        values: dict[str, Any] = {"plan": check.new_plan}
        if check.loses_grandfathered:
            values["grandfathered"] = False
        if contract is not None:
            values["contract_start"], values["contract_term_months"] = contract
        self._s.execute(
            update(AccountRow).where(AccountRow.number == account_number).values(**values)
        )
        self._s.add(
            PlanChangeRow(
                id=change_id,
                account_number=account_number,
                kind=check.kind.value,
                from_plan=check.current_plan,
                to_plan=check.new_plan,
                lost_grandfathered=check.loses_grandfathered,
                warning=check.warning or "",
                explanation=explanation,
                changed_by=by,
                changed_at=at,
            )
        )
