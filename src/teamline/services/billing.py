"""Billing care as use cases: an account's standing (credit or advance billing, blocked or not,
the ways to pay now), bills and payments from the billing feed, and voluntary suspensions
(DOMAIN.md 5; issue 6 item 7; rules in `domain/billing.py`).

The balance is the ledger's: bills, payments and fees are balanced postings written in the same
transaction as the fact they record, through the one writer of ledger lines, which also keeps
`accounts.balance` equal to their sum. Reads take the sum from the ledger itself.

Who may do what: the billing feed (an admin login) records bills and payments; staff and the
account's own customer read the standing and set or end a suspension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from teamline.domain.billing import (
    BillingPolicy,
    BillPeriod,
    BillRecord,
    Standing,
    Suspension,
    bill_period,
    charge_posting,
    fee_posting,
    mode_explanation,
    payment_posting,
    plan_suspension,
    standing,
)
from teamline.domain.customers import Account, Customer
from teamline.domain.enums import BillingMethod
from teamline.domain.errors import Conflict, InvalidInput, NotFound
from teamline.domain.money import Money
from teamline.domain.tiers import TierAssessment
from teamline.domain.users import User
from teamline.domain.ways_to_pay import WayNow, ways_now
from teamline.services.access import access_account, require_admin
from teamline.services.care_policies import CarePolicies
from teamline.services.idempotency import Claim
from teamline.services.ids import new_id
from teamline.services.tiers import local_today, refresh_tier
from teamline.store.uow import UnitOfWork


@dataclass(frozen=True)
class BillingView:
    account: Account
    balance: Money  # the ledger's sum: positive owed, negative in the customer's favour
    standing: Standing
    mode: str  # the billing method, explained
    ways: list[WayNow]
    local_time: datetime  # the customer's time the ways to pay were checked at
    suspensions: list[Suspension]  # in force or still to come
    period: BillPeriod  # the billing cycle of today

    @property
    def explanation(self) -> str:
        return self.standing.explanation


@dataclass(frozen=True)
class BillDraft:
    due_on: date
    amount: Decimal
    paid_on: date | None = None
    way: str = "bank_transfer"


@dataclass(frozen=True)
class BillResult:
    bill: BillRecord
    view: BillingView
    tier: TierAssessment
    explanation: str


@dataclass(frozen=True)
class SuspensionView:
    suspension: Suspension
    explanation: str
    in_force: bool


def local_now(uow: UnitOfWork, customer: Customer, now: datetime) -> datetime:
    region = uow.organisation.region(customer.region_id)
    return now.astimezone(region.zone) if region else now


def current_view(
    uow: UnitOfWork, customer: Customer, account: Account, now: datetime, policy: BillingPolicy
) -> BillingView:
    """The account's standing now, read inside an open unit of work."""
    currency = account.monthly_charge.currency
    balance = uow.billing.ledger_balance(account.number, currency)
    today = local_today(uow, customer, now)
    local = local_now(uow, customer, now)
    suspensions = uow.billing.suspensions(account.number)
    ahead = [s for s in suspensions if s.end_on > today and s.days]
    in_force = next((s for s in ahead if s.in_force(today)), None)
    ways = ways_now(policy.ways_to_pay, local)
    state = standing(policy, account.billing_method, balance, in_force, ways)
    anchor = account.contract_start or today.replace(day=1)
    period = bill_period(anchor, today)
    mode = mode_explanation(account.billing_method)
    mode += " " + period.sentence(account.billing_method, suspensions)
    return BillingView(account, balance, state, mode, ways, local, ahead, period)


def billing_view(
    uow: UnitOfWork,
    actor: User,
    number: str,
    now: datetime,
    policies: CarePolicies | None = None,
) -> BillingView:
    """How the account pays, whether it has service now and why (staff, or its own customer)."""
    policy = (policies or CarePolicies()).billing
    with uow:
        customer, account = access_account(uow, actor, number)
        return current_view(uow, customer, account, now, policy)


