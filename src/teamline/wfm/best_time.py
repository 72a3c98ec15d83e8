"""The best time to call: a team's coming open hours ranked by the wait the forecast predicts
(issue 4, item 3; DOMAIN.md section 8, "Teamline computes this from its own forecast instead of
folklore").

This module owns the ranking and its labels. Per coming slot (half hours or hours, in the team's
local time) it takes the forecast arrivals and handle time (`teamline.wfm.forecast`) and the
agents rostered then, and evaluates the queue in one vectorised call: Erlang C, or Erlang A
when a mean patience is given (`teamline.wfm.erlang`). Slots when the team is closed (its hours
from `teamline.domain.hours`) are left out: a call then reaches the national pool, not the team.

Slots rank by predicted mean wait of answered calls (ASA), then by the probability of waiting
(it separates the many slots whose ASA rounds to nothing), then by the load per agent, then by
time, so the answer is the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

import numpy as np

from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WeeklyHours, require_aware
from teamline.wfm.erlang import SECONDS_PER_HOUR, FloatArray, IntArray, erlang_a, erlang_c
from teamline.wfm.forecast import SLOT, SLOT_MINUTES, Forecast, week_slot

MAX_HORIZON: Final = timedelta(days=14)

# agents on duty during [start, end): a whole roster, or one head count for every slot
Roster = Callable[[datetime, datetime], int] | int


class WaitLabel(StrEnum):
    """What the customer app shows beside a slot."""

    QUIET = "quiet"  # most callers are answered at once
    NORMAL = "normal"  # the team meets its service-level target
    BUSY = "busy"  # below target, but the wait stays bounded
    VERY_BUSY = "very_busy"  # long waits, or more work than the agents on duty can take


@dataclass(frozen=True, slots=True)
class WaitBands:
    """Where the labels change: P(wait) below `quiet_p_wait` is quiet; a service level at or
    above `target_sl` (within the threshold) is normal; an ASA above `very_busy_asa_s`, or no
    steady state at all, is very busy; the rest is busy."""

    quiet_p_wait: float = 0.2
    target_sl: float = 0.8
    very_busy_asa_s: float = 300.0

    def __post_init__(self) -> None:
        for name in ("quiet_p_wait", "target_sl"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise InvalidInput(name, "must be in (0, 1]")
        if not self.very_busy_asa_s > 0.0:
            raise InvalidInput("very_busy_asa_s", "must be positive")


@dataclass(frozen=True, slots=True)
class SlotWait:
    """One coming slot: when (UTC, aware), the load and staff the prediction rests on, and the
    predicted queue. `asa_s` is infinite when the work exceeds what the agents can take."""

    start: datetime
    end: datetime
    arrivals_per_hour: float
    aht_s: float
    agents: int
    p_wait: float
    service_level: float
    asa_s: float
    p_abandon: float
    label: WaitLabel


def coming_slots(
    now: datetime, zone: ZoneInfo, horizon: timedelta, minutes: int = SLOT_MINUTES
) -> list[tuple[datetime, datetime]]:
    """[start, end) of each slot from the one holding `now` until `now + horizon`, on the
    zone's local half-hour or hour boundaries (a DST change shortens or stretches nothing: steps
    are real time)."""
    require_aware(now, "now")
    if minutes not in (30, 60):
        raise InvalidInput("slot_minutes", "slots are 30 or 60 minutes")
    if not timedelta(0) < horizon <= MAX_HORIZON:
        raise InvalidInput("horizon", f"look ahead more than 0 and at most {MAX_HORIZON.days} days")
    local = now.astimezone(zone)
    first = local.replace(minute=local.minute - local.minute % minutes, second=0, microsecond=0)
    step = timedelta(minutes=minutes)
    start = first.astimezone(now.tzinfo)
    slots = []
    while start < now + horizon:
        slots.append((start, start + step))
        start += step
    return slots


def best_times(
    forecast: Forecast,
    team_id: str,
    channels: Sequence[Channel],
    hours: WeeklyHours,
    roster: Roster,
    now: datetime,
    *,
    horizon: timedelta = timedelta(hours=48),
    slot_minutes: int = 60,
    threshold_s: float = 20.0,
    patience_s: float | None = None,
    bands: WaitBands | None = None,
) -> list[SlotWait]:
    """The team's open slots of the coming `horizon`, best first.

    `channels` are the channels whose work competes for the same agents (voice, callbacks and
    scheduled calls all take a voice seat); their forecasts are added. `roster` gives the agents
    on duty per slot (or one head count for all). Patience turns Erlang C into Erlang A.
    """
    bands = bands or WaitBands()
    zone = forecast.zones.get(team_id)
    if zone is None:
        raise InvalidInput("team_id", f"the forecast has no team {team_id!r}")
    if not threshold_s >= 0.0:
        raise InvalidInput("threshold_s", "must be >= 0")
    slots = [
        (lo, hi)
        for lo, hi in coming_slots(now, zone, horizon, slot_minutes)
        if hours.open_seconds(lo, hi, zone) >= (hi - lo).total_seconds()
    ]
    if not slots:
        return []
    lam_week, aht_week = forecast.combined(team_id, channels)
    # a slot of an hour is its half hours together: mean rate, handle time weighted by arrivals
    halves = slot_minutes // SLOT_MINUTES
    index = np.array(
        [[week_slot(lo + SLOT * k, zone) for k in range(halves)] for lo, _ in slots],
        dtype=np.int64,
    )
    lam_parts = lam_week[index]
    lam = lam_parts.mean(axis=1)
    work = (lam_parts * aht_week[index]).mean(axis=1)
    aht = np.where(lam > 0.0, work / np.where(lam > 0.0, lam, 1.0), aht_week[index].mean(axis=1))
    agents = np.array(
        [roster if isinstance(roster, int) else roster(lo, hi) for lo, hi in slots],
        dtype=np.int64,
    )
    if (agents < 0).any():
        raise InvalidInput("roster", "a roster counts agents: >= 0")
    measures = _queue(agents, lam, np.maximum(aht, 1e-9), threshold_s, patience_s)
    load = lam * aht / SECONDS_PER_HOUR
    per_agent = np.divide(load, agents, out=np.full(load.shape, np.inf), where=agents > 0)
    per_agent = np.where(load > 0.0, per_agent, 0.0)
    p_wait, sl, asa, p_ab = measures
    out = [
        SlotWait(
            lo,
            hi,
            float(lam[i]),
            float(aht[i]),
            int(agents[i]),
            float(p_wait[i]),
            float(sl[i]),
            float(asa[i]),
            float(p_ab[i]),
            _label(float(p_wait[i]), float(sl[i]), float(asa[i]), bands),
        )
        for i, (lo, hi) in enumerate(slots)
    ]
    order = sorted(
        range(len(out)),
        key=lambda i: (out[i].asa_s, out[i].p_wait, float(per_agent[i]), out[i].start),
    )
    return [out[i] for i in order]


def _queue(
    agents: IntArray,
    lam: FloatArray,
    aht: FloatArray,
    threshold_s: float,
    patience_s: float | None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(P(wait), service level, ASA, P(abandon)) per slot; nobody on duty means every caller
    waits without end (or, with patience, hangs up)."""
    n = agents.size
    p_wait, sl = np.ones(n), np.zeros(n)
    asa, p_ab = np.full(n, np.inf), np.zeros(n)
    if patience_s is not None:
        p_ab = np.where(lam > 0.0, 1.0, 0.0)
    idle = lam <= 0.0
    p_wait[idle], sl[idle], asa[idle] = 0.0, 1.0, 0.0
    staffed = (agents > 0) & ~idle
    if staffed.any():
        c, a, h = agents[staffed], lam[staffed], aht[staffed]
        if patience_s is None:
            m = erlang_c(c, a, h, threshold_s)
        else:
            m = erlang_a(c, a, h, patience_s, threshold_s)
        p_wait[staffed], sl[staffed] = m.p_wait, m.service_level
        asa[staffed], p_ab[staffed] = m.asa_s, m.p_abandon
    return p_wait, sl, asa, p_ab


def _label(p_wait: float, sl: float, asa: float, bands: WaitBands) -> WaitLabel:
    if p_wait < bands.quiet_p_wait:
        return WaitLabel.QUIET
    if sl >= bands.target_sl:
        return WaitLabel.NORMAL
    if asa <= bands.very_busy_asa_s:
        return WaitLabel.BUSY
    return WaitLabel.VERY_BUSY
