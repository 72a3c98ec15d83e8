"""Billing care use cases on a real database (issue 6 item 7): the ledger stays balanced and an
account's balance is always the sum of its ledger lines, whatever mix of bills, payments,
concessions, suspension fees and upheld disputes reaches it; a refused step writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from threading import Barrier

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from teamline.domain.billing import BillingPolicy
from teamline.domain.billing_plans import DataUse, FlagState, PlanChangeKind
from teamline.domain.discretion import ConcessionKind
from teamline.domain.errors import Conflict, InvalidInput, NotFound
from teamline.domain.users import User
from teamline.services import billing, billing_plans, payment_disputes
from teamline.services.care_policies import CarePolicies
from teamline.services.demo import DemoResult
from teamline.services.demo_company import build_demo_company
from teamline.services.discretion import ConcessionDraft, request_concession
from teamline.store.tables import AccountRow, LedgerEntryRow
from teamline.store.uow import UnitOfWork

from conftest import DEMO_CUSTOMERS, DEMO_SEED, NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
MARIA = "100000001"
PDF = b"%PDF-1.4 a receipt"
DEMO_COMPANY = build_demo_company(DEMO_SEED, NOW, DEMO_CUSTOMERS)
DEMO_OWNER = {a.number: a.customer_id for a in DEMO_COMPANY.accounts}
FOREIGN = DEMO_COMPANY.accounts[1].number
FEES = CarePolicies(billing=BillingPolicy(suspension_fee=Decimal("3.00")))


def assert_ledger_is_the_balance(new_uow: NewUow) -> None:
    """Every posting balances (the whole ledger sums to zero per currency), and every account's
    `balance` column equals the sum of its own ledger lines."""
    with new_uow() as uow:
        s = uow.session
        per_currency = s.execute(
            select(LedgerEntryRow.currency, func.sum(LedgerEntryRow.amount)).group_by(
                LedgerEntryRow.currency
            )
        ).all()
        assert all(total == 0 for _, total in per_currency)
        for number, currency, column in s.execute(
            select(AccountRow.number, AccountRow.currency, AccountRow.balance)
        ).all():
            assert uow.billing.ledger_balance(number, currency).amount == column, number


def test_the_demo_company_opens_every_balance_in_the_ledger(
    new_uow: NewUow, demo: DemoResult
) -> None:
    assert demo.customers > 0
    assert_ledger_is_the_balance(new_uow)


Step = tuple[str, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(["bill", "pay", "credit", "suspend", "dispute"]),
        st.integers(min_value=1, max_value=400),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(moves=steps)
def test_whatever_moves_money_the_balance_is_the_sum_of_the_ledger(
    new_uow: NewUow, users: Users, moves: list[Step]
) -> None:
    admin, agent, supervisor = users["admin"], users["agent"], users["supervisor"]
    for n, (kind, cents) in enumerate(moves):
        amount = Decimal(cents) / 4  # whole cents and quarters: 0.25 .. 100.00
        try:
            if kind == "bill":
                with new_uow() as uow:  # one bill per due date: the next free one
                    due = date(2026, 1, 1) + timedelta(days=len(uow.billing.bills(MARIA, "USD")))
                draft = billing.BillDraft(due, amount, due if n % 2 else None)
                billing.record_bill(new_uow(), admin, MARIA, draft, NOW)
            elif kind == "pay":
                billing.record_payment(new_uow(), admin, MARIA, amount, "app", "", NOW)
            elif kind == "credit":
                draft_c = ConcessionDraft(ConcessionKind.CREDIT, amount, "outage on the street")
                request_concession(new_uow(), agent, "cus-00001", draft_c, NOW)
            elif kind == "suspend":
                start = NOW.date() + timedelta(days=1 + 40 * n)
                billing.suspend(
                    new_uow(), agent, MARIA, start, start + timedelta(5), "away", NOW, FEES
                )
            else:
                receipt = PDF + f"{n}-{cents}".encode()  # a new receipt for each dispute
                draft_d = payment_disputes.DisputeDraft(
                    MARIA, amount, NOW.date(), "store", "", "paid at the store",
                    "r.pdf", "application/pdf", receipt,
                )  # fmt: skip
                filed = payment_disputes.file_dispute(new_uow(), agent, draft_d, NOW)
                dispute_id = filed.dispute.id
                payment_disputes.start_review(new_uow(), agent, dispute_id, NOW)
                settlement = payment_disputes.DisputeSettlement.ACCOUNT
                payment_disputes.uphold(new_uow(), supervisor, dispute_id, settlement, "", NOW)
        except (Conflict, InvalidInput):
            if kind != "suspend":  # only the third suspension in a year may be refused
                raise
        assert_ledger_is_the_balance(new_uow)


def test_a_refused_step_leaves_nothing_half_written(new_uow: NewUow, users: Users) -> None:
    with pytest.raises(InvalidInput):
        billing.record_payment(new_uow(), users["admin"], MARIA, Decimal(5), "cheque", "", NOW)
    with pytest.raises(NotFound):
        billing.billing_view(new_uow(), users["customer"], FOREIGN, NOW)
    view = billing.billing_view(new_uow(), users["agent"], MARIA, NOW)
    assert view.balance.amount == 0 and view.explanation
    assert_ledger_is_the_balance(new_uow)


def test_payments_at_once_all_land_on_the_balance(new_uow: NewUow, users: Users) -> None:
    """Two feeds posting at the same moment: the balance moves by every payment (the column is
    moved relatively, under the account's lock), never by only the last one."""
    barrier = Barrier(2)

    def feed() -> None:
        barrier.wait()
        for _ in range(5):
            billing.record_payment(new_uow(), users["admin"], MARIA, Decimal(1), "app", "", NOW)

    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(feed) for _ in range(2)]:
            done.result()
    assert billing.billing_view(new_uow(), users["agent"], MARIA, NOW).balance.amount == -10
    assert_ledger_is_the_balance(new_uow)


