"""The value tier, 0 to 5: a deterministic score with the factors that made it (DOMAIN.md 3).

Like a credit score: tenure, on-time payments and what the customer spends (plan, device, lines,
a business account's yearly size) raise it. New customers start at 0; a good consumer account
reaches about 3; 5 is reserved for large business accounts spending many thousands a year.
Customers who obtain many credits are **demoted** to tier 1, which is worse than a new
customer's 0: tier 1 never comes from a low score, only from a demotion.

Every weight and threshold is in `TierPolicy` (defaults below, loadable from YAML with
field-named errors); `assess_tier` is a pure function of `TierInputs` and the policy, so the same
customer on the same day always gets the same tier, and the answer lists each factor with its
points in words an agent can read out. The customer's attitude is not an input: there is none.

Ordering: `standing(tier)` ranks tiers from worst to best (1, 0, 2, 3, 4, 5); "a demoted customer
never stands above a comparable clean one" is a property the tests check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any, ClassVar

from teamline.domain.enums import Segment
from teamline.domain.errors import InvalidInput
from teamline.domain.events import Event
from teamline.domain.months import full_months_between
from teamline.domain.policy_data import (
    Converter,
    build,
    currency_of,
    decimal_of,
    int_of,
    list_of,
    mapping_of,
    only_known,
    where,
)

TIERS = range(6)
DEMOTED = 1


def priority_rank(tier: int) -> int:
    """How far up the line a tier puts a customer, 0-5: a demoted customer (tier 1) ranks with a
    new one (0), never ahead of them; from 2 up, the tier itself."""
    return 0 if tier <= DEMOTED else tier


NEW = 0
_STANDING = {1: 0, 0: 1, 2: 2, 3: 3, 4: 4, 5: 5}
_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def standing(tier: int) -> int:
    """Rank of a tier from worst (the demoted 1) to best (5): 1 < 0 < 2 < 3 < 4 < 5."""
    return _STANDING[tier]


@dataclass(frozen=True, slots=True)
class Band:
    """A value of at least `at_least` earns `points` (the highest band reached counts)."""

    at_least: Decimal
    points: Decimal


def _bands(*pairs: tuple[str, str]) -> tuple[Band, ...]:
    return tuple(Band(Decimal(a), Decimal(p)) for a, p in pairs)


def _band_of(value: object, field: str) -> Band:
    data = mapping_of(value, field)
    only_known(data, ["at_least", "points"], field)
    for key in ("at_least", "points"):
        if key not in data:
            raise InvalidInput(where(field, key), "is required")
    return Band(
        decimal_of(data["at_least"], where(field, "at_least")),
        decimal_of(data["points"], where(field, "points")),
    )


def _points(bands: tuple[Band, ...], value: Decimal) -> Decimal:
    reached = [b.points for b in bands if value >= b.at_least]
    return reached[-1] if reached else _ZERO


@dataclass(frozen=True, slots=True)
class TierPolicy:
    """Weights and thresholds of the tier score; the defaults reproduce DOMAIN.md's examples
    (a new customer 0, a good consumer about 3, a large business account 5)."""

    currency: str = "USD"
    # tenure: points per full year as a customer, up to a cap
    tenure_points_per_year: Decimal = Decimal("0.5")
    tenure_max_points: Decimal = Decimal("2.5")
    # "new customers start at 0": nobody rises above 0 before this many months
    new_customer_months: int = 3
    # the share of bills paid on time, once there are enough bills to judge
    payment_min_bills: int = 3
    payment_bands: tuple[Band, ...] = _bands(
        ("0", "-1.5"), ("0.7", "0"), ("0.85", "0.5"), ("0.95", "1")
    )
    # monthly spend over all accounts, the devices' price, the number of lines
    spend_bands: tuple[Band, ...] = _bands(("40", "0.5"), ("80", "1"), ("150", "1.5"), ("300", "2"))
    device_bands: tuple[Band, ...] = _bands(("400", "0.5"), ("1000", "1"))
    lines_bands: tuple[Band, ...] = _bands(("2", "0.5"), ("4", "1"))
    # a business account's yearly spend (12 x monthly): its size
    business_bands: tuple[Band, ...] = _bands(("5000", "1"), ("10000", "2"))
    # credits obtained in the last 12 months: a few are free, more cost points, many demote
    credits_free: int = 2
    credit_penalty_points: Decimal = Decimal("0.75")
    demotion_credit_count: int = 4
    demotion_credit_share: Decimal = Decimal("0.25")  # of a year's spend...
    demotion_min_credit_amount: Decimal = Decimal("50")  # ...once credits reach this amount
    # the lowest score of tiers 2, 3, 4 and 5 (tier 1 is only ever a demotion)
    thresholds: tuple[Decimal, ...] = (Decimal(2), Decimal("3.5"), Decimal(5), Decimal("6.5"))
    # tier 5 is reserved for large business accounts
    top_tier_segments: frozenset[Segment] = frozenset({Segment.BUSINESS})
    top_tier_min_annual_spend: Decimal = Decimal("10000")

    def __post_init__(self) -> None:
        currency_of(self.currency, "currency")
        for name in (
            "payment_bands",
            "spend_bands",
            "device_bands",
            "lines_bands",
            "business_bands",
        ):
            bands: tuple[Band, ...] = getattr(self, name)
            for before, after in pairwise(bands):
                # more of a good thing must never cost points: the score stays monotone
                if after.at_least <= before.at_least or after.points < before.points:
                    raise InvalidInput(name, "bands go up: each at_least and points above the last")
        if len(self.thresholds) != 4 or list(self.thresholds) != sorted(set(self.thresholds)):
            raise InvalidInput("thresholds", "four rising scores: for tiers 2, 3, 4 and 5")
        if self.demotion_credit_count < 1:
            raise InvalidInput("demotion_credit_count", "must be at least 1")
        if self.demotion_min_credit_amount <= 0:
            raise InvalidInput("demotion_min_credit_amount", "must be above 0")
        if self.credit_penalty_points < 0:
            raise InvalidInput("credit_penalty_points", "cannot be negative")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "tiers") -> TierPolicy:
        """A policy from plain data (a YAML section): every field optional, each error named."""

        def bands(v: object, f: str) -> tuple[Band, ...]:
            return list_of(v, f, _band_of)

        def dec(v: object, f: str) -> Decimal:
            return decimal_of(v, f, minimum=_ZERO)

        def count(v: object, f: str) -> int:
            return int_of(v, f, minimum=0)

        def segments(v: object, f: str) -> frozenset[Segment]:
            def one(s: object, g: str) -> Segment:
                try:
                    return Segment(str(s))
                except ValueError as exc:
                    raise InvalidInput(g, f"{s!r} is not a segment") from exc

            return frozenset(list_of(v, f, one))

        converters: dict[str, Converter] = {
            "currency": currency_of,
            "tenure_points_per_year": dec,
            "tenure_max_points": dec,
            "new_customer_months": count,
            "payment_min_bills": count,
            "payment_bands": bands,
            "spend_bands": bands,
            "device_bands": bands,
            "lines_bands": bands,
            "business_bands": bands,
            "credits_free": count,
            "credit_penalty_points": dec,
            "demotion_credit_count": count,
            "demotion_credit_share": dec,
            "demotion_min_credit_amount": dec,
            "thresholds": lambda v, f: list_of(v, f, dec),
            "top_tier_segments": segments,
            "top_tier_min_annual_spend": dec,
        }
        return build(data, prefix, converters, cls)


@dataclass(frozen=True, slots=True)
class TierInputs:
    """What the score reads, amounts in the policy's currency. `customer_since` is the earliest
    sign of the customer (their record, or a contract signed before it)."""

    segment: Segment
    customer_since: date
    on: date
    bills_due: int = 0
    bills_paid_on_time: int = 0
    monthly_spend: Decimal = _ZERO
    device_value: Decimal = _ZERO
    lines: int = 0
    credits_count: int = 0  # credits obtained in the last 12 months
    credits_amount: Decimal = _ZERO

    def __post_init__(self) -> None:
        if self.bills_due < 0 or not 0 <= self.bills_paid_on_time <= self.bills_due:
            raise InvalidInput("bills_paid_on_time", "between 0 and the bills due")
        for name in ("monthly_spend", "device_value", "credits_amount"):
            if getattr(self, name) < 0:
                raise InvalidInput(name, "cannot be negative")
        if self.lines < 0 or self.credits_count < 0:
            raise InvalidInput("lines" if self.lines < 0 else "credits_count", "cannot be negative")

    @property
    def annual_spend(self) -> Decimal:
        return self.monthly_spend * 12


@dataclass(frozen=True, slots=True)
class TierFactor:
    """One reason in the tier: what was measured, and the points it gave (shown to agents)."""

    name: str
    points: Decimal
    text: str


@dataclass(frozen=True, slots=True)
class TierAssessment:
    tier: int
    score: Decimal
    demoted: bool
    factors: tuple[TierFactor, ...]
    summary: str

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise InvalidInput("tier", "a value tier is 0 to 5")


@dataclass(frozen=True, slots=True)
class RecordedAssessment:
    """An assessment as recorded for a customer: what caused it, and when."""

    customer_id: str
    assessment: TierAssessment
    trigger: str
    assessed_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TierChanged(Event):
    name: ClassVar[str] = "customer.tier_changed"
    customer_id: str
    tier: int
    previous_tier: int
    demoted: bool
    trigger: str


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _pts(points: Decimal) -> str:
    return f"{points:+.2f}".rstrip("0").rstrip(".") if points else "+0"


def _factors(i: TierInputs, p: TierPolicy) -> list[TierFactor]:
    cur = p.currency
    months = full_months_between(i.customer_since, i.on)
    years = months // 12
    tenure = min(p.tenure_points_per_year * years, p.tenure_max_points)
    since = f"customer for {_count(years, 'full year')} ({_count(months, 'month')})"
    factors = [TierFactor("tenure", tenure, since)]
    if i.bills_due < p.payment_min_bills:
        judged = f"{_count(i.bills_due, 'bill')} on record: too few to judge"
        factors.append(TierFactor("payments", _ZERO, f"{judged} (at least {p.payment_min_bills})"))
    else:
        share = Decimal(i.bills_paid_on_time) / Decimal(i.bills_due)
        paid = f"{i.bills_paid_on_time} of {i.bills_due} bills paid on time ({share:.0%})"
        factors.append(TierFactor("payments", _points(p.payment_bands, share), paid))
    spend = f"spends {_money(i.monthly_spend, cur)} a month"
    devices = f"devices worth {_money(i.device_value, cur)}"
    factors += [
        TierFactor("spend", _points(p.spend_bands, i.monthly_spend), spend),
        TierFactor("device", _points(p.device_bands, i.device_value), devices),
        TierFactor("lines", _points(p.lines_bands, Decimal(i.lines)), _count(i.lines, "line")),
    ]
    if i.segment is Segment.BUSINESS:
        size = f"business account of {_money(i.annual_spend, cur)} a year"
        factors.append(TierFactor("business_size", _points(p.business_bands, i.annual_spend), size))
    extra = max(0, i.credits_count - p.credits_free)
    credits = (
        f"{_count(i.credits_count, 'credit')} worth {_money(i.credits_amount, cur)} in the "
        f"last 12 months ({p.credits_free} cost nothing)"
    )
    factors.append(TierFactor("credits", -p.credit_penalty_points * extra, credits))
    return factors


def demotion_reason(i: TierInputs, p: TierPolicy) -> str | None:
    """Why the customer is demoted, or None: many credits, or credits worth a large share of
    what they spend in a year (DOMAIN.md 3: "obtain many credits")."""
    if i.credits_count >= p.demotion_credit_count:
        return (
            f"{_count(i.credits_count, 'credit')} in the last 12 months "
            f"({p.demotion_credit_count} or more demote)"
        )
    share_limit = p.demotion_credit_share * i.annual_spend
    if i.credits_amount >= p.demotion_min_credit_amount and i.credits_amount > share_limit:
        return (
            f"credits worth {_money(i.credits_amount, p.currency)} in the last 12 months, "
            f"more than {p.demotion_credit_share:.0%} of a year's spend "
            f"({_money(i.annual_spend, p.currency)})"
        )
    return None


def assess_tier(inputs: TierInputs, policy: TierPolicy | None = None) -> TierAssessment:
    """The tier of a customer on `inputs.on`, with its factors and a one-paragraph summary."""
    p = policy or TierPolicy()
    factors = _factors(inputs, p)
    # what is shown is what is compared: the score to the cent, rounded once
    score = sum((f.points for f in factors), _ZERO).quantize(_CENT)
    reasons = "; ".join(f"{f.text} ({_pts(f.points)})" for f in factors)
    demoted = demotion_reason(inputs, p)
    tenure_months = full_months_between(inputs.customer_since, inputs.on)
    if demoted is not None:
        tier, why = DEMOTED, f"demoted: {demoted}"
    elif tenure_months < p.new_customer_months:
        tier, why = NEW, f"new customer: under {p.new_customer_months} months"
    else:
        reached = sum(1 for t in p.thresholds if score >= t)
        tier = 0 if reached == 0 else reached + 1
        if reached:
            why = f"score {score} is at least {p.thresholds[reached - 1]} for tier {tier}"
        else:
            why = f"score {score} is below {p.thresholds[0]} for tier 2"
        if tier == 5 and not (
            inputs.segment in p.top_tier_segments
            and inputs.annual_spend >= p.top_tier_min_annual_spend
        ):
            tier = 4
            who = "/".join(sorted(p.top_tier_segments))
            least = _money(p.top_tier_min_annual_spend, p.currency)
            why += f"; tier 5 is reserved for {who} accounts spending {least} a year"
    summary = f"Tier {tier}: {why}. Factors: {reasons}."
    return TierAssessment(tier, score, demoted is not None, tuple(factors), summary)
