"""The early termination fee: DOMAIN.md section 5's carrier example as the default schedule,
month counting at month ends and in leap years, and schedules read from data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from teamline.domain.enums import EquipmentClass
from teamline.domain.errors import InvalidInput
from teamline.domain.etf import (
    CARRIER_EXAMPLE,
    Commitment,
    FeeSchedule,
    carrier_example,
    quote_etf,
)
from teamline.domain.months import add_months, full_months_between

PHONE, BASIC = EquipmentClass.SMARTPHONE, EquipmentClass.BASIC
D = date.fromisoformat


@pytest.mark.parametrize(
    ("signed", "term", "equipment", "on", "fee", "months"),
    [
        # a 2-year smartphone commitment: $325 minus $10 per full month
        ("2024-01-15", 24, PHONE, "2024-01-15", "325", 0),
        ("2024-01-15", 24, PHONE, "2024-02-14", "325", 0),
        ("2024-01-15", 24, PHONE, "2024-02-15", "315", 1),
        ("2024-01-15", 24, PHONE, "2025-01-15", "205", 12),
        # the day before it ends still owes $95 (DOMAIN.md 5): 23 full months served
        ("2024-01-15", 24, PHONE, "2026-01-14", "95", 23),
        # it ends on the second anniversary: nothing is owed from that day on
        ("2024-01-15", 24, PHONE, "2026-01-15", "0", 24),
        ("2024-01-15", 24, PHONE, "2031-07-01", "0", 24),
        ("2023-03-01", 12, PHONE, "2024-02-29", "215", 11),
        # month ends: signed on the 31st, a month is full on the last day of a shorter month
        ("2023-01-31", 12, PHONE, "2023-02-27", "325", 0),
        ("2023-01-31", 12, PHONE, "2023-02-28", "315", 1),
        ("2023-01-31", 12, PHONE, "2023-03-30", "315", 1),
        ("2023-01-31", 12, PHONE, "2023-03-31", "305", 2),
        ("2023-01-31", 12, PHONE, "2023-04-30", "295", 3),
        # leap years: 29 February exists in 2024, not in 2025
        ("2024-01-31", 24, PHONE, "2024-02-28", "325", 0),
        ("2024-01-31", 24, PHONE, "2024-02-29", "315", 1),
        ("2024-02-29", 12, PHONE, "2024-03-28", "325", 0),
        ("2024-02-29", 12, PHONE, "2024-03-29", "315", 1),
        ("2024-02-29", 12, PHONE, "2025-02-27", "215", 11),
        ("2024-02-29", 12, PHONE, "2025-02-28", "0", 12),
        ("2023-02-28", 24, PHONE, "2024-02-28", "205", 12),
        # signed before 2010-06-01: the other schedule, $150 minus $4, even with a smartphone
        ("2010-05-31", 24, PHONE, "2010-05-31", "150", 0),
        ("2010-05-31", 24, PHONE, "2012-05-30", "58", 23),
        ("2010-06-01", 24, PHONE, "2012-05-31", "95", 23),
        # basic equipment, or a term other than 1 or 2 years: the other schedule too
        ("2020-03-10", 24, BASIC, "2022-03-09", "58", 23),
        ("2020-03-10", 24, EquipmentClass.NONE, "2020-09-10", "126", 6),
        ("2020-03-10", 36, PHONE, "2022-03-10", "54", 24),
        # never negative: a 4-year commitment owes $150 - $4 x 38 = -$2, so nothing
        ("2020-03-10", 48, BASIC, "2023-05-10", "0", 38),
    ],
)
def test_the_carrier_example_fee(
    signed: str, term: int, equipment: EquipmentClass, on: str, fee: str, months: int
) -> None:
    quote = quote_etf(carrier_example(), Commitment(D(signed), term, equipment), D(on))
    assert quote.fee.amount == Decimal(fee)
    assert quote.months_served == months
    assert quote.explanation  # shown before a cancellation or a port-out


def test_the_quote_explains_the_rule_and_the_months() -> None:
    quote = quote_etf(carrier_example(), Commitment(D("2024-01-15"), 24, PHONE), D("2026-01-14"))
    assert "smartphone" in quote.explanation and "23 full months" in quote.explanation
    assert "95.00 USD" in quote.explanation and quote.ends_on == D("2026-01-15")
    ended = quote_etf(carrier_example(), Commitment(D("2024-01-15"), 24, PHONE), D("2026-01-15"))
    assert "ended on 2026-01-15" in ended.explanation and ended.rule is None


def test_no_commitment_costs_nothing_and_a_date_before_signing_is_refused() -> None:
    assert quote_etf(carrier_example(), None, D("2026-01-01")).fee.amount == 0
    with pytest.raises(InvalidInput) as caught:
        quote_etf(carrier_example(), Commitment(D("2026-01-15"), 24, PHONE), D("2026-01-14"))
    assert caught.value.field == "on"
    with pytest.raises(InvalidInput) as caught:
        Commitment(D("2026-01-15"), 0, PHONE)
    assert caught.value.field == "term_months"


commitments = st.builds(
    Commitment,
    st.dates(date(2005, 1, 1), date(2030, 12, 31)),
    st.integers(1, 60),
    st.sampled_from(list(EquipmentClass)),
)


@given(commitments, st.integers(0, 2000), st.integers(0, 400))
def test_the_fee_is_never_negative_never_grows_and_ends_at_zero(
    c: Commitment, day: int, later: int
) -> None:
    on = c.signed + timedelta(days=day)
    first = quote_etf(carrier_example(), c, on)
    second = quote_etf(carrier_example(), c, on + timedelta(days=later))
    assert Decimal(0) <= second.fee.amount <= first.fee.amount <= Decimal(325)
    assert 0 <= first.months_served <= c.term_months
    if on >= c.ends_on:
        assert first.fee.amount == 0


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(0, 600))
def test_months_counted_are_the_anniversaries_passed(start: date, months: int) -> None:
    anniversary = add_months(start, months)
    assert full_months_between(start, anniversary) == months
    # the day before an anniversary, that month is not full yet
    assert full_months_between(start, anniversary - timedelta(days=1)) == max(0, months - 1)


def test_a_schedule_is_data_read_from_yaml() -> None:
    text = """