def test_plan_changes_flags_and_suspensions_round_trip(new_uow: NewUow, users: Users) -> None:
    """Every billing-care row written and read back, on SQLite and PostgreSQL."""
    legacy = next(a for a in DEMO_COMPANY.accounts if a.grandfathered).number
    agent, admin, supervisor = users["agent"], users["admin"], users["supervisor"]
    renewal = billing_plans.PlanChangeDraft(PlanChangeKind.RENEWAL, "Unlimited Plus")
    with pytest.raises(InvalidInput) as caught:
        billing_plans.change_plan(new_uow(), agent, legacy, renewal, NOW)
    assert caught.value.field == "acknowledged"
    acknowledged = billing_plans.PlanChangeDraft(PlanChangeKind.RENEWAL, "Unlimited Plus", True)
    done = billing_plans.change_plan(new_uow(), agent, legacy, acknowledged, NOW)
    assert done.check.loses_grandfathered and "24-month commitment" in done.explanation
    with new_uow() as uow:
        account = next(
            a for a in uow.customers.accounts_of(DEMO_OWNER[legacy]) if a.number == legacy
        )
    assert account.plan == "Unlimited Plus" and not account.grandfathered
    assert account.contract_term_months == 24

    use = DataUse(legacy, date(2026, 10, 1), date(2026, 10, 31), Decimal("180.5"), None)
    result = billing_plans.record_data_use(new_uow(), admin, use, NOW)
    assert result.flag is not None and result.assessment.flagged
    [flag] = billing_plans.fraud_flags(new_uow(), supervisor, FlagState.OPEN)
    assert flag.use == use and flag.reason == result.assessment.explanation
    billing_plans.clear_flag(new_uow(), supervisor, flag.id, "a small office on one line", NOW)
    assert billing_plans.fraud_flags(new_uow(), supervisor, FlagState.OPEN) == []

    start = NOW.date() + timedelta(days=3)
    made = billing.suspend(new_uow(), agent, legacy, start, start + timedelta(14), "away", NOW)
    [listed] = billing.suspensions_of(new_uow(), agent, legacy, NOW)
    assert listed.suspension == made.suspension
    ended = billing.end_suspension(new_uow(), agent, legacy, made.suspension.id, NOW)
    assert ended.suspension.days == 0
