"""Wire models of account care (issue 6): tiers with their factors, concession requests with
their explanations, the ledger, fee quotes and retention recommendations. Money is a decimal
string with two places ("95.00") next to its currency, never a float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from teamline.api.schemas import Strict
from teamline.domain.discretion import MONTHS_MAX, REASON_MAX, ConcessionKind
from teamline.services.discretion import ConcessionView, LedgerView
from teamline.services.etf import AccountQuote
from teamline.services.retention import COMPETITOR_MAX, RetentionView
from teamline.services.tiers import TierView

Amount = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=2, allow_inf_nan=False)]


class TierFactorOut(BaseModel):
    name: str
    points: Decimal
    text: str


class TierOut(BaseModel):
    customer_id: str
    tier: int = Field(description="the recorded tier: what routing and the limits use")
    recorded: bool = Field(description="false: never assessed yet; `assessment` is a preview")
    assessed_at: datetime | None
    trigger: str
    assessment_tier: int
    score: Decimal
    demoted: bool
    summary: str
    factors: list[TierFactorOut]

    @classmethod
    def of(cls, view: TierView) -> TierOut:
        a = view.assessment
        return cls(
            customer_id=view.customer_id,
            tier=view.tier,
            recorded=view.recorded,
            assessed_at=view.assessed_at,
            trigger=view.trigger,
            assessment_tier=a.tier,
            score=a.score,
            demoted=a.demoted,
            summary=a.summary,
            factors=[TierFactorOut(name=f.name, points=f.points, text=f.text) for f in a.factors],
        )


class TierNowOut(BaseModel):
    tier: int
    demoted: bool
    summary: str


class ConcessionIn(Strict):
    """There is no field for the customer's attitude: it is not an input (DOMAIN.md 3)."""

    kind: ConcessionKind
    amount: Amount = Field(
        default=Decimal(0), description="per month for a discount; 0 for an unlock code"
    )
    months: int = Field(default=1, ge=1, le=MONTHS_MAX, description="a discount's duration")
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    account_number: str | None = Field(
        default=None, min_length=1, max_length=16, description="needed when several accounts"
    )


class DecisionIn(Strict):
    note: str = Field(default="", max_length=REASON_MAX)


class DeclineIn(Strict):
    note: str = Field(min_length=1, max_length=REASON_MAX, description="why: it is shown")


class ConcessionOut(BaseModel):
    id: str
    customer_id: str
    account_number: str
    kind: ConcessionKind
    amount: Decimal
    months: int
    value: Decimal
    currency: str
    settlement: Literal["bill", "original_payment_method", "shipment", "code"]
    reason: str
    state: Literal["granted", "pending", "approved", "declined"]
    explanation: str = Field(description="why it was granted, is pending, approved or declined")
    tier: int = Field(description="the customer's tier when it was evaluated")
    level: str
    limit: Decimal | None
    requested_by: str
    requested_by_name: str
    created_at: datetime
    decided_by: str | None
    decided_by_name: str | None
    decided_at: datetime | None
    decision_note: str
    customer_tier: TierNowOut | None = Field(
        default=None, description="the customer's tier after this step, when it was recomputed"
    )

    @classmethod
    def of(cls, view: ConcessionView) -> ConcessionOut:
        r = view.request
        return cls(
            id=r.id,
            customer_id=r.customer_id,
            account_number=r.account_number,
            kind=r.ask.kind,
            amount=r.ask.amount.amount,
            months=r.ask.months,
            value=r.ask.value.amount,
            currency=r.ask.amount.currency,
            settlement=r.ask.kind.settlement.value,
            reason=r.ask.reason,
            state=r.state.value,
            explanation=view.explanation,
            tier=r.tier,
            level=r.level.value,
            limit=r.limit,
            requested_by=r.requested_by,
            requested_by_name=view.requested_by_name,
            created_at=r.created_at,
            decided_by=r.decided_by,
            decided_by_name=view.decided_by_name,
            decided_at=r.decided_at,
            decision_note=r.decision_note,
            customer_tier=TierNowOut(
                tier=view.tier.tier, demoted=view.tier.demoted, summary=view.tier.summary
            )
            if view.tier
            else None,
        )


