"""SLA targets per ladder level and priority, the warning share, and the regulators: data.

Issue 7: every rung of the escalation ladder has its own SLA (first response, next response,
resolution, in business minutes of the holding team's calendar); a case's priority scales them;
a clock warns at a share of its target (75% by default). Regulators are configurable data, each
with a statutory deadline in calendar days (e.g. 30), counted in the regulatory department's time
zone: a complaint received on 1 March local time is due by the end of 31 March there.

An operator may override all of it in YAML (`TEAMLINE_CASE_POLICY_PATH`):

    warning_share: 0.75
    priority_factors: {urgent: 0.25, high: 0.5, normal: 1, low: 2}
    levels: {frontline: {first_response: 60, next_response: 240, resolution: 1440}, ...}
    regulators: [{id: fcc, name: Federal Communications Commission, deadline_days: 30}]

Every bad value fails at load time naming its field (`levels.frontline.resolution`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from teamline.domain.errors import InvalidInput
from teamline.domain.escalation import Level
from teamline.domain.organisation import zone_of
from teamline.domain.policy_data import (
    build,
    decimal_of,
    int_of,
    list_of,
    mapping_of,
    only_known,
    text_of,
    where,
)
from teamline.domain.sla import ClockKind

DEADLINE_DAYS_MAX = 366
TARGET_MINUTES_MAX = 60 * 24 * 365


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@dataclass(frozen=True, slots=True)
class LevelTargets:
    """Business minutes for each clock at one rung."""

    first_response: int
    next_response: int
    resolution: int

    def __post_init__(self) -> None:
        for name in ("first_response", "next_response", "resolution"):
            minutes = getattr(self, name)
            if not 1 <= minutes <= TARGET_MINUTES_MAX:
                raise InvalidInput(name, f"a target is 1 to {TARGET_MINUTES_MAX} business minutes")

    def minutes(self, kind: ClockKind) -> int:
        return int(getattr(self, kind.value))


@dataclass(frozen=True, slots=True)
class Regulator:
    """A regulator customers complain to, with the statutory deadline of its complaints."""

    id: str
    name: str
    deadline_days: int

    def __post_init__(self) -> None:
        if not 1 <= self.deadline_days <= DEADLINE_DAYS_MAX:
            raise InvalidInput(
                "deadline_days", f"a statutory deadline is 1 to {DEADLINE_DAYS_MAX} days"
            )

    def deadline(self, received_at: datetime, timezone: str) -> datetime:
        """The end of the last calendar day to answer in the department's zone (as UTC)."""
        zone = zone_of(timezone)
        last_day = received_at.astimezone(zone).date() + timedelta(days=self.deadline_days)
        return datetime.combine(last_day + timedelta(days=1), time(0, 0), zone).astimezone(UTC)


DEFAULT_TARGETS: dict[Level, LevelTargets] = {
    Level.FRONTLINE: LevelTargets(60, 240, 1440),
    Level.ESCALATION: LevelTargets(120, 480, 2880),
    Level.SUPERVISOR: LevelTargets(240, 480, 2880),
    Level.EXECUTIVE_CARE: LevelTargets(480, 960, 4800),
    # social posts are public: they are answered fast (DOMAIN.md 2)
    Level.SOCIAL_CARE: LevelTargets(30, 60, 1440),
    Level.REGULATORY: LevelTargets(480, 960, 4800),
    Level.CHARGEBACK: LevelTargets(240, 480, 2880),
}
DEFAULT_FACTORS: dict[Priority, Decimal] = {
    Priority.URGENT: Decimal("0.25"),
    Priority.HIGH: Decimal("0.5"),
    Priority.NORMAL: Decimal(1),
    Priority.LOW: Decimal(2),
}
DEFAULT_REGULATORS = (
    Regulator("fcc", "Federal Communications Commission", 30),
    Regulator("state-puc", "State public utility commission", 30),
)


@dataclass(frozen=True)
class SlaPolicy:
    targets: Mapping[Level, LevelTargets] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    priority_factors: Mapping[Priority, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_FACTORS)
    )
    warning_share: float = 0.75
    regulators: tuple[Regulator, ...] = DEFAULT_REGULATORS

    def __post_init__(self) -> None:
        if not 0 < self.warning_share < 1:
            raise InvalidInput("warning_share", "a warning comes strictly before the breach (0-1)")
        missing = [lv.value for lv in Level if lv not in self.targets]
        if missing:
            raise InvalidInput("levels", f"targets missing for {', '.join(missing)}")
        ids = [r.id for r in self.regulators]
        if len(set(ids)) != len(ids):
            raise InvalidInput("regulators", "each regulator id appears once")

    def target(self, level: Level, priority: Priority, kind: ClockKind) -> timedelta:
        """The business time allowed for one clock at one rung and priority."""
        minutes = Decimal(self.targets[level].minutes(kind))
        scaled = minutes * self.priority_factors.get(priority, Decimal(1))
        return timedelta(minutes=max(1, int(scaled)))

    def regulator(self, regulator_id: str) -> Regulator:
        for regulator in self.regulators:
            if regulator.id == regulator_id:
                return regulator
        known = ", ".join(r.id for r in self.regulators)
        raise InvalidInput("regulator", f"{regulator_id!r} is not a configured regulator ({known})")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SlaPolicy:
        only_known(data, ["warning_share", "priority_factors", "levels", "regulators"], "")
        targets = dict(DEFAULT_TARGETS)
        levels = mapping_of(data.get("levels", {}), "levels")
        for name, spec in levels.items():
            try:
                level = Level(name)
            except ValueError as exc:
                raise InvalidInput(where("levels", name), "not a ladder level") from exc
            targets[level] = build(
                spec,
                where("levels", name),
                dict.fromkeys(("first_response", "next_response", "resolution"), _minutes),
                LevelTargets,
            )
        factors = dict(DEFAULT_FACTORS)
        for name, value in mapping_of(data.get("priority_factors", {}), "priority_factors").items():
            try:
                priority = Priority(name)
            except ValueError as exc:
                raise InvalidInput(where("priority_factors", name), "not a priority") from exc
            factors[priority] = decimal_of(
                value, where("priority_factors", name), minimum=Decimal("0.01")
            )
        regulators: tuple[Regulator, ...] = DEFAULT_REGULATORS
        if "regulators" in data:
            regulators = list_of(data["regulators"], "regulators", _regulator, non_empty=True)
        share = data.get("warning_share", 0.75)
        if isinstance(share, bool) or not isinstance(share, int | float):
            raise InvalidInput("warning_share", "must be a number between 0 and 1")
        return cls(targets, factors, float(share), regulators)


def _minutes(value: object, name: str) -> int:
    return int_of(value, name, minimum=1)


def _regulator(value: object, name: str) -> Regulator:
    return build(
        value,
        name,
        {
            "id": lambda v, f: text_of(v, f, max_length=40),
            "name": lambda v, f: text_of(v, f, max_length=200),
            "deadline_days": lambda v, f: int_of(v, f, minimum=1),
        },
        Regulator,
    )
