"""What the digital twin simulates: a scenario, as plain frozen data (issue 4, item 4).

This module owns the description of a run and its checks, nothing of how it is run
(`engine_driver.py`) or summarised (`report.py`). Times are float seconds from the start of the
run; `Scenario.start` is the aware instant of second 0, which the engine needs for team hours.

    Scenario
      teams       TeamSetup: a domain `Team` (regional with ranked neighbours, or the national
                  pool) and its agents: some logged in all run, others on shifts (start, end)
      arrivals    ArrivalStream per team and channel: a piecewise-constant rate per hour
                  (a non-homogeneous Poisson process), multiplied by any Surge over it
      channels    ChannelSetup per channel: handle time (exponential or lognormal with a mean
                  and a coefficient of variation) and patience (exponential mean, or None)
      workflow    the routing `Workflow` the engine runs
      returning_share  of each stream's arrivals, customers who called before
                  (`customers.py`): what continuity and the same-agent share need
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

from teamline.domain.enums import Channel, TeamKind
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import TeamHours, WeeklyHours
from teamline.domain.organisation import Team
from teamline.routing.workflow import Ring, RingKind, Workflow, default_workflow

# a Tuesday, 14:00 UTC: morning in the Americas, afternoon in Europe (standard hours are open)
DEFAULT_START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
NEVER = 1e15  # seconds: a threshold no wait reaches


@dataclass(frozen=True, slots=True)
class HandleTime:
    """How long an agent works on a contact once they accept it."""

    mean_seconds: float
    cv: float = 1.0  # standard deviation / mean; an exponential has 1
    kind: Literal["exponential", "lognormal"] = "exponential"

    def __post_init__(self) -> None:
        if not self.mean_seconds > 0:
            raise InvalidInput("mean_seconds", "a handle time is positive")
        if self.kind == "exponential" and self.cv != 1.0:
            raise InvalidInput("cv", "an exponential handle time has cv 1: use lognormal")
        if not self.cv > 0:
            raise InvalidInput("cv", "must be positive")

    @property
    def log_params(self) -> tuple[float, float]:
        """(mu, sigma) of the normal whose exponential has this mean and cv."""
        sigma2 = math.log1p(self.cv * self.cv)
        return math.log(self.mean_seconds) - sigma2 / 2, math.sqrt(sigma2)


@dataclass(frozen=True, slots=True)
class ChannelSetup:
    handle: HandleTime
    patience_seconds: float | None = None  # exponential mean; None: the customer never leaves

    def __post_init__(self) -> None:
        if self.patience_seconds is not None and not self.patience_seconds > 0:
            raise InvalidInput("patience_seconds", "a mean patience is positive (or None)")


@dataclass(frozen=True, slots=True)
class ArrivalProfile:
    """Arrivals per hour, constant over each interval; the last rate holds after the profile."""

    rates_per_hour: tuple[float, ...]
    interval_seconds: float = 900.0

    def __post_init__(self) -> None:
        if not self.rates_per_hour:
            raise InvalidInput("rates_per_hour", "a profile has at least one interval")
        if any(not (r >= 0 and math.isfinite(r)) for r in self.rates_per_hour):
            raise InvalidInput("rates_per_hour", "rates are finite and not negative")
        if not self.interval_seconds > 0:
            raise InvalidInput("interval_seconds", "must be positive")

    @classmethod
    def constant(cls, rate_per_hour: float) -> ArrivalProfile:
        return cls((rate_per_hour,))

    def rate_per_hour(self, t: float) -> float:
        i = min(int(t // self.interval_seconds), len(self.rates_per_hour) - 1)
        return self.rates_per_hour[max(i, 0)]

    def mean_per_hour(self) -> float:
        return sum(self.rates_per_hour) / len(self.rates_per_hour)


@dataclass(frozen=True, slots=True)
class ArrivalStream:
    team_id: str  # the customers' home team
    profile: ArrivalProfile
    channel: Channel = Channel.VOICE


@dataclass(frozen=True, slots=True)
class Surge:
    """Arrivals to some teams (named, or every team of a region) multiplied for a while."""

    factor: float
    start_seconds: float
    duration_seconds: float
    team_ids: tuple[str, ...] = ()
    region_id: str | None = None

    def __post_init__(self) -> None:
        if not self.factor >= 0 or not self.duration_seconds > 0 or self.start_seconds < 0:
            raise InvalidInput("surge", "factor >= 0, start >= 0 and a positive duration")
        if not self.team_ids and self.region_id is None:
            raise InvalidInput("surge", "a surge names its teams or its region")

    def applies_to(self, team: Team) -> bool:
        return team.id in self.team_ids or (
            self.region_id is not None and team.region_id == self.region_id
        )

    @property
    def end_seconds(self) -> float:
        return self.start_seconds + self.duration_seconds


@dataclass(frozen=True, slots=True)
class Shift:
    start_seconds: float = 0.0
    end_seconds: float = math.inf

    def __post_init__(self) -> None:
        if self.start_seconds < 0 or not self.end_seconds > self.start_seconds:
            raise InvalidInput("shift", "a shift starts at 0 s or later and ends after it starts")


@dataclass(frozen=True, slots=True)
class TeamSetup:
    """A team and its people: `agents` logged in all run, plus one agent per shift."""

    team: Team
    agents: int = 0
    shifts: tuple[Shift, ...] = ()

    def __post_init__(self) -> None:
        if self.agents < 0:
            raise InvalidInput("agents", "cannot be negative")

    def rosters(self) -> list[tuple[str, Shift]]:
        """(agent id, shift) of every agent of the team, in a fixed order."""
        out = [(f"{self.team.id}-a{n:03d}", Shift()) for n in range(self.agents)]
        out += [(f"{self.team.id}-s{n:03d}", s) for n, s in enumerate(self.shifts)]
        return out


@dataclass(frozen=True, slots=True)
class Scenario:
    teams: tuple[TeamSetup, ...]
    arrivals: tuple[ArrivalStream, ...]
    channels: Mapping[Channel, ChannelSetup]
    workflow: Workflow = field(default_factory=default_workflow)
    surges: tuple[Surge, ...] = ()
    accept_delay_seconds: float = 0.0  # from offer to accept; every offer is accepted
    horizon_seconds: float | None = None  # arrivals stop here ...
    max_contacts: int | None = None  # ... or after this many, whichever comes first
    warmup_seconds: float = 0.0  # contacts arriving earlier are run but not reported
    drain_seconds: float = 86_400.0  # after the last arrival, stop waiting for open contacts
    start: datetime = DEFAULT_START
    forecast_per_hour: Mapping[str, float] | None = None  # the engine's surge detection
    returning_share: float = 0.0  # of each stream's arrivals: customers who called before

    def __post_init__(self) -> None:
        ids = [s.team.id for s in self.teams]
        if len(set(ids)) != len(ids):
            raise InvalidInput("teams", "each team appears once")
        known = set(ids)
        for setup in self.teams:
            missing = set(setup.team.neighbours) - known
            if missing:
                raise InvalidInput("teams", f"{setup.team.id} names unknown neighbours {missing}")
        for stream in self.arrivals:
            if stream.team_id not in known:
                raise InvalidInput("arrivals", f"no team {stream.team_id!r}")
            if stream.channel not in self.channels:
                raise InvalidInput("channels", f"no handle time for {stream.channel.value}")
        for surge in self.surges:
            if set(surge.team_ids) - known:
                raise InvalidInput("surges", f"unknown teams in {surge.team_ids}")
        if self.horizon_seconds is None and self.max_contacts is None:
            raise InvalidInput("horizon_seconds", "a run needs a horizon or a contact count")
        if self.max_contacts is not None and self.max_contacts < 1:
            raise InvalidInput("max_contacts", "must be positive")
        if self.horizon_seconds is not None and not self.horizon_seconds > 0:
            raise InvalidInput("horizon_seconds", "must be positive")
        if not 0 <= self.accept_delay_seconds < self.workflow.offer_timeout_seconds:
            # an offer that times out sends the agent toward a pause: not a model of acceptance
            raise InvalidInput("accept_delay_seconds", "0 or more, below the offer timeout")
        if self.warmup_seconds < 0 or not self.drain_seconds > 0:
            raise InvalidInput("warmup_seconds", "warm-up >= 0 and a positive drain limit")
        if self.start.tzinfo is None:
            raise InvalidInput("start", "datetime must be timezone-aware")
        if not 0 <= self.returning_share < 1:
            raise InvalidInput("returning_share", "a share from 0 up to (not including) 1")

    def team(self, team_id: str) -> Team:
        return next(s.team for s in self.teams if s.team.id == team_id)


def home_only_workflow(base: Workflow | None = None) -> Workflow:
    """A workflow without overflow, continuity or wrap-up: each team is its own M/M/c queue.

    With no borrowing ring a team lends to nobody, so its lending thresholds are set out of
    reach: otherwise the engine would still flip the team healthy and unhealthy as its wait
    crosses them, and feed every free agent again on each flip (no effect here, but costly).
    """
    return replace(
        base or default_workflow(),
        rings=(Ring(RingKind.HOME_TEAM, 0),),
        wrap_up_seconds=0.0,
        stop_lending_wait_seconds=NEVER,
        resume_lending_wait_seconds=NEVER,
    )


def single_team(
    agents: int,
    rate_per_hour: float,
    handle: HandleTime,
    patience_seconds: float | None = None,
    max_contacts: int | None = None,
    horizon_seconds: float | None = None,
    warmup_seconds: float = 0.0,
    service_level_seconds: int = 20,
) -> Scenario:
    """One always-open team answering voice calls, no overflow: M/M/c (+M with a patience)."""
    team = Team(
        "team",
        "Team",
        TeamKind.REGIONAL,
        "region",
        "UTC",
        TeamHours(WeeklyHours.always()),
        service_level_seconds=service_level_seconds,
    )
    return Scenario(
        teams=(TeamSetup(team, agents),),
        arrivals=(ArrivalStream(team.id, ArrivalProfile.constant(rate_per_hour)),),
        channels={Channel.VOICE: ChannelSetup(handle, patience_seconds)},
        workflow=home_only_workflow(),
        max_contacts=max_contacts,
        horizon_seconds=horizon_seconds,
        warmup_seconds=warmup_seconds,
    )
