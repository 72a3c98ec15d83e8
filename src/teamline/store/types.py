"""Column types that keep the data rules of ARCHITECTURE.md on every database.

Instants are stored in UTC and always come back timezone-aware (SQLite keeps no offset, so the
naive value it returns is UTC by construction). Money is stored as integer cents: exact on SQLite,
which has no decimal type, and on PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from teamline.domain.card_masking import mask_card_numbers
from teamline.domain.hours import require_aware


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = require_aware(value, "datetime").astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return instant.astimezone(UTC)


class Cents(TypeDecorator[Decimal]):
    """A Decimal amount with two places, stored as an integer number of cents."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        cents = value * 100
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} has more than two decimal places")
        return int(cents)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value) / 100


class MaskedText(TypeDecorator[str]):
    """Free text from outside (messages, notes): card numbers are masked on the way in,
    whichever code path writes it (issue 9; `domain/card_masking.py`)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else mask_card_numbers(value)


class MaskedString(TypeDecorator[str]):
    """`MaskedText` in a bounded column: `MaskedString(200)` is VARCHAR(200)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else mask_card_numbers(value)
