"""Money: a Decimal amount with an explicit currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from teamline.domain.errors import InvalidInput

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise InvalidInput("amount", "money must be a Decimal, not a float")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise InvalidInput("currency", f"{self.currency!r} is not an ISO 4217 code")
        object.__setattr__(self, "amount", self.amount.quantize(_CENT, ROUND_HALF_EVEN))

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str = "USD") -> Money:
        return cls(Decimal(amount), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidInput("currency", f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def times(self, factor: int | Decimal) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def clamp_at_zero(self) -> Money:
        return self if self.amount >= 0 else Money(Decimal(0), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