class LedgerEntryOut(BaseModel):
    posting_id: str
    at: datetime
    account_number: str
    request_id: str | None
    ledger_account: str
    amount: Decimal = Field(description="signed; on `customer:<account>` negative is a credit")
    currency: str
    memo: str


class BalanceOut(BaseModel):
    account_number: str
    currency: str
    balance: Decimal = Field(description="the sum of the account's lines; negative: in favour")


class LedgerOut(BaseModel):
    customer_id: str
    entries: list[LedgerEntryOut]
    balances: list[BalanceOut]

    @classmethod
    def of(cls, view: LedgerView) -> LedgerOut:
        return cls(
            customer_id=view.customer_id,
            entries=[
                LedgerEntryOut(
                    posting_id=e.posting_id,
                    at=e.at,
                    account_number=e.account_number,
                    request_id=e.request_id,
                    ledger_account=e.line.ledger_account,
                    amount=e.line.amount.amount,
                    currency=e.line.amount.currency,
                    memo=e.memo,
                )
                for e in view.entries
            ],
            balances=[
                BalanceOut(account_number=number, currency=currency, balance=money.amount)
                for (number, currency), money in sorted(view.balances.items())
            ],
        )


class EtfOut(BaseModel):
    account_number: str
    customer_id: str
    on: date
    fee: Decimal
    currency: str
    months_served: int
    term_months: int | None
    contract_start: date | None
    ends_on: date | None
    equipment: str | None
    rule: str | None
    explanation: str

    @classmethod
    def of(cls, q: AccountQuote) -> EtfOut:
        c = q.quote.commitment
        return cls(
            account_number=q.account.number,
            customer_id=q.customer_id,
            on=q.quote.on,
            fee=q.quote.fee.amount,
            currency=q.quote.fee.currency,
            months_served=q.quote.months_served,
            term_months=c.term_months if c else None,
            contract_start=c.signed if c else None,
            ends_on=q.quote.ends_on,
            equipment=c.equipment.value if c else None,
            rule=q.quote.rule,
            explanation=q.quote.explanation,
        )


class RetentionIn(Strict):
    contact_id: str | None = Field(default=None, min_length=1, max_length=40)
    competitor: str = Field(
        default="", max_length=COMPETITOR_MAX, description="for reports only: not an input"
    )


class OfferOut(BaseModel):
    title: str
    percent_off: Decimal
    months: int
    monthly_discount: Decimal
    value: Decimal
    request: ConcessionIn = Field(description="what to send to POST /customers/{id}/requests")


class RetentionOut(BaseModel):
    id: str
    customer_id: str
    contact_id: str | None
    tier: int
    level: int
    offer: OfferOut | None
    fee_owed: Decimal
    currency: str
    reasons: list[str]
    summary: str
    tier_summary: str
    quotes: list[EtfOut]
    created_at: datetime

    @classmethod
    def of(cls, view: RetentionView) -> RetentionOut:
        record, rec = view.record, view.record.recommendation
        offer = None
        if rec.offer is not None:
            reason = f"retention: {rec.offer.title}, {rec.offer.percent_off}% off"
            offer = OfferOut(
                title=rec.offer.title,
                percent_off=rec.offer.percent_off,
                months=rec.offer.months,
                monthly_discount=rec.monthly_discount.amount,
                value=rec.value.amount,
                request=ConcessionIn(
                    kind=ConcessionKind.DISCOUNT,
                    amount=rec.monthly_discount.amount,
                    months=rec.offer.months,
                    reason=reason,
                ),
            )
        return cls(
            id=record.id,
            customer_id=record.customer_id,
            contact_id=record.contact_id,
            tier=record.tier,
            level=rec.level,
            offer=offer,
            fee_owed=record.fee_owed.amount,
            currency=record.fee_owed.currency,
            reasons=list(rec.reasons),
            summary=rec.summary,
            tier_summary=view.tier.summary,
            quotes=[EtfOut.of(q) for q in view.quotes],
            created_at=record.created_at,
        )
