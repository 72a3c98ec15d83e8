"""Value tiers on SQLite and PostgreSQL: recomputed on the events that move them (bills, merges,
an explicit recomputation), recorded on the customer with the factors, shown to staff only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from teamline.domain.errors import NotFound, PermissionDenied
from teamline.domain.months import add_months
from teamline.domain.users import User
from teamline.services.merges import merge_customers, undo_merge
from teamline.services.tiers import get_tier, recompute_tier, record_bill
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
MARIA, ACCOUNT = "cus-00001", "100000001"


def recorded_tier(new_uow: NewUow, customer_id: str) -> int:
    with new_uow() as uow:
        customer = uow.customers.get(customer_id)
    assert customer is not None
    return customer.tier


def test_staff_see_a_preview_until_the_first_assessment_is_recorded(
    new_uow: NewUow, users: Users
) -> None:
    preview = get_tier(new_uow(), users["agent"], MARIA, NOW)
    assert not preview.recorded and preview.tier == 3  # the demo's tier, never assessed
    assert preview.assessment.tier == 2 and preview.assessed_at is None
    factors = {f.name: f.text for f in preview.assessment.factors}
    assert factors["tenure"] == "customer for 1 full year (14 months)"  # the contract's start
    assert factors["spend"] == "spends 150.00 USD a month" and factors["lines"] == "2 lines"
    assert recompute_tier(new_uow(), MARIA, NOW, "nightly").tier == 2
    view = get_tier(new_uow(), users["supervisor"], MARIA, NOW)
    assert view.recorded and view.tier == 2 and view.trigger == "nightly"
    assert view.assessed_at == NOW and view.assessment == preview.assessment
    assert recorded_tier(new_uow, MARIA) == 2  # what routing reads when a contact opens
    with pytest.raises(PermissionDenied):
        get_tier(new_uow(), users["customer"], MARIA, NOW)
    with pytest.raises(NotFound):
        recompute_tier(new_uow(), "cus-nobody", NOW)


def test_bills_paid_on_time_raise_the_tier_and_late_ones_lower_it(
    new_uow: NewUow, users: Users
) -> None:
    today = date(2026, 11, 24)
    for n in range(1, 13):
        due = add_months(today, -n)
        record_bill(new_uow(), users["admin"], ACCOUNT, due, Decimal("150"), due, NOW)
    assert recorded_tier(new_uow, MARIA) == 3  # 12 of 12 on time: +1
    view = get_tier(new_uow(), users["agent"], MARIA, NOW)
    assert view.trigger == "bill.recorded"
    assert "12 of 12 bills paid on time (100%)" in view.assessment.summary
    for n in range(1, 7):  # half a year paid a month late
        due = add_months(today, -n)
        late = add_months(due, 1)
        record_bill(new_uow(), users["admin"], ACCOUNT, due, Decimal("150"), late, NOW)
    assert recorded_tier(new_uow, MARIA) == 0  # 6 of 12 on time: -1.5, a score of 1.5
    with pytest.raises(PermissionDenied):
        record_bill(new_uow(), users["agent"], ACCOUNT, today, Decimal(1), None, NOW)
    with pytest.raises(NotFound):
        record_bill(new_uow(), users["admin"], "999", today, Decimal(1), None, NOW)


def test_a_merge_moves_accounts_and_both_tiers_follow(new_uow: NewUow, users: Users) -> None:
    with new_uow() as uow:
        other = next(
            c.id
            for c in uow.customers.search_by_name("a", 50)
            if c.id != MARIA and len(uow.customers.accounts_of(c.id)) == 1
        )
    merge = merge_customers(new_uow(), users["supervisor"], MARIA, other, NOW)
    merged_view = get_tier(new_uow(), users["agent"], MARIA, NOW)
    assert merged_view.trigger == "customer.merge"
    assert merged_view.assessment.factors[4].text.endswith("lines")
    undo_merge(new_uow(), users["supervisor"], merge.merge_id, NOW)
    assert get_tier(new_uow(), users["agent"], MARIA, NOW).trigger == "customer.merge_undone"
    assert get_tier(new_uow(), users["agent"], other, NOW).recorded
