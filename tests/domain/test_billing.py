"""Billing care rules (DOMAIN.md 5; issue 6 item 7): credit vs advance billing, the balance block
with the ways to pay at any hour, voluntary suspensions, bill periods and the postings that keep
the ledger balanced. No database: plain rules with plain inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.billing import (
    BillingPolicy,
    BillPeriod,
    BillRecord,
    Suspension,
    bill_period,
    charge_posting,
    mode_explanation,
    opening_posting,
    payment_posting,
    plan_suspension,
    standing,
)
from teamline.domain.enums import BillingMethod
from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.ledger import LedgerLine, balance, customer_account, totals
from teamline.domain.money import Money
from teamline.domain.ways_to_pay import DEFAULT_WAYS, ways_now

POLICY = BillingPolicy()
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
NIGHT = datetime(2026, 11, 25, 3, 0, tzinfo=ZoneInfo("America/Chicago"))  # a Wednesday, 3 a.m.
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("America/Chicago"))


def usd(amount: str | int | Decimal) -> Money:
    return Money.of(amount)


def suspension(start: date, end: date, sid: str = "sus-1") -> Suspension:
    return Suspension(sid, "100000001", start, end, "away", usd(0), "u1", NOW)


# ---- credit vs advance ----


def test_a_credit_account_owing_money_keeps_service_and_says_why() -> None:
    state = standing(
        POLICY, BillingMethod.CREDIT, usd(80), None, ways_now(POLICY.ways_to_pay, NOON)
    )
    assert state.service == "active" and not state.blocked
    assert state.amount_due == usd(80)
    assert "80.00 USD is due" in state.explanation
    assert "does not block" in state.explanation


def test_an_advance_account_with_a_zero_balance_is_blocked_and_told_the_ways_to_pay() -> None:
    state = standing(
        POLICY, BillingMethod.ADVANCE, usd(0), None, ways_now(POLICY.ways_to_pay, NIGHT)
    )
    assert state.blocked and state.funds == usd(0)
    assert "emergency calls" in state.still_works
    text = state.explanation
    assert "Service is blocked" in text and "Still working: emergency calls" in text
    # at 3 a.m. the app, website, phone line and vouchers are open; stores are not
    assert "Ways to pay right now: the mobile app" in text
    assert "Closed at this hour: cash or card in one of our stores" in text


def test_an_advance_account_with_funds_is_active() -> None:
    state = standing(POLICY, BillingMethod.ADVANCE, usd(-12), None, [])
    assert state.service == "active" and state.funds == usd(12)
    assert "12.00 USD of funds left" in state.explanation


def test_an_advance_account_owing_money_is_blocked_too() -> None:
    assert standing(POLICY, BillingMethod.ADVANCE, usd(5), None, []).blocked


def test_the_block_threshold_is_data() -> None:
    strict = BillingPolicy(block_at=Decimal(2))
    assert standing(strict, BillingMethod.ADVANCE, usd(-2), None, []).blocked
    assert not standing(strict, BillingMethod.ADVANCE, usd("-2.01"), None, []).blocked


def test_each_billing_method_is_explained() -> None:
    assert "billed afterwards" in mode_explanation(BillingMethod.CREDIT)
    assert "zero balance" in mode_explanation(BillingMethod.ADVANCE)


@given(st.decimals(min_value=-1000, max_value=1000, places=2))
def test_an_advance_account_is_blocked_exactly_when_it_has_no_funds(amount: Decimal) -> None:
    state = standing(POLICY, BillingMethod.ADVANCE, usd(amount), None, [])
    assert state.blocked == (amount >= 0)
    assert state.explanation
    credit = standing(POLICY, BillingMethod.CREDIT, usd(amount), None, [])
    assert not credit.blocked


# ---- ways to pay at any hour ----


def test_ways_to_pay_list_the_open_ones_first_and_some_are_open_at_any_hour() -> None:
    for local in (NIGHT, NOON, NIGHT + timedelta(days=4)):  # and a Sunday night
        ways = ways_now(POLICY.ways_to_pay, local)
        assert any(w.open_now for w in ways)
        flags = [w.open_now for w in ways]
        assert flags == sorted(flags, reverse=True)
    at_night = {w.way.key: w.open_now for w in ways_now(POLICY.ways_to_pay, NIGHT)}
    assert at_night["app"] and at_night["phone_ivr"] and not at_night["store"]
    assert {w.way.key: w.open_now for w in ways_now(POLICY.ways_to_pay, NOON)}["store"]


def test_store_hours_are_described_day_by_day() -> None:
    store = next(w for w in DEFAULT_WAYS if w.key == "store")
    assert store.describe_hours().startswith("Mon 09:00-21:00")
    assert "Sun 10:00-18:00" in store.describe_hours()
    assert DEFAULT_WAYS[0].describe_hours() == "at any hour, every day"


def test_a_policy_without_a_way_open_at_any_hour_is_refused() -> None:
    store = next(w for w in DEFAULT_WAYS if w.key == "store")
    with pytest.raises(InvalidInput) as caught:
        BillingPolicy(ways_to_pay=(store,))
    assert caught.value.field == "ways_to_pay"


def test_an_unknown_way_to_pay_names_the_method_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        POLICY.way("cheque")
    assert caught.value.field == "method"


def test_the_policy_reads_from_data_and_names_bad_fields() -> None:
    policy = BillingPolicy.from_mapping({"suspension_max_days": 30, "suspension_fee": "5"})
    assert policy.suspension_max_days == 30 and policy.suspension_fee == Decimal(5)
    with pytest.raises(InvalidInput) as caught:
        BillingPolicy.from_mapping({"suspension_max_days": 0})
    assert caught.value.field == "billing.suspension_max_days"
    with pytest.raises(InvalidInput) as caught:
        BillingPolicy.from_mapping({"heavy_data_multiple": 1})
    assert caught.value.field == "billing.heavy_data_multiple"
    with pytest.raises(InvalidInput):
        BillingPolicy.from_mapping({"nonsense": 1})


# ---- suspensions ----


def plan(start: date, end: date, existing: list[Suspension] | None = None) -> tuple[Money, str]:
    return plan_suspension(
        POLICY, BillingMethod.CREDIT, "USD", start, end, "away", TODAY, existing or []
    )


def test_a_suspension_while_away_is_accepted_with_its_dates_and_fee() -> None:
    fee, text = plan(date(2026, 12, 1), date(2026, 12, 22))
    assert fee == usd(0)
    assert "from 2026-12-01 until 2026-12-22 (21 days" in text and "no fee" in text


def test_a_suspension_fee_is_data() -> None:
    policy = BillingPolicy(suspension_fee=Decimal("10"))
    fee, text = plan_suspension(
        policy, BillingMethod.CREDIT, "EUR", TODAY, TODAY + timedelta(5), "x", TODAY, []
    )
    assert fee == Money.of(10, "EUR") and "a fee of 10.00 EUR" in text


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 11, 23), date(2026, 12, 1), "start_on"),  # yesterday
        (date(2026, 12, 1), date(2026, 12, 1), "end_on"),  # not after start
        (date(2026, 12, 5), date(2026, 12, 1), "end_on"),
        (date(2026, 12, 1), date(2026, 12, 1) + timedelta(days=91), "end_on"),  # over 90 days
    ],
)
def test_bad_suspension_dates_name_their_field(start: date, end: date, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        plan(start, end)
    assert caught.value.field == field


def test_ninety_days_is_the_longest_suspension() -> None:
    plan(TODAY, TODAY + timedelta(days=90))


def test_an_advance_account_is_not_suspended() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_suspension(
            POLICY, BillingMethod.ADVANCE, "USD", TODAY, TODAY + timedelta(3), "x", TODAY, []
        )
    assert caught.value.field == "account_number"


def test_suspensions_never_overlap_and_two_a_year_at_most() -> None:
    first = suspension(date(2026, 12, 1), date(2026, 12, 10))
    with pytest.raises(Conflict, match="overlaps"):
        plan(date(2026, 12, 9), date(2026, 12, 20), [first])
    plan(date(2026, 12, 10), date(2026, 12, 20), [first])  # back-to-back is fine
    second = suspension(date(2027, 1, 5), date(2027, 1, 10), "sus-2")
    with pytest.raises(Conflict, match="at most 2 suspensions"):
        plan(date(2027, 2, 1), date(2027, 2, 5), [first, second])


def test_a_suspension_is_in_force_from_start_until_the_day_before_end() -> None:
    s = suspension(date(2026, 12, 1), date(2026, 12, 10))
    assert not s.in_force(date(2026, 11, 30))
    assert s.in_force(date(2026, 12, 1)) and s.in_force(date(2026, 12, 9))
    assert not s.in_force(date(2026, 12, 10))
    state = standing(POLICY, BillingMethod.CREDIT, usd(0), s, [])
    assert state.service == "suspended"
    assert "until 2026-12-10" in state.explanation
    assert "nothing is provided or billed" in state.explanation


def test_ending_a_suspension_early_resumes_service_that_day() -> None:
    s = suspension(date(2026, 11, 20), date(2026, 12, 10))
    s.end_early(TODAY, NOW)
    assert s.end_on == TODAY and not s.in_force(TODAY) and s.ended_early_at == NOW
    with pytest.raises(Conflict):
        s.end_early(TODAY, NOW)
    later = suspension(date(2026, 12, 1), date(2026, 12, 10))
    later.end_early(TODAY, NOW)  # withdrawn before it started
    assert later.days == 0 and "withdrawn" in later.explanation()


# ---- postings keep the ledger balanced ----


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["charge", "payment", "opening"]),
            st.decimals(min_value=Decimal("0.01"), max_value=10_000, places=2),
        ),
        max_size=30,
    )
)
def test_billing_postings_balance_and_the_balance_is_the_sum_of_lines(
    moves: list[tuple[str, Decimal]],
) -> None:
    lines: list[LedgerLine] = []
    owed = Decimal(0)
    for n, (kind, amount) in enumerate(moves):
        money = usd(amount)
        if kind == "charge":
            posting = charge_posting(f"p{n}", NOW, "c1", "100", money, TODAY)
            owed += amount
        elif kind == "payment":
            posting = payment_posting(f"p{n}", NOW, "c1", "100", money, "app", "paid")
            owed -= amount
        else:
            posting = opening_posting(f"p{n}", NOW, "c1", "100", -money)
            owed -= amount
        lines.extend(posting.lines)
    assert all(total == 0 for total in totals(lines).values())
    assert balance(lines, customer_account("100"), "USD") == usd(owed)


def test_a_bill_or_payment_of_nothing_is_refused() -> None:
    with pytest.raises(InvalidInput):
        charge_posting("p", NOW, "c", "1", usd(0), TODAY)
    with pytest.raises(InvalidInput):
        payment_posting("p", NOW, "c", "1", usd(-1), "app", "x")


def test_a_bill_is_on_time_late_or_not_due_yet() -> None:
    due = date(2026, 11, 20)
    assert BillRecord(due, usd(10), due).on_time(TODAY) is True
    assert BillRecord(due, usd(10), due + timedelta(1)).on_time(TODAY) is False
    assert BillRecord(due, usd(10)).on_time(TODAY) is False
    assert BillRecord(TODAY + timedelta(3), usd(10)).on_time(TODAY) is None
    assert "paid late on 2026-11-21" in BillRecord(due, usd(10), due + timedelta(1)).explanation(
        TODAY
    )
    assert "past due" in BillRecord(due, usd(10)).explanation(TODAY)
    assert "not due yet" in BillRecord(TODAY, usd(10)).explanation(TODAY)


# ---- bill periods ----


def test_a_bill_period_is_the_monthly_cycle_from_the_signing_day() -> None:
    signed = date(2026, 1, 31)
    assert bill_period(signed, date(2026, 2, 27)) == BillPeriod(signed, date(2026, 2, 28))
    assert bill_period(signed, date(2026, 2, 28)) == BillPeriod(
        date(2026, 2, 28), date(2026, 3, 31)
    )
    assert bill_period(date(2026, 11, 1), TODAY) == BillPeriod(date(2026, 11, 1), date(2026, 12, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 4000))
def test_the_day_is_always_inside_its_bill_period(anchor: date, later: int) -> None:
    on = anchor + timedelta(days=later)
    period = bill_period(anchor, on)
    assert period.start <= on < period.end
    assert 28 <= (period.end - period.start).days <= 31


def test_suspended_days_of_a_period_are_not_billed() -> None:
    period = BillPeriod(date(2026, 11, 1), date(2026, 12, 1))
    away = suspension(date(2026, 11, 25), date(2026, 12, 10))
    assert period.suspended_days([away]) == 6
    text = period.sentence(BillingMethod.CREDIT, [away])
    assert "billed on 2026-12-01" in text and "6 suspended days of it are not billed" in text
    assert "paid by 2026-12-01" in period.sentence(BillingMethod.ADVANCE, [])
