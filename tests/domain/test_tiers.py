"""The value tier: DOMAIN.md's examples with the default weights, the factors an agent reads,
demotion below a new customer, and a policy read from data with field-named errors."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.enums import Segment
from teamline.domain.errors import InvalidInput
from teamline.domain.tiers import TierInputs, TierPolicy, assess_tier, standing

ON = date(2026, 11, 24)
D = Decimal


def inputs(**changes: object) -> TierInputs:
    """A good consumer: four years, every bill on time, $85 a month, an $800 phone, one line."""
    base = TierInputs(
        segment=Segment.POSTPAID,
        customer_since=date(2022, 6, 1),
        on=ON,
        bills_due=24,
        bills_paid_on_time=24,
        monthly_spend=D(85),
        device_value=D(800),
        lines=1,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


LARGE_BUSINESS = inputs(
    segment=Segment.BUSINESS,
    customer_since=date(2018, 1, 1),
    monthly_spend=D(2000),
    device_value=D(28_000),
    lines=40,
)


@pytest.mark.parametrize(
    ("case", "given_inputs", "tier"),
    [
        ("a new customer starts at 0",
         inputs(customer_since=ON, bills_due=0, bills_paid_on_time=0, monthly_spend=D(50),
                device_value=D(0)), 0),
        ("a new customer with a rich plan still starts at 0",
         inputs(customer_since=date(2026, 10, 1), monthly_spend=D(400), lines=4), 0),
        ("a good consumer reaches about 3", inputs(), 3),
        ("a good consumer on a family plan reaches 4",
         inputs(monthly_spend=D(160), lines=3, device_value=D(1200)), 4),
        ("a year-old prepaid customer", inputs(segment=Segment.PREPAID,
         customer_since=date(2025, 9, 1), monthly_spend=D(30), device_value=D(0),
         bills_due=0, bills_paid_on_time=0), 0),
        ("a customer who pays late loses ground",
         inputs(bills_paid_on_time=12, customer_since=date(2024, 1, 1)), 0),
        ("a large business account is 5", LARGE_BUSINESS, 5),
        ("a big consumer is not a business: at most 4",
         inputs(customer_since=date(2010, 1, 1), monthly_spend=D(900), device_value=D(5000),
                lines=5), 4),
        ("a small business is not large enough for 5",
         inputs(segment=Segment.BUSINESS, monthly_spend=D(150), lines=3), 4),
        ("four credits in a year demote to 1", inputs(credits_count=4, credits_amount=D(60)), 1),
        ("credits worth over a quarter of a year's spend demote",
         inputs(credits_count=1, credits_amount=D(300)), 1),
        ("two credits cost nothing", inputs(credits_count=2, credits_amount=D(40)), 3),
        ("even a large business is demoted", dataclasses.replace(LARGE_BUSINESS, credits_count=9,
                                                                credits_amount=D(900)), 1),
    ],
)  # fmt: skip
def test_the_default_weights_reproduce_the_domain_examples(
    case: str, given_inputs: TierInputs, tier: int
) -> None:
    assert assess_tier(given_inputs).tier == tier, assess_tier(given_inputs).summary


def test_each_tier_comes_with_the_factors_that_made_it() -> None:
    result = assess_tier(inputs())
    names = [f.name for f in result.factors]
    assert names == ["tenure", "payments", "spend", "device", "lines", "credits"]
    assert sum(f.points for f in result.factors) == result.score == D("4.50")
    assert all(f.text for f in result.factors)
    assert result.summary.startswith("Tier 3: score 4.50 is at least 3.5 for tier 3")
    for words in ("4 full years", "24 of 24 bills paid on time (100%)", "85.00 USD a month",
                  "devices worth 800.00 USD", "1 line", "0 credits"):  # fmt: skip
        assert words in result.summary
    business = assess_tier(LARGE_BUSINESS)
    assert "business account of 24,000.00 USD a year" in business.summary
    demoted = assess_tier(inputs(credits_count=5, credits_amount=D(75)))
    assert demoted.demoted and "demoted: 5 credits in the last 12 months" in demoted.summary


def test_tier_1_is_worse_than_a_new_customers_0() -> None:
    assert sorted(range(6), key=standing) == [1, 0, 2, 3, 4, 5]


tier_inputs = st.builds(
    TierInputs,
    segment=st.sampled_from(list(Segment)),
    customer_since=st.dates(date(1990, 1, 1), ON),
    on=st.just(ON),
    bills_due=st.integers(0, 60),
    bills_paid_on_time=st.just(0),
    monthly_spend=st.decimals(0, 20_000, places=2),
    device_value=st.decimals(0, 100_000, places=2),
    lines=st.integers(0, 200),
    credits_count=st.integers(0, 20),
    credits_amount=st.decimals(0, 10_000, places=2),
).flatmap(
    lambda i: st.integers(0, i.bills_due).map(
        lambda paid: dataclasses.replace(i, bills_paid_on_time=paid)
    )
)


@given(tier_inputs)
def test_the_tier_stays_in_0_to_5_and_is_deterministic(i: TierInputs) -> None:
    result = assess_tier(i)
    assert result.tier in range(6)
    assert result == assess_tier(i)
    assert result.demoted == (result.tier == 1)


@given(tier_inputs)
def test_a_demoted_customer_never_stands_above_a_comparable_clean_one(i: TierInputs) -> None:
    clean = assess_tier(dataclasses.replace(i, credits_count=0, credits_amount=D(0)))
    result = assess_tier(i)
    assert not clean.demoted
    assert result.score <= clean.score
    assert standing(result.tier) <= standing(clean.tier)
    if result.demoted:
        assert standing(result.tier) < standing(clean.tier)


@given(tier_inputs, st.integers(1, 5), st.decimals(0, 500, places=2))
def test_more_credits_never_raise_the_tier(i: TierInputs, more: int, worth: Decimal) -> None:
    worse = dataclasses.replace(
        i, credits_count=i.credits_count + more, credits_amount=i.credits_amount + worth
    )
    assert standing(assess_tier(worse).tier) <= standing(assess_tier(i).tier)


@given(tier_inputs, st.decimals(0, 1000, places=2))
def test_spending_more_never_lowers_the_score(i: TierInputs, more: Decimal) -> None:
    richer = dataclasses.replace(i, monthly_spend=i.monthly_spend + more)
    assert assess_tier(richer).score >= assess_tier(i).score


def test_the_weights_are_configuration_read_from_yaml() -> None:
    text = """
