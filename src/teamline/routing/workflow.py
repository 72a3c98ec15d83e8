"""The routing workflow: data, validated, loadable from YAML (issue 3; DOMAIN.md sections 1, 8).

A contact starts with the narrowest ring of agents and gains wider rings as it waits, each ring
opening a number of seconds after the contact's *virtual start* (its place in line, which a
callback or a re-queued contact keeps):

    continuity  the agent who last helped this customer (held briefly if busy)
    home_team   the customer's own regional team
    neighbours  the home team's first N ranked neighbours, while they are healthy
    all_teams   every healthy regional team (a concentrated flood needs them all)
    national    the national standard-care pool

Why the defaults: queueing runs of a flooded team show overflow must start well inside the
service-level threshold (10 s against a 20 s target rescues it, 30 s collapses it), so the first
borrowing ring opens at no more than half of the team's threshold. Chaining to one or two
neighbours absorbs noise but not a flood, so the last rings reach every healthy team and then the
national pool. A team lends agents only while its own estimated wait is under `stop_lending`,
and starts again only once it has stayed under `resume_lending` for a while (hysteresis and
dwell: no flapping).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from teamline.domain.errors import InvalidInput


class RingKind(StrEnum):
    CONTINUITY = "continuity"
    HOME_TEAM = "home_team"
    NEIGHBOURS = "neighbours"
    ALL_TEAMS = "all_teams"
    NATIONAL = "national"


@dataclass(frozen=True, slots=True)
class Ring:
    kind: RingKind
    after_seconds: float = 0.0  # opens this long after the virtual start
    count: int = 0  # neighbours: how many of the ranked list


@dataclass(frozen=True, slots=True)
class Workflow:
    rings: tuple[Ring, ...]
    offer_timeout_seconds: float = 15.0
    missed_offers_limit: int = 3
    # tier credit: tier t goes first as if it had arrived t/5 of this earlier (bounded)
    max_tier_credit_seconds: float = 30.0
    # nobody starves: a contact that has waited this long goes ahead of every credited one
    max_wait_seconds: float = 300.0
    # escalations go to the escalation team, then also to the home team's supervisors
    escalation_to_supervisor_seconds: float = 60.0
    abandon_return_seconds: float = 60.0
    continuity_window_hours: float = 72.0
    continuity_max_hold_seconds: float = 60.0
    stop_lending_wait_seconds: float = 20.0
    resume_lending_wait_seconds: float = 8.0
    # and only once it has stayed under it this long (0: at once). Measured by the twin: with
    # lending decided on the team's backlog and freed agents serving their own team first, a
    # dwell only keeps idle agents from helping (bench/routing_quality.py)
    resume_lending_after_seconds: float = 0.0
    # a freed agent takes their own team's waiting contacts before any other team's; False
    # makes one first-come-first-served queue of every pool the agent serves (the "fully
    # pooled" baseline the twin compares against)
    own_team_first: bool = True
    wrap_up_seconds: float = 30.0
    callback_offer_wait_seconds: float = 120.0
    surge_factor: float = 2.0
    surge_window_seconds: float = 600.0
    handle_seconds: Mapping[str, float] = field(
        default_factory=lambda: {"voice": 300.0, "chat": 480.0, "async": 600.0}
    )

    def __post_init__(self) -> None:
        if not self.rings:
            raise InvalidInput("rings", "a workflow has at least one ring")
        kinds = [r.kind for r in self.rings]
        if len(set(kinds)) != len(kinds):
            raise InvalidInput("rings", "each ring kind appears once")
        if RingKind.HOME_TEAM not in kinds:
            raise InvalidInput("rings", "the home team ring is required")
        times = [r.after_seconds for r in self.rings]
        if times != sorted(times) or times[0] < 0:
            raise InvalidInput("rings", "rings open in order, at 0 s or later")
        for ring in self.rings:
            if ring.kind is RingKind.NEIGHBOURS and ring.count < 1:
                raise InvalidInput("rings", "a neighbours ring names how many (count >= 1)")
        positive = {
            "offer_timeout_seconds": self.offer_timeout_seconds,
            "missed_offers_limit": self.missed_offers_limit,
            "max_wait_seconds": self.max_wait_seconds,
            "continuity_window_hours": self.continuity_window_hours,
            "surge_factor": self.surge_factor,
            "surge_window_seconds": self.surge_window_seconds,
        }
        for name, value in positive.items():
            if value <= 0:
                raise InvalidInput(name, "must be positive")
        if not 0 <= self.max_tier_credit_seconds < self.max_wait_seconds:
            raise InvalidInput("max_tier_credit_seconds", "0 or more, and below max_wait_seconds")
        if self.resume_lending_after_seconds < 0:
            raise InvalidInput("resume_lending_after_seconds", "0 or more")
        if self.resume_lending_wait_seconds > self.stop_lending_wait_seconds:
            raise InvalidInput("resume_lending_wait_seconds", "at most stop_lending_wait_seconds")

    def ring(self, kind: RingKind) -> Ring | None:
        return next((r for r in self.rings if r.kind is kind), None)

    def check_against(self, service_level_seconds: int) -> None:
        """The first borrowing ring must open within half of the team's service-level target."""
        borrowing = [r for r in self.rings if r.kind in (RingKind.NEIGHBOURS, RingKind.ALL_TEAMS)]
        if borrowing and borrowing[0].after_seconds > service_level_seconds / 2:
            raise InvalidInput(
                "rings",
                f"overflow opens at {borrowing[0].after_seconds:g} s, later than half of the "
                f"{service_level_seconds} s service-level threshold: a flooded team collapses",
            )


def default_workflow() -> Workflow:
    return Workflow(
        rings=(
            Ring(RingKind.CONTINUITY, 0),
            Ring(RingKind.HOME_TEAM, 0),
            Ring(RingKind.NEIGHBOURS, 10, count=2),
            Ring(RingKind.ALL_TEAMS, 18),
            Ring(RingKind.NATIONAL, 40),
        )
    )


_FIELDS = {f for f in Workflow.__dataclass_fields__ if f != "rings"}


def workflow_from_mapping(data: Mapping[str, Any]) -> Workflow:
    """Build from parsed YAML/JSON; every unknown or malformed key is named in the error."""
    if not isinstance(data, Mapping):
        raise InvalidInput("workflow", "a workflow is a mapping")
    unknown = set(data) - _FIELDS - {"rings"}
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a workflow setting")
    rings = []
    for i, raw in enumerate(data.get("rings") or []):
        if not isinstance(raw, Mapping) or set(raw) - {"kind", "after_seconds", "count"}:
            raise InvalidInput(f"rings[{i}]", "a ring has kind, after_seconds and count")
        try:
            kind = RingKind(str(raw.get("kind")))
            rings.append(Ring(kind, float(raw.get("after_seconds", 0)), int(raw.get("count", 0))))
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"rings[{i}]", str(exc)) from exc
    settings: dict[str, Any] = {}
    for key in _FIELDS & set(data):
        value = data[key]
        if key == "handle_seconds":
            if not isinstance(value, Mapping):
                raise InvalidInput(key, "a mapping of channel class to seconds")
            settings[key] = {str(k): float(v) for k, v in value.items()}
        elif key == "own_team_first":
            if not isinstance(value, bool):
                raise InvalidInput(key, "must be true or false")
            settings[key] = value
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(key, "must be a number")
        else:
            settings[key] = value
    return Workflow(rings=tuple(rings), **settings)


def load_workflow(path: Path) -> Workflow:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput("workflow", f"cannot read {path}: {exc}") from exc
    return workflow_from_mapping(data)