name: regional carrier 2030
currency: EUR
rules:
  - name: phones on 2-year deals
    equipment: [smartphone]
    term_months: [24]
    base: 240
    per_full_month: 10
  - name: everything else
    base: 60
    per_full_month: 5
"""
    schedule = FeeSchedule.from_mapping(yaml.safe_load(text))
    quote = quote_etf(schedule, Commitment(D("2030-01-01"), 24, PHONE), D("2030-03-01"))
    assert str(quote.fee) == "220.00 EUR" and quote.rule == "phones on 2-year deals"
    assert FeeSchedule.from_mapping(CARRIER_EXAMPLE) == carrier_example()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "x"}, "etf.rules"),
        ({"rules": []}, "etf.rules"),
        ({"rules": [{"name": "a", "base": 1}]}, "etf.rules[0].per_full_month"),
        ({"rules": [{"name": "a", "base": "lots", "per_full_month": 1}]}, "etf.rules[0].base"),
        ({"rules": [{"name": "a", "base": -5, "per_full_month": 1}]}, "etf.rules[0].base"),
        ({"rules": [{"name": "a", "base": 5, "per_full_month": 1, "colour": 1}]},
         "etf.rules[0].colour"),
        ({"rules": [{"name": "a", "base": 5, "per_full_month": 1, "equipment": ["tablet"]}]},
         "etf.rules[0].equipment[0]"),
        ({"rules": [{"name": "a", "base": 5, "per_full_month": 1,
                     "signed_on_or_after": "June 2010"}]}, "etf.rules[0].signed_on_or_after"),
        ({"rules": [{"name": "a", "base": 5, "per_full_month": 1, "term_months": [24]}]},
         "etf.rules"),
        ({"currency": "dollars", "rules": [{"name": "a", "base": 5, "per_full_month": 1}]},
         "etf.currency"),
    ],
)  # fmt: skip
def test_a_bad_schedule_is_refused_naming_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        FeeSchedule.from_mapping(data)
    assert caught.value.field == field
