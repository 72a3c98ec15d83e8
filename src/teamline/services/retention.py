"""Retention as a use case: a customer says they are switching to a competitor; the system
recommends what to offer, with its reasons, and records it (DOMAIN.md 5; the rule is
`domain/retention.py`).

It reads the tier (recomputed first), the early termination fee every account would owe today,
the tenure, the credits obtained and the offers made in the last 12 months. The competitor named
is kept for reporting only: it is no input to the recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from teamline.domain.errors import InvalidInput
from teamline.domain.etf import commitment_of
from teamline.domain.money import Money
from teamline.domain.months import full_months_between
from teamline.domain.retention import RetentionInputs, RetentionRecord, recommend
from teamline.domain.tiers import TierAssessment
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.services.care_policies import CarePolicies
from teamline.services.etf import AccountQuote, quote_account
from teamline.services.idempotency import Claim
from teamline.services.ids import new_id
from teamline.services.tiers import (
    CREDIT_WINDOW,
    credits_obtained,
    customer_since,
    local_today,
    refresh_tier,
)
from teamline.store.uow import UnitOfWork

COMPETITOR_MAX = 100


@dataclass(frozen=True)
class RetentionDraft:
    contact_id: str | None = None
    competitor: str = ""


@dataclass(frozen=True)
class RetentionView:
    record: RetentionRecord
    tier: TierAssessment
    quotes: list[AccountQuote]  # the fee each account would owe today


def recommend_retention_offer(
    uow: UnitOfWork,
    actor: User,
    customer_id: str,
    draft: RetentionDraft,
    now: datetime,
    policies: CarePolicies | None = None,
    idempotency: Claim[RetentionView] | None = None,
) -> RetentionView:
    require_staff(actor, "ask for retention offers")
    policies = policies or CarePolicies()
    if len(draft.competitor) > COMPETITOR_MAX:
        raise InvalidInput("competitor", f"at most {COMPETITOR_MAX} characters")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        if draft.contact_id is not None:
            contact = uow.timeline.contact(draft.contact_id)
            if contact is None or contact.customer_id != customer.id:
                raise InvalidInput("contact_id", "not a contact of this customer")
        tier = refresh_tier(uow, customer, now, "retention.asked", policies.tiers)
        today = local_today(uow, customer, now)
        schedule = policies.etf
        accounts = [
            a
            for a in uow.customers.accounts_of(customer.id)
            if a.monthly_charge.currency == schedule.currency
        ]
        quotes = [AccountQuote(customer.id, a, quote_account(schedule, a, today)) for a in accounts]
        zero = Money(Decimal(0), schedule.currency)
        fee = sum((q.quote.fee for q in quotes), zero)
        in_contract = any(
            (c := commitment_of(a)) is not None and today < c.ends_on for a in accounts
        )
        since = customer_since(uow, customer, accounts, today)
        credits, _ = credits_obtained(uow, customer.id, schedule.currency, now)
        inputs = RetentionInputs(
            tier=customer.tier,
            fee_owed=fee,
            in_contract=in_contract,
            tenure_months=full_months_between(since, today),
            credits_last_12_months=credits,
            offers_last_12_months=uow.retention.offers_since(customer.id, now - CREDIT_WINDOW),
            monthly_charge=sum((a.monthly_charge for a in accounts), zero),
        )
        record = RetentionRecord(
            new_id("ret"),
            customer.id,
            draft.contact_id,
            customer.tier,
            fee,
            recommend(inputs, policies.retention),
            draft.competitor.strip(),
            actor.id,
            now,
        )
        uow.retention.add(record)
        detail = {"level": record.recommendation.level, "value": str(record.recommendation.value)}
        uow.journal.audit(now, actor.id, "retention.recommend", "customer", customer.id, detail)
        view = RetentionView(record, tier, quotes)
        if idempotency is not None:  # the key commits with the recommendation, or neither does
            idempotency.record(uow, record.id, now, view)
        uow.commit()
        return view
