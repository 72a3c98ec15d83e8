"""The early termination fee: fee schedules as data, and a quote for any commitment on any date.

DOMAIN.md section 5, the carrier example (the default schedule below): a 1- or 2-year commitment
signed on or after 2010-06-01 that includes specified equipment (smartphones) owes $325 minus $10
for each full month of the commitment served; every other commitment owes $150 minus $4 for each
full month. Never negative; nothing once the commitment has ended.

Counting (see `domain/months.py`): a commitment signed on day D runs until the same day D of the
month `term_months` later (clamped to a shorter month's last day); it has ended on that day.
Month n is full on the n-th monthly anniversary of the signing. So a 2-year smartphone
commitment signed 2024-01-15 ends on 2026-01-15; on 2026-01-14, the day before it ends, 23 full
months are served and it owes 325 - 23 x 10 = $95, as DOMAIN.md says; on 2026-01-15 it owes 0.

A schedule is an ordered list of rules; the first whose conditions all hold applies, and the last
rule has no conditions, so every commitment has exactly one rule. Schedules load from plain data
(YAML) with field-named errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from teamline.domain.customers import Account
from teamline.domain.enums import EquipmentClass
from teamline.domain.errors import InvalidInput
from teamline.domain.money import Money
from teamline.domain.months import add_months, full_months_between
from teamline.domain.policy_data import (
    Converter,
    build,
    currency_of,
    date_of,
    decimal_of,
    int_of,
    list_of,
    text_of,
)

TERM_MONTHS_MAX = 120

# The carrier example of DOMAIN.md section 5, as data: the default schedule is read from it by
# the same loader an operator's YAML file goes through.
CARRIER_EXAMPLE: dict[str, Any] = {
    "name": "carrier example (DOMAIN.md 5)",
    "currency": "USD",
    "rules": [
        {
            "name": "1- or 2-year commitment with a smartphone, signed on or after 2010-06-01",
            "equipment": ["smartphone"],
            "signed_on_or_after": "2010-06-01",
            "term_months": [12, 24],
            "base": "325",
            "per_full_month": "10",
        },
        {"name": "every other commitment", "base": "150", "per_full_month": "4"},
    ],
}


@dataclass(frozen=True, slots=True)
class Commitment:
    """A signed commitment: when, for how many months, with which equipment."""

    signed: date
    term_months: int
    equipment: EquipmentClass

    def __post_init__(self) -> None:
        if not 1 <= self.term_months <= TERM_MONTHS_MAX:
            raise InvalidInput("term_months", f"a commitment lasts 1 to {TERM_MONTHS_MAX} months")

    @property
    def ends_on(self) -> date:
        """The first day the commitment no longer binds (the anniversary of the signing)."""
        return add_months(self.signed, self.term_months)


def commitment_of(account: Account) -> Commitment | None:
    """The account's commitment, or None for an account without one (no start, no term)."""
    if account.contract_start is None or account.contract_term_months <= 0:
        return None
    return Commitment(account.contract_start, account.contract_term_months, account.equipment)


