"""Plan changes that would drop a grandfathered plan, and heavy data use that flags an account
for the fraud team (DOMAIN.md 5; issue 6 item 7). No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from teamline.domain.billing import BillingPolicy
from teamline.domain.billing_plans import (
    DataUse,
    FraudFlag,
    PlanChangeKind,
    assess_data_use,
    check_plan_change,
    check_term,
    confirm_plan_change,
)
from teamline.domain.errors import Conflict, InvalidInput

POLICY = BillingPolicy()
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


# ---- grandfathered plans ----


@pytest.mark.parametrize("kind", list(PlanChangeKind))
def test_a_grandfathered_plan_warns_before_any_change_that_drops_it(kind: PlanChangeKind) -> None:
    check = check_plan_change("Unlimited Data (legacy)", True, kind, "Unlimited Plus")
    assert check.loses_grandfathered and check.needs_acknowledgement
    assert check.warning and "grandfathered" in check.warning and "lost for good" in check.warning
    assert check.explanation
    with pytest.raises(InvalidInput) as caught:
        confirm_plan_change(check, acknowledged=False)
    assert caught.value.field == "acknowledged" and "grandfathered" in caught.value.message
    assert "given up, as acknowledged" in confirm_plan_change(check, acknowledged=True)


def test_an_upgrade_keeping_the_plan_name_still_loses_the_grandfathered_terms() -> None:
    check = check_plan_change(
        "Unlimited Data (legacy)", True, PlanChangeKind.DEVICE_UPGRADE, "Unlimited Data (legacy)"
    )
    assert check.needs_acknowledgement and "current terms" in (check.warning or "")


def test_a_current_plan_changes_without_a_warning_but_with_an_explanation() -> None:
    check = check_plan_change("Unlimited Plus", False, PlanChangeKind.RENEWAL, "Unlimited Plus")
    assert not check.needs_acknowledgement and check.warning is None
    assert "not a grandfathered one" in check.explanation
    assert confirm_plan_change(check, acknowledged=False).startswith("Changed")


def test_plan_names_and_terms_are_checked() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_plan_change("A", False, PlanChangeKind.PLAN_CHANGE, "A")
    assert caught.value.field == "new_plan"
    for name in ("  ", "x" * 101, "Plan\x00"):
        with pytest.raises(InvalidInput):
            check_plan_change("A", False, PlanChangeKind.PLAN_CHANGE, name)
    assert check_term(PlanChangeKind.RENEWAL, None) == 24
    assert check_term(PlanChangeKind.PLAN_CHANGE, None) is None
    for kind, term in ((PlanChangeKind.RENEWAL, 18), (PlanChangeKind.PLAN_CHANGE, 12)):
        with pytest.raises(InvalidInput) as caught:
            check_term(kind, term)
        assert caught.value.field == "term_months"


# ---- heavy data use ----


def use(gb: str, allowance: str | None, days: int = 30) -> DataUse:
    start = date(2026, 10, 1)
    return DataUse(
        "100",
        start,
        start + timedelta(days),
        Decimal(gb),
        Decimal(allowance) if allowance else None,
    )


def test_use_above_three_times_the_allowance_flags_the_account_with_the_reason() -> None:
    found = assess_data_use(POLICY, use("45.01", "15"))
    assert found.flagged and found.threshold_gb == Decimal("45.00")
    assert "fraud team" in found.explanation and "3 times the plan's allowance" in found.explanation
    within = assess_data_use(POLICY, use("45", "15"))
    assert not within.flagged and within.explanation.startswith("Not flagged")


def test_an_unlimited_plan_is_flagged_above_its_own_threshold_scaled_to_the_period() -> None:
    assert assess_data_use(POLICY, use("151", None)).flagged
    assert not assess_data_use(POLICY, use("149", None)).flagged
    half = assess_data_use(POLICY, use("76", None, days=15))
    assert half.flagged and half.threshold_gb == Decimal("75.00")


@pytest.mark.parametrize(
    ("gb", "allowance", "days", "field"),
    [("-1", "10", 30, "gigabytes"), ("1", "0", 30, "allowance_gb"), ("1", "10", 0, "period_end"),
     ("1", "10", 63, "period_end")],
)  # fmt: skip
def test_bad_usage_reports_name_their_field(gb: str, allowance: str, days: int, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        use(gb, allowance, days)
    assert caught.value.field == field


def test_a_flag_is_cleared_once_with_a_note_and_says_so() -> None:
    assessed = assess_data_use(POLICY, use("500", "10"))
    flag = FraudFlag(
        "f1", "100", "c1", use("500", "10"), assessed.threshold_gb, assessed.explanation, NOW
    )
    with pytest.raises(InvalidInput) as caught:
        flag.clear("u1", NOW, " ")
    assert caught.value.field == "note"
    flag.clear("u1", NOW, "a family sharing one hotspot")
    assert "Cleared by the fraud team: a family" in flag.explanation()
    with pytest.raises(Conflict):
        flag.clear("u1", NOW, "again")
