"""Retention: the tier, the fee still owed and the history decide the offer, never the threat."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.errors import InvalidInput
from teamline.domain.money import Money
from teamline.domain.retention import RetentionInputs, RetentionPolicy, recommend


def inputs(**changes: object) -> RetentionInputs:
    """A tier-3 customer in the last months of a contract (a small fee left), three years in."""
    base = RetentionInputs(
        tier=3,
        fee_owed=Money.of("45"),
        in_contract=True,
        tenure_months=36,
        credits_last_12_months=0,
        offers_last_12_months=0,
        monthly_charge=Money.of("80"),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "given_inputs", "level"),
    [
        ("a tier-3 customer near the end of a contract", inputs(), 2),
        ("a new customer: the threat alone earns nothing", inputs(tier=0), 0),
        ("a demoted customer gets no offer", inputs(tier=1, in_contract=False), 0),
        ("a large fee still owed lowers the offer", inputs(fee_owed=Money.of("235")), 1),
        ("out of contract raises it", inputs(fee_owed=Money.of("0"), in_contract=False), 3),
        ("a long tenure raises it", inputs(tenure_months=90), 3),
        ("many credits lower it", inputs(credits_last_12_months=3), 1),
        ("one offer a year", inputs(offers_last_12_months=1, tier=5), 0),
        ("a large business out of contract", inputs(tier=5, in_contract=False,
                                                    fee_owed=Money.of("0")), 4),
    ],
)  # fmt: skip
def test_the_tier_the_fee_and_the_history_decide(
    case: str, given_inputs: RetentionInputs, level: int
) -> None:
    assert recommend(given_inputs).level == level, recommend(given_inputs).summary


def test_the_recommendation_is_a_discount_with_its_reasons() -> None:
    result = recommend(inputs())
    assert result.offer is not None and result.offer.percent_off == Decimal(15)
    assert result.monthly_discount == Money.of("12") and result.value == Money.of("144")
    assert result.reasons[0] == "A threat to switch does not by itself earn an offer."
    assert "Tier 3 starts at offer level 2." in result.reasons
    assert result.summary.startswith("Offer a loyalty discount: 15% off (12.00 USD a month)")
    owed = recommend(inputs(fee_owed=Money.of("235")))
    assert any("early termination fee of 235.00 USD" in r for r in owed.reasons)
    nothing = recommend(inputs(tier=1))
    assert nothing.offer is None and nothing.value == Money.of("0")
    assert nothing.summary.startswith("No retention offer: A threat to switch")
    assert "demoted" in nothing.summary


@given(
    st.integers(0, 5),
    st.integers(0, 400),
    st.booleans(),
    st.integers(0, 300),
    st.integers(0, 10),
    st.integers(0, 3),
    st.integers(0, 5000),
)
def test_an_offer_never_exceeds_the_policy_and_repeat_offers_get_nothing(
    tier: int, fee: int, in_contract: bool, tenure: int, credits: int, offers: int, monthly: int
) -> None:
    result = recommend(
        RetentionInputs(tier, Money.of(fee), in_contract, tenure, credits, offers,
                        Money.of(monthly))
    )  # fmt: skip
    assert 0 <= result.level <= 4 and result.reasons
    if offers or tier == 1:
        assert result.offer is None
    if result.offer is not None:
        assert result.value <= Money.of(monthly).times(12)


def test_the_offers_are_configuration() -> None:
    policy = RetentionPolicy.from_mapping(
        {
            "level_by_tier": [1, 0, 1, 1, 1, 1],
            "offers": [{"title": "small", "percent_off": 5, "months": 3}] * 4,
        }
    )
    result = recommend(inputs(tier=0, fee_owed=Money.of("0"), in_contract=False), policy)
    assert result.offer is not None and result.offer.title == "small" and result.level == 2
    with pytest.raises(InvalidInput) as caught:
        RetentionPolicy.from_mapping({"offers": [{"title": "x", "percent_off": 150, "months": 1}]})
    assert caught.value.field == "retention.offers[0].percent_off"
    with pytest.raises(InvalidInput) as caught:
        RetentionPolicy.from_mapping({"level_by_tier": [0, 0, 0]})
    assert caught.value.field == "retention.level_by_tier"
