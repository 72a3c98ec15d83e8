"""Reading a parsed YAML document key by key, naming every bad or unknown key by its path.

This module owns the error messages of the scenario files (`scenario_file.py`): a value that is
missing, of the wrong type or out of range raises `InvalidInput` whose field is its path in the
file (`teams[2].agents`), and a key nobody reads is refused, so a typo never passes silently
(except top-level keys starting with `x-`: a home for YAML anchors the file reuses).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from teamline.domain.errors import InvalidInput

MISSING = object()


class Fields:
    """A mapping read key by key; `done()` names the first key nobody asked for."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise InvalidInput(path, "must be a mapping of keys to values")
        self.data, self.path, self.seen = data, path, set[str]()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path != "scenario" else key

    def get(self, key: str, default: object = MISSING) -> Any:
        self.seen.add(key)
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        if default is MISSING:
            raise InvalidInput(self.at(key), "is required")
        return default

    def num(self, key: str, default: object = MISSING, low: float = -math.inf) -> float:
        value = self.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InvalidInput(self.at(key), "must be a number")
        if value < low:
            raise InvalidInput(self.at(key), f"must be at least {low:g}")
        return float(value)

    def whole(self, key: str, default: object = MISSING) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(self.at(key), "must be a whole number, 0 or more")
        return value

    def text(self, key: str, default: object = MISSING) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(self.at(key), "must be a non-empty text")
        return value.strip()

    def seq(self, key: str, default: object = MISSING) -> list[Any]:
        value = self.get(key, default)
        if not isinstance(value, list):
            raise InvalidInput(self.at(key), "must be a list")
        return value

    def done(self) -> None:
        unknown = sorted(str(k) for k in self.data if k not in self.seen)
        if self.path == "scenario":  # x- keys hold YAML anchors for the rest of the file
            unknown = [k for k in unknown if not k.startswith("x-")]
        if unknown:
            raise InvalidInput(self.at(unknown[0]), "is not a known key here")


@contextmanager
def named(path: str) -> Iterator[None]:
    """Errors of the domain's own checks, named by where the value sits in the file."""
    try:
        yield
    except InvalidInput as exc:
        raise InvalidInput(f"{path}.{exc.field}", exc.message) from exc