def account_bills(
    uow: UnitOfWork, actor: User, number: str, now: datetime
) -> tuple[date, list[BillRecord]]:
    """The account's bills, newest first, with when each was paid, and today in the owner's
    region (bills fall due on local dates) (staff, or the account's own customer)."""
    with uow:
        customer, account = access_account(uow, actor, number)
        bills = uow.billing.bills(number, account.monthly_charge.currency)
        return local_today(uow, customer, now), bills


def record_bill(
    uow: UnitOfWork,
    actor: User,
    number: str,
    draft: BillDraft,
    now: datetime,
    policies: CarePolicies | None = None,
) -> BillResult:
    """A bill from the billing feed, or its payment once made: the charge and the payment are
    ledger postings (an advance account's bill is paid from its prepaid funds: the charge
    draws them, and its payment posts nothing more), the on-time share feeds the tier, all in
    one transaction. A bill's amount is fixed once recorded (a correction is a bill
    adjustment); a payment is posted once, and a later call may only correct its date."""
    require_admin(actor, "record bills")
    policies = policies or CarePolicies()
    policy = policies.billing
    with uow:
        customer, account = access_account(uow, actor, number)
        uow.billing.lock_account(number)
        currency = account.monthly_charge.currency
        amount = Money(draft.amount, currency)
        policy.way(draft.way)
        if draft.paid_on is not None and draft.paid_on > local_today(uow, customer, now):
            raise InvalidInput("paid_on", "a payment cannot be recorded before it is made")
        known = uow.billing.bill(number, draft.due_on, currency)
        done: list[str] = []
        if known is None:
            uow.concessions.add_posting(
                charge_posting(new_id("pst"), now, customer.id, number, amount, draft.due_on)
            )
            done.append(f"Bill of {amount} due {draft.due_on} recorded")
        elif known.amount != amount:
            raise Conflict(
                f"the bill due {draft.due_on} was recorded for {known.amount}; "
                "correct it with a bill adjustment"
            )
        if known is not None and known.paid_on is not None and draft.paid_on != known.paid_on:
            if draft.paid_on is None:
                raise Conflict(f"the bill due {draft.due_on} was paid on {known.paid_on}")
            # the feed corrects the date: the money was posted once and is not posted again
            done.append(f"Payment date corrected from {known.paid_on} to {draft.paid_on}")
        if draft.paid_on is not None and (known is None or known.paid_on is None):
            when = "on time" if draft.paid_on <= draft.due_on else "late"
            if account.billing_method is BillingMethod.ADVANCE:
                # paid from funds already in the ledger (the top-ups): posting it again would
                # count the same money twice
                done.append(f"paid {when} on {draft.paid_on} from prepaid funds")
            else:
                memo = f"payment of the bill due {draft.due_on}"
                posting = payment_posting(
                    new_id("pst"), now, customer.id, number, amount, draft.way, memo
                )
                uow.concessions.add_posting(posting)
                done.append(f"paid {when} on {draft.paid_on} by {draft.way}")
        if not done:
            done.append(f"Bill due {draft.due_on} was recorded already; nothing changed")
        uow.tiers.record_bill(number, draft.due_on, amount.amount, draft.paid_on, now)
        tier = refresh_tier(uow, customer, now, "bill.recorded", policies.tiers)
        paid = draft.paid_on.isoformat() if draft.paid_on else None
        detail = {"due_on": draft.due_on.isoformat(), "amount": str(amount), "paid_on": paid}
        uow.journal.audit(now, actor.id, "account.bill", "account", number, detail)
        view = current_view(uow, customer, account, now, policy)
        uow.commit()
        bill = BillRecord(draft.due_on, amount, draft.paid_on, draft.way)
        text = f"{', '.join(done)}. Balance now {view.balance}. {view.explanation}"
        return BillResult(bill, view, tier, text)


@dataclass(frozen=True)
class PaymentResult:
    posting_id: str
    amount: Money
    view: BillingView
    explanation: str


