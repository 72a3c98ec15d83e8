"""Wire models of unlock requests (issue 6 item 6): the case with its status, deadline and the
rule results that decided it. There is no field for the code: it is never sent here."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from teamline.api.schemas import Strict
from teamline.domain.unlock_rules import (
    Effect,
    RuleKind,
)
from teamline.domain.unlocks import (
    REASON_MAX,
    Delivery,
    UnlockState,
)
from teamline.services.unlocks import UnlockView


class TravelIn(Strict):
    destination: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 country code: FR")
    departs: date
    returns: date | None = None


class UnlockIn(Strict):
    imei: str = Field(min_length=15, max_length=20, description="15 digits (dial *#06#)")
    account_number: str | None = Field(
        default=None, min_length=1, max_length=16, description="needed with several accounts"
    )
    customer_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="staff: the customer or account"
    )
    travel: TravelIn | None = Field(default=None, description="a trip abroad, if that is why")


class CodeSentIn(Strict):
    delivery: Delivery = Field(description="how the code reached the customer; never the code")


class RefuseIn(Strict):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class TravelOut(BaseModel):
    destination: str
    departs: date
    returns: date | None


class RuleResultOut(BaseModel):
    rule: str
    kind: RuleKind
    effect: Effect
    group: str
    passed: bool
    text: str


class UnlockOut(BaseModel):
    id: str
    customer_id: str
    account_number: str
    imei: str
    travel: TravelOut | None
    state: UnlockState
    status_text: str = Field(description="where it stands, as the customer reads it")
    deadline_at: datetime = Field(description="the next step is owed by then")
    overdue: bool = Field(description="past the deadline while the company owes a step")
    tier: int | None = Field(description="the value tier the rules read")
    by_law: bool = Field(description="eligible because the law entitles it")
    explanation: str = Field(description="why eligible or not, rule by rule")
    rules: list[RuleResultOut]
    requested_by_name: str | None
    created_at: datetime
    decided_at: datetime | None
    delivery: Delivery | None
    closed_by_name: str | None
    closed_at: datetime | None
    refusal_reason: str

    @classmethod
    def of(cls, view: UnlockView) -> UnlockOut:
        r = view.request
        trip = r.travel
        return cls(
            id=r.id, customer_id=r.customer_id, account_number=r.account_number, imei=r.imei,
            travel=TravelOut(destination=trip.destination, departs=trip.departs,
                             returns=trip.returns) if trip else None,
            state=r.state, status_text=view.status_text, deadline_at=r.deadline_at,
            overdue=view.overdue, tier=r.tier, by_law=r.by_law, explanation=r.explanation,
            rules=[
                RuleResultOut(rule=x.rule, kind=x.kind, effect=x.effect, group=x.group,
                              passed=x.passed, text=x.text)
                for x in r.results
            ],
            requested_by_name=view.requested_by_name, created_at=r.created_at,
            decided_at=r.decided_at, delivery=r.delivery, closed_by_name=view.closed_by_name,
            closed_at=r.closed_at, refusal_reason=r.refusal_reason,
        )  # fmt: skip
