"""The engine's plain-class copies of enum members (`model.RS`, `DK`, `ACT`, `CK`,
`timers.TK`: read in hot paths without `EnumType.__getattr__`) are written out by hand so that
mypy knows them; this keeps each copy exactly its enum, so a member added later cannot be
missing from the engine's view or named after the wrong member."""

from __future__ import annotations

from enum import Enum

import pytest

from teamline.routing.model import ACT, CK, DK, RS, Activity, ContactKind, DecisionKind, RouteState
from teamline.routing.timers import TK, TimerKind


@pytest.mark.parametrize(
    ("copy", "enum"),
    [(RS, RouteState), (DK, DecisionKind), (ACT, Activity), (CK, ContactKind), (TK, TimerKind)],
)
def test_each_plain_copy_holds_exactly_its_enums_members(copy: type, enum: type[Enum]) -> None:
    copied = {name: value for name, value in vars(copy).items() if not name.startswith("_")}
    assert copied == dict(enum.__members__)