@dataclass(frozen=True, slots=True)
class FeeRule:
    """`base` minus `per_full_month` for each full month served, for the commitments it covers
    (a condition left out covers everything)."""

    name: str
    base: Decimal
    per_full_month: Decimal
    equipment: frozenset[EquipmentClass] | None = None
    signed_on_or_after: date | None = None
    signed_before: date | None = None
    term_months: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.base < 0 or self.per_full_month < 0:
            raise InvalidInput("base" if self.base < 0 else "per_full_month", "cannot be negative")
        if (
            self.signed_on_or_after is not None
            and self.signed_before is not None
            and self.signed_before <= self.signed_on_or_after
        ):
            raise InvalidInput("signed_before", "must come after signed_on_or_after")

    @property
    def unconditional(self) -> bool:
        return (self.equipment, self.signed_on_or_after, self.signed_before, self.term_months) == (
            None,
            None,
            None,
            None,
        )

    def covers(self, c: Commitment) -> bool:
        return (
            (self.equipment is None or c.equipment in self.equipment)
            and (self.signed_on_or_after is None or c.signed >= self.signed_on_or_after)
            and (self.signed_before is None or c.signed < self.signed_before)
            and (self.term_months is None or c.term_months in self.term_months)
        )

    @classmethod
    def from_mapping(cls, data: object, prefix: str) -> FeeRule:
        def equipment(v: object, f: str) -> frozenset[EquipmentClass]:
            def one(e: object, g: str) -> EquipmentClass:
                try:
                    return EquipmentClass(str(e))
                except ValueError as exc:
                    raise InvalidInput(g, f"{e!r} is not smartphone, basic or none") from exc

            return frozenset(list_of(v, f, one, non_empty=True))

        def terms(v: object, f: str) -> frozenset[int]:
            return frozenset(list_of(v, f, lambda t, g: int_of(t, g, minimum=1), non_empty=True))

        converters: dict[str, Converter] = {
            "name": text_of,
            "base": lambda v, f: decimal_of(v, f, minimum=Decimal(0)),
            "per_full_month": lambda v, f: decimal_of(v, f, minimum=Decimal(0)),
            "equipment": equipment,
            "signed_on_or_after": date_of,
            "signed_before": date_of,
            "term_months": terms,
        }
        for required in ("name", "base", "per_full_month"):
            if not isinstance(data, Mapping) or required not in data:
                raise InvalidInput(f"{prefix}.{required}", "is required")
        return build(data, prefix, converters, cls)


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    name: str
    currency: str
    rules: tuple[FeeRule, ...]

    def __post_init__(self) -> None:
        currency_of(self.currency, "currency")
        if not self.rules or not self.rules[-1].unconditional:
            raise InvalidInput("rules", "the last rule must have no conditions: it covers the rest")

    def rule_for(self, commitment: Commitment) -> FeeRule:
        return next(r for r in self.rules if r.covers(commitment))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "etf") -> FeeSchedule:
        converters: dict[str, Converter] = {
            "name": text_of,
            "currency": currency_of,
            "rules": lambda v, f: list_of(v, f, FeeRule.from_mapping, non_empty=True),
        }
        if "rules" not in data:
            raise InvalidInput(f"{prefix}.rules", "is required")
        return build({"name": "custom", "currency": "USD", **data}, prefix, converters, cls)


def carrier_example() -> FeeSchedule:
    """The default schedule: DOMAIN.md section 5's carrier example."""
    return FeeSchedule.from_mapping(CARRIER_EXAMPLE)


@dataclass(frozen=True, slots=True)
class EtfQuote:
    fee: Money
    on: date
    months_served: int
    commitment: Commitment | None
    rule: str | None
    explanation: str

    @property
    def ends_on(self) -> date | None:
        return self.commitment.ends_on if self.commitment else None


def quote_etf(schedule: FeeSchedule, commitment: Commitment | None, on: date) -> EtfQuote:
    """What leaving on `on` costs: shown before a cancellation or a port-out."""
    zero = Money(Decimal(0), schedule.currency)
    if commitment is None:
        return EtfQuote(zero, on, 0, None, None, "No commitment: leaving costs no fee.")
    if on < commitment.signed:
        raise InvalidInput("on", f"{on} is before the commitment was signed ({commitment.signed})")
    c = commitment
    term = f"A {c.term_months}-month commitment with {c.equipment.value} equipment"
    term += f" signed {c.signed}"
    served = min(full_months_between(c.signed, on), c.term_months)
    if on >= c.ends_on:
        text = f"{term} ended on {c.ends_on}: leaving costs no fee."
        return EtfQuote(zero, on, served, c, None, text)
    rule = schedule.rule_for(c)
    raw = rule.base - rule.per_full_month * served
    fee = Money(max(raw, Decimal(0)), schedule.currency)
    months = f"{served} full month{'' if served == 1 else 's'}"
    text = (
        f"{term} ({rule.name}): {Money(rule.base, schedule.currency)} minus "
        f"{Money(rule.per_full_month, schedule.currency)} for each of {months} served "
        f"= {fee}{' (never below zero)' if raw < 0 else ''}; it ends on {c.ends_on}."
    )
    return EtfQuote(fee, on, served, c, rule.name, text)
