"""Retention: what to offer a customer who says they are switching to a competitor (DOMAIN.md 5).

A threat to switch does not by itself earn an offer. The tier, the early termination fee still
owed and the customer's history decide, through explicit steps that each add a reason:

1. the tier sets a starting level (`level_by_tier`: a demoted customer starts at nothing);
2. a large fee still owed lowers it (leaving is costly; the fee is what to explain first), and a
   customer out of contract raises it (nothing but the service holds them);
3. a long tenure raises it; many credits obtained in the last 12 months lower it;
4. a retention offer already made in the last 12 months means no new one (one a year).

The level picks an offer from `offers` (a share off the monthly charge for some months); the
recommendation is what the agent files as a discount request, which the discretion limits then
grant at once or send to a supervisor. The customer's attitude and the competitor named are not
inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from teamline.domain.errors import InvalidInput
from teamline.domain.money import Money
from teamline.domain.policy_data import Converter, build, decimal_of, int_of, list_of, text_of

LEVEL_MAX = 4


@dataclass(frozen=True, slots=True)
class RetentionOffer:
    title: str
    percent_off: Decimal  # of the monthly charge
    months: int

    def __post_init__(self) -> None:
        p = self.percent_off
        if not 0 < p <= 100 or p != p.quantize(Decimal("0.01")):  # range first: quantize 1e99?
            raise InvalidInput("percent_off", "between 0 (excluded) and 100, to 2 decimals")
        if not 1 <= self.months <= 24:
            raise InvalidInput("months", "1 to 24 months")

    @classmethod
    def from_mapping(cls, data: object, prefix: str) -> RetentionOffer:
        converters: dict[str, Converter] = {
            "title": text_of,
            "percent_off": decimal_of,
            "months": lambda v, f: int_of(v, f, minimum=1),
        }
        return build(data, prefix, converters, cls)


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    level_by_tier: tuple[int, ...] = (0, 0, 1, 2, 3, 4)  # tiers 0 to 5
    high_fee: Decimal = Decimal(100)  # a fee this large still owed lowers the level
    long_tenure_months: int = 60
    many_credits: int = 3  # credits obtained in the last 12 months
    # levels 1 to 4; level 0 is no offer
    offers: tuple[RetentionOffer, ...] = (
        RetentionOffer("loyalty discount", Decimal(10), 6),
        RetentionOffer("loyalty discount", Decimal(15), 12),
        RetentionOffer("loyalty discount", Decimal(20), 12),
        RetentionOffer("account review with a loyalty discount", Decimal(25), 12),
    )

    def __post_init__(self) -> None:
        if len(self.level_by_tier) != 6 or not all(0 <= v <= LEVEL_MAX for v in self.level_by_tier):
            raise InvalidInput("level_by_tier", f"six levels (tiers 0 to 5), each 0 to {LEVEL_MAX}")
        if len(self.offers) != LEVEL_MAX:
            raise InvalidInput("offers", f"{LEVEL_MAX} offers: for levels 1 to {LEVEL_MAX}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "retention") -> RetentionPolicy:
        converters: dict[str, Converter] = {
            "level_by_tier": lambda v, f: list_of(v, f, lambda x, g: int_of(x, g, minimum=0)),
            "high_fee": lambda v, f: decimal_of(v, f, minimum=Decimal(0)),
            "long_tenure_months": lambda v, f: int_of(v, f, minimum=1),
            "many_credits": lambda v, f: int_of(v, f, minimum=1),
            "offers": lambda v, f: list_of(v, f, RetentionOffer.from_mapping),
        }
        return build(data, prefix, converters, cls)


@dataclass(frozen=True, slots=True)
class RetentionInputs:
    tier: int
    fee_owed: Money  # the early termination fee if they left today
    in_contract: bool
    tenure_months: int
    credits_last_12_months: int
    offers_last_12_months: int
    monthly_charge: Money


@dataclass(frozen=True, slots=True)
class Recommendation:
    level: int
    offer: RetentionOffer | None
    monthly_discount: Money
    value: Money
    reasons: tuple[str, ...]

    @property
    def summary(self) -> str:
        if self.offer is None:
            return "No retention offer: " + " ".join(self.reasons)
        what = (
            f"Offer a {self.offer.title}: {self.offer.percent_off}% off "
            f"({self.monthly_discount} a month) for {self.offer.months} months ({self.value})."
        )
        return f"{what} {' '.join(self.reasons)}"


def recommend(inputs: RetentionInputs, policy: RetentionPolicy | None = None) -> Recommendation:
    p = policy or RetentionPolicy()
    i = inputs
    reasons = ["A threat to switch does not by itself earn an offer."]
    level = p.level_by_tier[i.tier]
    if i.tier == 1:
        reasons.append("Tier 1: the customer was demoted after many credits, so no offer.")
    else:
        reasons.append(f"Tier {i.tier} starts at offer level {level}.")
    if level and i.fee_owed.amount >= p.high_fee:
        level -= 1
        reasons.append(
            f"Leaving today costs an early termination fee of {i.fee_owed}: explain it first "
            f"(one level lower)."
        )
    elif level and not i.in_contract:
        level += 1
        reasons.append("Out of contract: nothing but the service holds them (one level higher).")
    if level and i.tenure_months >= p.long_tenure_months:
        level += 1
        reasons.append(f"A customer for {i.tenure_months} months (one level higher).")
    if level and i.credits_last_12_months >= p.many_credits:
        level -= 1
        reasons.append(
            f"{i.credits_last_12_months} credits obtained in the last 12 months (one level lower)."
        )
    if level and i.offers_last_12_months:
        level = 0
        reasons.append("A retention offer was already made in the last 12 months: one a year.")
    level = max(0, min(level, LEVEL_MAX))
    zero = Money(Decimal(0), i.monthly_charge.currency)
    if level == 0:
        return Recommendation(0, None, zero, zero, tuple(reasons))
    offer = p.offers[level - 1]
    monthly = Money(i.monthly_charge.amount * offer.percent_off / 100, i.monthly_charge.currency)
    if monthly.amount <= 0:
        reasons.append("There is no monthly charge to discount.")
        return Recommendation(0, None, zero, zero, tuple(reasons))
    return Recommendation(level, offer, monthly, monthly.times(offer.months), tuple(reasons))


@dataclass(frozen=True, slots=True)
class RetentionRecord:
    """A recommendation made for a customer who said they were switching: the history the next
    one reads (one offer a year)."""

    id: str
    customer_id: str
    contact_id: str | None
    tier: int
    fee_owed: Money
    recommendation: Recommendation
    competitor: str
    created_by: str
    created_at: datetime