tenure_points_per_year: 1
thresholds: [1, 2, 3, 4]
spend_bands:
  - {at_least: 10, points: 0.5}
  - {at_least: 100, points: 2}
top_tier_segments: [business, postpaid]
top_tier_min_annual_spend: 1000
"""
    policy = TierPolicy.from_mapping(yaml.safe_load(text))
    assert policy.tenure_points_per_year == D(1) and policy.thresholds == (D(1), D(2), D(3), D(4))
    assert policy.demotion_credit_count == TierPolicy().demotion_credit_count  # a default kept
    assert assess_tier(inputs(), policy).tier == 5  # 4 + 1 + 0.5 + 0.5: a generous policy
    assert TierPolicy.from_mapping({}) == TierPolicy()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"tenure_points_per_year": "many"}, "tiers.tenure_points_per_year"),
        ({"tenure_points_per_year": -1}, "tiers.tenure_points_per_year"),
        ({"new_customer_months": 2.5}, "tiers.new_customer_months"),
        ({"spend_bands": [{"at_least": 10, "points": "x"}]}, "tiers.spend_bands[0].points"),
        ({"spend_bands": [{"at_least": 10}]}, "tiers.spend_bands[0].points"),
        ({"spend_bands": [{"at_least": 100, "points": 1}, {"at_least": 10, "points": 2}]},
         "tiers.spend_bands"),
        ({"spend_bands": {"at_least": 10}}, "tiers.spend_bands"),
        ({"thresholds": [1, 2, 3]}, "tiers.thresholds"),
        ({"thresholds": [4, 3, 2, 1]}, "tiers.thresholds"),
        ({"top_tier_segments": ["vip"]}, "tiers.top_tier_segments[0]"),
        ({"currency": "usd"}, "tiers.currency"),
        ({"attitude_points": 1}, "tiers.attitude_points"),
    ],
)  # fmt: skip
def test_a_bad_policy_is_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        TierPolicy.from_mapping(data)
    assert caught.value.field == field
