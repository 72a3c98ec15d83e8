"""Wire models of billing care (issue 6 item 7): an account's standing with the ways to pay,
bills and payments, suspensions, plan-change warnings, data use and fraud flags, and payment
disputes. Money is a decimal with two places next to its currency, never a float. Every answer
that shows a decision carries `explanation`, a sentence an agent can read out as it is."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from teamline.api.schemas import Strict
from teamline.domain.billing import REASON_MAX, BillRecord, Suspension
from teamline.domain.billing_plans import (
    NOTE_MAX,
    PLAN_MAX,
    FlagState,
    FraudFlag,
    PlanChangeCheck,
    PlanChangeKind,
)
from teamline.domain.payment_disputes import DisputeSettlement, DisputeState
from teamline.services.billing import BillingView, BillResult, PaymentResult, SuspensionView
from teamline.services.billing_plans import DataUseResult, PlanChangeResult
from teamline.services.payment_disputes import DisputeView

Amount = Annotated[Decimal, Field(gt=0, max_digits=9, decimal_places=2, allow_inf_nan=False)]
Gigabytes = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=2, allow_inf_nan=False)]
Method = Annotated[str, Field(min_length=1, max_length=20, description="a way to pay's key")]


class WayToPayOut(BaseModel):
    key: str
    name: str
    open_now: bool = Field(description="open at the customer's local time of the answer")
    hours: str
    credited: str = Field(description="when the money reaches the account")


class SuspensionOut(BaseModel):
    id: str
    account_number: str
    start_on: date
    end_on: date = Field(description="service resumes on this day")
    days: int
    reason: str
    fee: Decimal
    currency: str
    in_force: bool
    ended_early_at: datetime | None
    explanation: str

    @classmethod
    def of(cls, s: Suspension, explanation: str, in_force: bool) -> SuspensionOut:
        return cls(
            id=s.id,
            account_number=s.account_number,
            start_on=s.start_on,
            end_on=s.end_on,
            days=s.days,
            reason=s.reason,
            fee=s.fee.amount,
            currency=s.fee.currency,
            in_force=in_force,
            ended_early_at=s.ended_early_at,
            explanation=explanation,
        )

    @classmethod
    def of_view(cls, v: SuspensionView) -> SuspensionOut:
        return cls.of(v.suspension, v.explanation, v.in_force)


class BillingOut(BaseModel):
    account_number: str
    billing_method: str = Field(description="credit: billed after use; advance: paid before")
    method_explanation: str
    currency: str
    balance: Decimal = Field(description="the sum of the ledger: positive owed, negative in favour")
    amount_due: Decimal
    funds: Decimal = Field(description="an advance account's prepaid funds")
    service: str = Field(description="active, blocked or suspended")
    blocked: bool
    still_works: list[str] = Field(description="what a blocked or suspended line can still do")
    ways_to_pay: list[WayToPayOut] = Field(description="open ones first")
    local_time: datetime = Field(description="the customer's time the ways were checked at")
    period_start: date = Field(description="the billing cycle of today")
    period_end: date = Field(description="the day it is billed (credit) or paid by (advance)")
    suspensions: list[SuspensionOut] = Field(description="in force or still to come")
    explanation: str

    @classmethod
    def of(cls, v: BillingView) -> BillingOut:
        st = v.standing
        return cls(
            account_number=v.account.number,
            billing_method=v.account.billing_method.value,
            method_explanation=v.mode,
            currency=v.balance.currency,
            balance=v.balance.amount,
            amount_due=st.amount_due.amount,
            funds=st.funds.amount,
            service=st.service,
            blocked=st.blocked,
            still_works=list(st.still_works),
            ways_to_pay=[
                WayToPayOut(
                    key=w.way.key,
                    name=w.way.name,
                    open_now=w.open_now,
                    hours=w.way.describe_hours(),
                    credited=w.way.credited,
                )
                for w in v.ways
            ],
            local_time=v.local_time,
            period_start=v.period.start,
            period_end=v.period.end,
            suspensions=[
                SuspensionOut.of(s, s.explanation(), s.in_force(v.local_time.date()))
                for s in v.suspensions
            ],
            explanation=v.explanation,
        )


class BillIn(Strict):
    due_on: date
    amount: Amount
    paid_on: date | None = Field(default=None, description="when it was paid, once it is")
    method: Method = "bank_transfer"


class BillOut(BaseModel):
    due_on: date
    amount: Decimal
    currency: str
    paid_on: date | None
    on_time: bool | None = Field(description="null: not due yet")
    explanation: str


class BillRecordedOut(BaseModel):
    bill: BillOut
    balance: Decimal
    service: str
    tier: int
    explanation: str

    @classmethod
    def of(cls, r: BillResult) -> BillRecordedOut:
        today = r.view.local_time.date()
        return cls(
            bill=bill_out(r.bill, today),
            balance=r.view.balance.amount,
            service=r.view.standing.service,
            tier=r.tier.tier,
            explanation=r.explanation,
        )


def bill_out(b: BillRecord, today: date) -> BillOut:
    return BillOut(
        due_on=b.due_on,
        amount=b.amount.amount,
        currency=b.amount.currency,
        paid_on=b.paid_on,
        on_time=b.on_time(today),
        explanation=b.explanation(today),
    )


class PaymentIn(Strict):
    amount: Amount
    method: Method
    reference: str = Field(default="", max_length=100)


class PaymentOut(BaseModel):
    posting_id: str
    amount: Decimal
    currency: str
    balance: Decimal
    service: str
    explanation: str

    @classmethod
    def of(cls, r: PaymentResult) -> PaymentOut:
        return cls(
            posting_id=r.posting_id,
            amount=r.amount.amount,
            currency=r.amount.currency,
            balance=r.view.balance.amount,
            service=r.view.standing.service,
            explanation=r.explanation,
        )


class SuspensionIn(Strict):
    start_on: date
    end_on: date = Field(description="the day service resumes; after start_on")
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class PlanChangeCheckIn(Strict):
    kind: PlanChangeKind
    new_plan: str = Field(min_length=1, max_length=PLAN_MAX)


class PlanChangeIn(PlanChangeCheckIn):
    acknowledged: bool = Field(
        default=False, description="true once the grandfathered-plan warning was read out"
    )
    term_months: int | None = Field(default=None, description="12 or 24; upgrade or renewal")


class PlanCheckOut(BaseModel):
    kind: PlanChangeKind
    current_plan: str
    new_plan: str
    loses_grandfathered: bool
    needs_acknowledgement: bool
    warning: str | None
    explanation: str

    @classmethod
    def of(cls, c: PlanChangeCheck) -> PlanCheckOut:
        return cls(
            kind=c.kind,
            current_plan=c.current_plan,
            new_plan=c.new_plan,
            loses_grandfathered=c.loses_grandfathered,
            needs_acknowledgement=c.needs_acknowledgement,
            warning=c.warning,
            explanation=c.explanation,
        )


class PlanChangeOut(BaseModel):
    id: str
    check: PlanCheckOut
    explanation: str

    @classmethod
    def of(cls, r: PlanChangeResult) -> PlanChangeOut:
        return cls(id=r.change_id, check=PlanCheckOut.of(r.check), explanation=r.explanation)


class DataUseIn(Strict):
    period_start: date
    period_end: date = Field(description="the day after the period's last day")
    gigabytes: Gigabytes
    allowance_gb: Gigabytes | None = Field(
        default=None, description="the plan's allowance per 30 days; null: unlimited"
    )


class FraudFlagOut(BaseModel):
    id: str
    account_number: str
    customer_id: str
    period_start: date
    period_end: date
    gigabytes: Decimal
    threshold_gb: Decimal
    state: FlagState
    flagged_at: datetime
    cleared_at: datetime | None
    explanation: str

    @classmethod
    def of(cls, f: FraudFlag) -> FraudFlagOut:
        return cls(
            id=f.id,
            account_number=f.account_number,
            customer_id=f.customer_id,
            period_start=f.use.period_start,
            period_end=f.use.period_end,
            gigabytes=f.use.gigabytes,
            threshold_gb=f.threshold_gb,
            state=f.state,
            flagged_at=f.flagged_at,
            cleared_at=f.cleared_at,
            explanation=f.explanation(),
        )


class DataUseOut(BaseModel):
    account_number: str
    flagged: bool
    threshold_gb: Decimal
    flag: FraudFlagOut | None
    explanation: str

    @classmethod
    def of(cls, r: DataUseResult) -> DataUseOut:
        return cls(
            account_number=r.use.account_number,
            flagged=r.assessment.flagged,
            threshold_gb=r.assessment.threshold_gb,
            flag=FraudFlagOut.of(r.flag) if r.flag else None,
            explanation=r.assessment.explanation,
        )


class ClearFlagIn(Strict):
    note: str = Field(min_length=1, max_length=NOTE_MAX)


class DisputeOut(BaseModel):
    id: str
    account_number: str
    customer_id: str
    amount: Decimal
    currency: str
    paid_on: date
    method: str
    reference: str
    claim: str
    receipt_name: str
    receipt_type: str
    receipt_size: int
    state: DisputeState
    filed_at: datetime
    due_at: datetime = Field(description="the review's deadline")
    overdue: bool
    settlement: DisputeSettlement | None
    note: str
    balance: Decimal | None = Field(description="the account's balance after an upheld dispute")
    explanation: str

    @classmethod
    def of(cls, v: DisputeView) -> DisputeOut:
        d = v.dispute
        return cls(
            id=d.id,
            account_number=d.account_number,
            customer_id=d.customer_id,
            amount=d.amount.amount,
            currency=d.amount.currency,
            paid_on=d.paid_on,
            method=d.way,
            reference=d.reference,
            claim=d.claim,
            receipt_name=d.receipt.filename,
            receipt_type=d.receipt.content_type,
            receipt_size=d.receipt.size,
            state=d.state,
            filed_at=d.filed_at,
            due_at=d.due_at,
            overdue=v.overdue,
            settlement=d.settlement,
            note=d.note,
            balance=v.balance.amount if v.balance else None,
            explanation=v.explanation,
        )


class UpholdIn(Strict):
    settlement: DisputeSettlement = Field(
        default=DisputeSettlement.ACCOUNT,
        description="account: record the payment on the account; refund: to the original method",
    )
    note: str = Field(default="", max_length=NOTE_MAX)


class RejectIn(Strict):
    note: str = Field(min_length=1, max_length=NOTE_MAX)