def record_payment(
    uow: UnitOfWork,
    actor: User,
    number: str,
    amount: Decimal,
    way: str,
    reference: str,
    now: datetime,
    policies: CarePolicies | None = None,
    idempotency: Claim[PaymentResult] | None = None,
) -> PaymentResult:
    """A payment or top-up from the payment feed: it lowers what is owed (or adds prepaid
    funds), and an advance account blocked for lack of funds gets service back at once. With
    an `Idempotency-Key` a retried payment is posted once."""
    require_admin(actor, "record payments")
    policy = (policies or CarePolicies()).billing
    with uow:
        customer, account = access_account(uow, actor, number)
        uow.billing.lock_account(number)
        money = Money(amount, account.monthly_charge.currency)
        before = current_view(uow, customer, account, now, policy)
        memo = f"payment by {policy.way(way).key}" + (f" ref {reference}" if reference else "")
        posting = payment_posting(new_id("pst"), now, customer.id, number, money, way, memo)
        uow.concessions.add_posting(posting)
        detail = {"amount": str(money), "way": way, "reference": reference}
        uow.journal.audit(now, actor.id, "account.payment", "account", number, detail)
        after = current_view(uow, customer, account, now, policy)
        back = before.standing.blocked and not after.standing.blocked
        unblocked = " Service is back." if back else ""
        text = f"Payment of {money} recorded; balance now {after.balance}.{unblocked} "
        result = PaymentResult(posting.id, money, after, text + after.explanation)
        if idempotency is not None:  # the key commits with the posting, or neither does
            idempotency.record(uow, posting.id, now, result)
        uow.commit()
        return result


def suspend(
    uow: UnitOfWork,
    actor: User,
    number: str,
    start_on: date,
    end_on: date,
    reason: str,
    now: datetime,
    policies: CarePolicies | None = None,
) -> SuspensionView:
    """A voluntary suspension, e.g. while away (credit billing; staff, or the account's own
    customer): checked against the policy, its fee (if any) posted to the ledger."""
    policy = (policies or CarePolicies()).billing
    with uow:
        customer, account = access_account(uow, actor, number)
        uow.billing.lock_account(number)
        today = local_today(uow, customer, now)
        fee, text = plan_suspension(
            policy,
            account.billing_method,
            account.monthly_charge.currency,
            start_on,
            end_on,
            reason,
            today,
            uow.billing.suspensions(number),
        )
        suspension = Suspension(
            new_id("sus"), number, start_on, end_on, reason.strip(), fee, actor.id, now
        )
        uow.billing.add_suspension(suspension)
        if fee.amount:
            memo = f"suspension fee ({start_on} until {end_on})"
            uow.concessions.add_posting(
                fee_posting(new_id("pst"), now, customer.id, number, fee, memo)
            )
        detail = {"start_on": start_on.isoformat(), "end_on": end_on.isoformat(), "fee": str(fee)}
        uow.journal.audit(now, actor.id, "account.suspend", "suspension", suspension.id, detail)
        uow.commit()
        return SuspensionView(suspension, text, suspension.in_force(today))


def end_suspension(
    uow: UnitOfWork,
    actor: User,
    number: str,
    suspension_id: str,
    now: datetime,
) -> SuspensionView:
    """The customer is back early: service resumes today (one not yet started is withdrawn)."""
    with uow:
        customer, _ = access_account(uow, actor, number)
        uow.billing.lock_account(number)
        found = next((s for s in uow.billing.suspensions(number) if s.id == suspension_id), None)
        if found is None:
            raise NotFound(f"suspension {suspension_id!r} not found")
        today = local_today(uow, customer, now)
        found.end_early(today, now)
        uow.billing.save_suspension(found)
        detail = {"end_on": found.end_on.isoformat()}
        uow.journal.audit(now, actor.id, "account.suspension_end", "suspension", found.id, detail)
        uow.commit()
        return SuspensionView(found, found.explanation(), False)


def suspensions_of(
    uow: UnitOfWork, actor: User, number: str, now: datetime
) -> list[SuspensionView]:
    """Every suspension of the account, oldest first, each explained."""
    with uow:
        customer, _ = access_account(uow, actor, number)
        today = local_today(uow, customer, now)
        return [
            SuspensionView(s, s.explanation(), s.in_force(today))
            for s in uow.billing.suspensions(number)
        ]
