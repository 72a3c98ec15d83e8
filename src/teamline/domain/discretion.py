"""Discretion: what an agent may grant at once, and what waits for a supervisor (DOMAIN.md 3-4).

In the accounts this system is built from, what a customer got depended on the rep's mood and a
hidden score. Here a concession (a credit, a discount, a bill adjustment, a free device, a fee
waiver, an unlock code, a refund) is a request evaluated against a table of limits per agent
level and per value tier. Within the limit the agent grants it at once; beyond it the request
waits for a supervisor, who approves or declines it, and each step is stored with a sentence
saying why. The customer's attitude is not an input: no field could carry it.

The limit covers what this customer has been granted at once for the same kind in the last
`window_days`, so five small credits cannot add up to one large one without approval. Tier 1
(a demotion) has no limit at all: every concession to a demoted customer goes to a supervisor.
A refund of charges after cancellation is owed, not a favour: it has the same limit at every
tier and always goes back to the original payment method, never as a voucher (DOMAIN.md 4-5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from teamline.domain.enums import AgentLevel, Role
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.events import Event
from teamline.domain.money import Money
from teamline.domain.policy_data import (
    Converter,
    build,
    currency_of,
    decimal_of,
    int_of,
    list_of,
    mapping_of,
    where,
)

APPROVER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
REASON_MAX = 500
MONTHS_MAX = 24


class ConcessionKind(StrEnum):
    CREDIT = "credit"
    DISCOUNT = "discount"  # an amount off each month, for some months
    BILL_ADJUSTMENT = "bill_adjustment"
    FREE_DEVICE = "free_device"
    FEE_WAIVER = "fee_waiver"
    UNLOCK_CODE = "unlock_code"
    REFUND = "refund"  # charges for days after service ended (DOMAIN.md 5)

    @property
    def monetary(self) -> bool:
        return self is not ConcessionKind.UNLOCK_CODE

    @property
    def counts_against_tier(self) -> bool:
        """Whether a grant is a "credit obtained" for the tier's demotion rule. A bill
        adjustment corrects a bill (often the company's own error) and a refund returns what
        was owed; neither is a favour, so neither demotes anybody."""
        return self in _FAVOURS

    @property
    def settlement(self) -> Settlement:
        return _SETTLEMENT[self]


class Settlement(StrEnum):
    """How a grant reaches the customer. There is deliberately no voucher: money the customer
    is owed goes back where it came from (chargebacks cost more than refunds, DOMAIN.md 4)."""

    BILL = "bill"
    ORIGINAL_PAYMENT_METHOD = "original_payment_method"
    SHIPMENT = "shipment"
    CODE = "code"


_FAVOURS = frozenset(
    {
        ConcessionKind.CREDIT,
        ConcessionKind.DISCOUNT,
        ConcessionKind.FREE_DEVICE,
        ConcessionKind.FEE_WAIVER,
    }
)
_SETTLEMENT = {
    ConcessionKind.CREDIT: Settlement.BILL,
    ConcessionKind.DISCOUNT: Settlement.BILL,
    ConcessionKind.BILL_ADJUSTMENT: Settlement.BILL,
    ConcessionKind.FEE_WAIVER: Settlement.BILL,
    ConcessionKind.FREE_DEVICE: Settlement.SHIPMENT,
    ConcessionKind.UNLOCK_CODE: Settlement.CODE,
    ConcessionKind.REFUND: Settlement.ORIGINAL_PAYMENT_METHOD,
}


class RequestState(StrEnum):
    GRANTED = "granted"  # within the agent's limit: granted at once
    PENDING = "pending"  # beyond it: waiting for a supervisor
    APPROVED = "approved"
    DECLINED = "declined"

    @property
    def granted(self) -> bool:
        return self in (RequestState.GRANTED, RequestState.APPROVED)


# Frontline limits per tier 0..5 (money in the policy's currency; unlock codes are a count).
# Other levels multiply them: the escalation team is the first person after frontline,
# supervisors see more; executive and regulatory care cut red tape (DOMAIN.md 4).
_FRONTLINE: dict[ConcessionKind, tuple[int, ...]] = {
    ConcessionKind.CREDIT: (15, 0, 25, 50, 100, 200),
    ConcessionKind.DISCOUNT: (20, 0, 40, 80, 150, 300),
    ConcessionKind.BILL_ADJUSTMENT: (25, 0, 50, 100, 200, 400),
    ConcessionKind.FREE_DEVICE: (0, 0, 0, 50, 150, 300),
    ConcessionKind.FEE_WAIVER: (10, 0, 25, 50, 100, 200),
    ConcessionKind.UNLOCK_CODE: (1, 0, 1, 1, 2, 3),
    ConcessionKind.REFUND: (200, 200, 200, 200, 200, 200),
}
_LEVEL_FACTOR = {
    AgentLevel.FRONTLINE: 1,
    AgentLevel.SOCIAL_CARE: 1,
    AgentLevel.ESCALATION: 2,
    AgentLevel.EXECUTIVE_CARE: 3,
    AgentLevel.REGULATORY: 3,
    AgentLevel.SUPERVISOR: 4,
}
Limits = Mapping[AgentLevel, Mapping[ConcessionKind, tuple[Decimal, ...]]]


def default_limits() -> dict[AgentLevel, dict[ConcessionKind, tuple[Decimal, ...]]]:
    return {
        level: {kind: tuple(Decimal(v * factor) for v in row) for kind, row in _FRONTLINE.items()}
        for level, factor in _LEVEL_FACTOR.items()
    }


def _level_of(value: object, field: str) -> AgentLevel:
    try:
        return AgentLevel(str(value))
    except ValueError as exc:
        raise InvalidInput(field, f"{value!r} is not an agent level") from exc


def _kind_of(value: object, field: str) -> ConcessionKind:
    try:
        return ConcessionKind(str(value))
    except ValueError as exc:
        raise InvalidInput(field, f"{value!r} is not a kind of concession") from exc


@dataclass(frozen=True, slots=True)
class DiscretionPolicy:
    currency: str = "USD"
    window_days: int = 30
    limits: Limits = field(default_factory=default_limits)

    def __post_init__(self) -> None:
        currency_of(self.currency, "currency")
        if not 1 <= self.window_days <= 366:
            raise InvalidInput("window_days", "between 1 and 366 days")
        for level in AgentLevel:
            for kind in ConcessionKind:
                row = self.limits.get(level, {}).get(kind)
                name = f"limits.{level.value}.{kind.value}"
                if row is None or len(row) != 6:
                    raise InvalidInput(name, "one limit for each tier 0 to 5")
                if any(v < 0 for v in row):
                    raise InvalidInput(name, "limits cannot be negative")

    def limit(self, level: AgentLevel, kind: ConcessionKind, tier: int) -> Decimal:
        return self.limits[level][kind][tier]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "discretion") -> DiscretionPolicy:
        """A policy from plain data; `limits` overrides the defaults row by row:
        `limits: {frontline: {credit: [15, 0, 25, 50, 100, 200]}}` (tiers 0 to 5)."""

        def limits(value: object, f: str) -> Limits:
            table = default_limits()
            for level_name, rows in mapping_of(value, f).items():
                level = _level_of(level_name, where(f, level_name))
                for kind_name, row in mapping_of(rows, where(f, level_name)).items():
                    at = where(where(f, level_name), kind_name)
                    kind = _kind_of(kind_name, at)
                    table[level][kind] = list_of(
                        row, at, lambda v, g: decimal_of(v, g, minimum=Decimal(0))
                    )
            return table

        converters: dict[str, Converter] = {
            "currency": currency_of,
            "window_days": lambda v, f: int_of(v, f, minimum=1),
            "limits": limits,
        }
        return build(data, prefix, converters, cls)


@dataclass(frozen=True, slots=True)
class Ask:
    """What an agent asks for. `amount` is per month for a discount (for `months` months);
    an unlock code has no amount."""

    kind: ConcessionKind
    amount: Money
    reason: str
    months: int = 1

    def __post_init__(self) -> None:
        reason = self.reason.strip()
        if not reason:
            raise InvalidInput("reason", "say why: the decision is explained with it")
        if len(reason) > REASON_MAX:
            raise InvalidInput("reason", f"at most {REASON_MAX} characters")
        if self.kind.monetary and self.amount.amount <= 0:
            raise InvalidInput("amount", f"a {self.kind.value} needs an amount above 0")
        if not self.kind.monetary and self.amount.amount != 0:
            raise InvalidInput("amount", "an unlock code has no amount")
        if self.kind is ConcessionKind.DISCOUNT and not 1 <= self.months <= MONTHS_MAX:
            raise InvalidInput("months", f"a discount lasts 1 to {MONTHS_MAX} months")
        if self.kind is not ConcessionKind.DISCOUNT and self.months != 1:
            raise InvalidInput("months", "only a discount lasts several months")

    @property
    def value(self) -> Money:
        """What the grant is worth in money (a discount: every month of it)."""
        return self.amount.times(self.months)

    @property
    def measure(self) -> Decimal:
        """What the limit is compared with: the money value, or 1 for an unlock code."""
        return self.value.amount if self.kind.monetary else Decimal(1)

    def describe(self) -> str:
        v = self.value
        if self.kind is ConcessionKind.UNLOCK_CODE:
            return "an unlock code"
        if self.kind is ConcessionKind.DISCOUNT:
            return f"a discount of {self.amount} a month for {self.months} months ({v})"
        if self.kind is ConcessionKind.REFUND:
            return f"a refund of {v} to the original payment method"
        article = "an" if self.kind.value[0] in "aeiou" else "a"
        return f"{article} {self.kind.value.replace('_', ' ')} of {v}"


def _amount(value: Decimal, kind: ConcessionKind, currency: str) -> str:
    if kind.monetary:
        return str(Money(value, currency))
    return f"{int(value)} unlock code{'' if value == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Evaluation:
    within_limit: bool
    limit: Decimal | None  # None when no limit applies (another currency)
    already: Decimal
    explanation: str


def evaluate(
    policy: DiscretionPolicy, ask: Ask, tier: int, level: AgentLevel, already: Decimal
) -> Evaluation:
    """Within the limit or not, and why. `already` is what this customer was granted at once
    for the same kind in the policy's window (a count for unlock codes)."""
    what = ask.describe()
    if ask.kind.monetary and ask.amount.currency != policy.currency:
        text = (
            f"Needs a supervisor's approval: limits are set in {policy.currency} "
            f"and {what} is in {ask.amount.currency}."
        )
        return Evaluation(False, None, already, text)
    limit = policy.limit(level, ask.kind, tier)
    cur = policy.currency
    who = f"a {level.value.replace('_', ' ')} agent's limit of {_amount(limit, ask.kind, cur)}"
    for_whom = f"for a tier {tier} customer"
    earlier = ""
    if already:
        granted = _amount(already, ask.kind, cur)
        earlier = f" with {granted} granted at once in the last {policy.window_days} days"
    if ask.measure + already <= limit:
        text = f"Granted at once: {what}{earlier} is within {who} {for_whom}."
        return Evaluation(True, limit, already, text)
    text = f"Needs a supervisor's approval: {what}{earlier} is above {who} {for_whom}."
    if limit == 0 and tier == 1:
        text += " Tier 1 means the customer was demoted: every concession needs a supervisor."
    return Evaluation(False, limit, already, text)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcessionDecided(Event):
    name: ClassVar[str] = "concession.decided"
    request_id: str
    customer_id: str
    kind: str
    state: str
    decided_by: str


@dataclass(slots=True)
class ConcessionRequest:
    """A concession asked for, and what became of it: granted at once, or pending until a
    supervisor approves or declines it. Every state carries its explanation."""

    id: str
    customer_id: str
    account_number: str
    ask: Ask
    requested_by: str
    level: AgentLevel
    tier: int
    created_at: datetime
    state: RequestState
    limit: Decimal | None
    explanation: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    events: list[Event] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        request_id: str,
        customer_id: str,
        account_number: str,
        ask: Ask,
        requested_by: str,
        level: AgentLevel,
        tier: int,
        evaluation: Evaluation,
        now: datetime,
    ) -> ConcessionRequest:
        granted = evaluation.within_limit
        request = cls(
            request_id,
            customer_id,
            account_number,
            ask,
            requested_by,
            level,
            tier,
            now,
            RequestState.GRANTED if granted else RequestState.PENDING,
            evaluation.limit,
            evaluation.explanation,
            requested_by if granted else None,
            now if granted else None,
        )
        request._decided()
        return request

    def approve(self, approver: str, role: Role, now: datetime, note: str = "") -> None:
        self._decide(RequestState.APPROVED, approver, role, now, note)

    def decline(self, approver: str, role: Role, now: datetime, note: str) -> None:
        if not note.strip():
            raise InvalidInput("note", "a declined request says why")
        self._decide(RequestState.DECLINED, approver, role, now, note)

    def _decide(
        self, state: RequestState, approver: str, role: Role, now: datetime, note: str
    ) -> None:
        if role not in APPROVER_ROLES:
            raise InvalidInput("role", "only a supervisor or an admin decides a pending request")
        if self.state is not RequestState.PENDING:
            raise InvalidTransition("concession request", self.state.value, state.value)
        if approver == self.requested_by:
            # asking "the supervisor's supervisor" reaches another supervisor (DOMAIN.md 4):
            # nobody approves their own request
            raise InvalidInput("approver", "another supervisor decides a supervisor's request")
        if len(note) > REASON_MAX:
            raise InvalidInput("note", f"at most {REASON_MAX} characters")
        self.state, self.decided_by, self.decided_at = state, approver, now
        self.decision_note = note.strip()
        self._decided()

    def _decided(self) -> None:
        if self.decided_by is not None:
            self.events.append(
                ConcessionDecided(
                    at=self.decided_at or self.created_at,
                    request_id=self.id,
                    customer_id=self.customer_id,
                    kind=self.ask.kind.value,
                    state=self.state.value,
                    decided_by=self.decided_by,
                )
            )

    def full_explanation(self, decider_name: str | None = None) -> str:
        """The evaluation, then the supervisor's decision with their note."""
        if self.state not in (RequestState.APPROVED, RequestState.DECLINED):
            return self.explanation
        who = decider_name or self.decided_by
        verb = "Approved" if self.state is RequestState.APPROVED else "Declined"
        note = f": {self.decision_note}" if self.decision_note else "."
        return f"{self.explanation} {verb} by {who}{note}"
