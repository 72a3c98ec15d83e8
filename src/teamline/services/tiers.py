"""Value tiers as use cases: gather what the score reads, record the tier with its factors, and
show it to staff (DOMAIN.md section 3; the rule itself is `domain/tiers.py`).

The tier is recomputed on every event that can change it: a concession requested, granted or
approved, a bill recorded or paid, accounts moved by a merge, a retention conversation.
`refresh_tier` does it inside the caller's unit of work, so the new tier commits (or not) with
the change that caused it; `recompute_tier` is the same as a use case of its own. Routing reads
the recorded tier (`customers.tier`) when a contact opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from teamline.domain.customers import Account, Customer
from teamline.domain.discretion import ConcessionKind
from teamline.domain.errors import NotFound
from teamline.domain.months import add_months
from teamline.domain.tiers import TierAssessment, TierChanged, TierInputs, TierPolicy, assess_tier
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.store.uow import UnitOfWork

PAYMENT_WINDOW_MONTHS = 24  # the bills the on-time share looks at
CREDIT_WINDOW = timedelta(days=365)  # "credits obtained in the last 12 months"


@dataclass(frozen=True)
class TierView:
    """The recorded tier (what routing and the limits use) and the assessment behind it; before
    a customer's first recorded assessment, today's assessment as a preview (`recorded` False)."""

    customer_id: str
    tier: int
    assessment: TierAssessment
    recorded: bool
    assessed_at: datetime | None
    trigger: str


def local_today(uow: UnitOfWork, customer: Customer, now: datetime) -> date:
    """Today in the customer's region: contracts and bills run on local dates."""
    region = uow.organisation.region(customer.region_id)
    return now.astimezone(region.zone).date() if region else now.date()


def customer_since(
    uow: UnitOfWork, customer: Customer, accounts: list[Account], today: date
) -> date:
    """The earliest sign of the customer: their record, or a contract signed before it (records
    created by a later contact or a merge must not make a long-time customer look new)."""
    signs = [a.contract_start for a in accounts if a.contract_start is not None]
    created = uow.customers.created_at(customer.id)
    if created is not None:
        signs.append(created.date())
    return min(min(signs, default=today), today)


def credits_obtained(
    uow: UnitOfWork, customer_id: str, currency: str, now: datetime
) -> tuple[int, Decimal]:
    """Favours granted in the last 12 months (how many, worth how much): what demotes."""
    favours = [k for k in ConcessionKind if k.counts_against_tier]
    return uow.concessions.credits_since(customer_id, favours, currency, now - CREDIT_WINDOW)


def tier_inputs(
    uow: UnitOfWork, customer: Customer, now: datetime, policy: TierPolicy
) -> TierInputs:
    """What the score reads for `customer` on `now` (amounts in the policy's currency)."""
    on = local_today(uow, customer, now)
    accounts = [
        a
        for a in uow.customers.accounts_of(customer.id)
        if a.monthly_charge.currency == policy.currency
    ]
    due, on_time = uow.tiers.bill_record(
        [a.number for a in accounts], add_months(on, -PAYMENT_WINDOW_MONTHS), on
    )
    credits, credited = credits_obtained(uow, customer.id, policy.currency, now)
    return TierInputs(
        segment=customer.segment,
        customer_since=customer_since(uow, customer, accounts, on),
        on=on,
        bills_due=due,
        bills_paid_on_time=on_time,
        monthly_spend=sum((a.monthly_charge.amount for a in accounts), Decimal(0)),
        device_value=sum((a.device_price.amount for a in accounts), Decimal(0)),
        lines=sum(a.lines for a in accounts),
        credits_count=credits,
        credits_amount=credited,
    )


def refresh_tier(
    uow: UnitOfWork,
    customer: Customer,
    now: datetime,
    trigger: str,
    policy: TierPolicy | None = None,
) -> TierAssessment:
    """Recompute and record the customer's tier inside an open unit of work; a change is an
    event and an audit row, with the summary that explains it."""
    policy = policy or TierPolicy()
    assessment = assess_tier(tier_inputs(uow, customer, now, policy), policy)
    previous = customer.tier
    customer.tier = assessment.tier
    uow.customers.save(customer)  # first: the row lock serialises concurrent recomputations
    uow.tiers.record(customer.id, assessment, trigger, now)
    if previous != assessment.tier:
        uow.journal.record(
            TierChanged(
                at=now,
                customer_id=customer.id,
                tier=assessment.tier,
                previous_tier=previous,
                demoted=assessment.demoted,
                trigger=trigger,
            )
        )
        detail = {
            "tier": assessment.tier,
            "previous_tier": previous,
            "trigger": trigger,
            "summary": assessment.summary,
        }
        uow.journal.audit(now, None, "customer.tier", "customer", customer.id, detail)
    return assessment


def recompute_tier(
    uow: UnitOfWork,
    customer_id: str,
    now: datetime,
    trigger: str = "recompute",
    policy: TierPolicy | None = None,
) -> TierAssessment:
    """Recompute one customer's tier as a use case of its own (a job, an operator)."""
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id!r} not found")
        assessment = refresh_tier(uow, customer, now, trigger, policy)
        uow.commit()
        return assessment


def get_tier(
    uow: UnitOfWork,
    actor: User,
    customer_id: str,
    now: datetime,
    policy: TierPolicy | None = None,
) -> TierView:
    """The customer's tier and its factors, as staff see it."""
    require_staff(actor, "see value tiers")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        recorded = uow.tiers.recorded(customer.id)
        if recorded is not None:
            return TierView(
                customer.id,
                customer.tier,
                recorded.assessment,
                True,
                recorded.assessed_at,
                recorded.trigger,
            )
        policy = policy or TierPolicy()
        preview = assess_tier(tier_inputs(uow, customer, now, policy), policy)
        return TierView(customer.id, customer.tier, preview, False, None, "")


def record_bill(
    uow: UnitOfWork,
    actor: User,
    account_number: str,
    due_on: date,
    amount: Decimal,
    paid_on: date | None,
    now: datetime,
    policy: TierPolicy | None = None,
) -> TierAssessment:
    """A bill of an account, or its payment (the billing feed's call): the on-time share moves,
    so the owner's tier is recomputed with it. The use case is billing care's, which also
    posts the charge and the payment to the ledger (`services/billing.py`)."""
    from teamline.services import billing  # billing builds on this module's refresh_tier
    from teamline.services.care_policies import CarePolicies

    policies = CarePolicies(tiers=policy) if policy else None
    draft = billing.BillDraft(due_on, amount, paid_on)
    return billing.record_bill(uow, actor, account_number, draft, now, policies).tier
