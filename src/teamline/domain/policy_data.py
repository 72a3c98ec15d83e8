"""Reading policies from plain data (a YAML file, a mapping): field-named errors, exact numbers.

Tier weights, discretion limits, termination-fee schedules and retention offers are data, not
code (issue 6): an operator edits them in YAML. Every value is checked here with the path of
the field that holds it (`tiers.spend_bands[2].points`), so a bad file fails loudly at load time
with one sentence naming what to fix. Numbers become `Decimal` through their text, never through
a float, so `0.1` in a file is exactly one tenth.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from teamline.domain.errors import InvalidInput

T = TypeVar("T")
LARGEST = 10**12  # larger numbers are typos, and would not fit money's precision
Converter = Callable[[object, str], Any]  # (value, field path) -> the checked value


def where(prefix: str, name: str | int) -> str:
    """The path of a field: `where("tiers", "spend")` is `tiers.spend`, an index `tiers[2]`."""
    if isinstance(name, int):
        return f"{prefix}[{name}]"
    return f"{prefix}.{name}" if prefix else name


def mapping_of(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidInput(field, "must be a mapping of names to values")
    return value


def sequence_of(value: object, field: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidInput(field, "must be a list")
    return value


def only_known(data: Mapping[str, Any], known: Sequence[str], prefix: str) -> None:
    """Refuse unknown keys: a typo in a policy file must not be ignored silently."""
    for key in data:
        if key not in known:
            raise InvalidInput(where(prefix, key), f"unknown field; expected one of {list(known)}")


def decimal_of(value: object, field: str, *, minimum: Decimal | None = None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(field, "must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput(field, f"{value!r} is not a number") from exc
    if not number.is_finite() or abs(number) > LARGEST:
        raise InvalidInput(field, f"must be a finite number of at most {LARGEST:,}")
    if minimum is not None and number < minimum:
        raise InvalidInput(field, f"must be at least {minimum}")
    return number


def int_of(value: object, field: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, "must be a whole number")
    if minimum is not None and value < minimum:
        raise InvalidInput(field, f"must be at least {minimum}")
    return value


def text_of(value: object, field: str, *, max_length: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "must be non-empty text")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value.strip()


def date_of(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a date like 2010-06-01")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(field, f"{value!r} is not a date like 2010-06-01") from exc


def currency_of(value: object, field: str) -> str:
    if not isinstance(value, str) or len(value) != 3 or not value.isalpha() or not value.isupper():
        raise InvalidInput(field, f"{value!r} is not an ISO 4217 currency code like USD")
    return value


def list_of(
    value: object, field: str, item: Callable[[object, str], T], *, non_empty: bool = False
) -> tuple[T, ...]:
    items = sequence_of(value, field)
    if non_empty and not items:
        raise InvalidInput(field, "must not be empty")
    return tuple(item(v, where(field, i)) for i, v in enumerate(items))


def build(
    data: object,
    prefix: str,
    converters: Mapping[str, Converter],
    make: Callable[..., T],
) -> T:
    """Convert each given field, refuse unknown ones, and construct with the defaults for the
    rest; a rule the constructor enforces is reported under `prefix` and its own field name."""
    values = mapping_of(data, prefix or "policy")
    only_known(values, list(converters), prefix)
    converted = {k: converters[k](v, where(prefix, k)) for k, v in values.items()}
    try:
        return make(**converted)
    except InvalidInput as exc:
        if exc.field.startswith(prefix):
            raise
        raise InvalidInput(where(prefix, exc.field), exc.message) from exc
