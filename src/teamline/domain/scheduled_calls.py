"""Booking a scheduled call: the first free slot at or after the time the customer chose, within
their team's hours, with the agent they prefer when that agent is free (DOMAIN.md section 1:
"schedule a call for a chosen time"; section 8: hours in the team's local time).

Slots are quarter hours (every real UTC offset is a whole number of quarter hours, so they fall
on :00, :15, :30, :45 in every zone). A slot is free for the team while it holds fewer bookings
than the team has agents, and free for an agent who holds no booking in it. The customer's time
is kept before the agent: the first slot the team can take wins, with the preferred agent if
they are free then, else without (the team takes it, continuity still applies when it is due).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WeeklyHours, require_aware

SLOT = timedelta(minutes=15)
HORIZON = timedelta(days=14)  # how far ahead a call may be booked, and a free slot searched


@dataclass(frozen=True, slots=True)
class Booking:
    start: datetime
    agent_id: str | None


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    agent_id: str | None
    moved: bool  # not at the time asked for (rounded up to a slot, after hours, or full)


def slot_start(at: datetime) -> datetime:
    """The first slot boundary at or after `at`."""
    step = SLOT.total_seconds()
    return datetime.fromtimestamp(math.ceil(require_aware(at).timestamp() / step) * step, UTC)


def check_wanted(wanted: datetime, now: datetime) -> None:
    require_aware(wanted, "at")
    if wanted <= now:
        raise InvalidInput("at", "a scheduled call needs a time in the future")
    if wanted > now + HORIZON:
        raise InvalidInput("at", f"a call is booked at most {HORIZON.days} days ahead")


def first_free_slot(
    hours: WeeklyHours,
    zone: ZoneInfo,
    wanted: datetime,
    bookings: Sequence[Booking],
    team_capacity: int,
    preferred_agent_id: str | None = None,
) -> Slot:
    """The slot to book (see the module docstring); `InvalidInput('at')` if none is free within
    the horizon."""
    if team_capacity < 1:
        raise InvalidInput("at", "the team has nobody to take a scheduled call")
    per_slot = Counter(b.start for b in bookings)
    agent_busy = {b.start for b in bookings if b.agent_id and b.agent_id == preferred_agent_id}
    for lo, hi in hours.intervals(wanted, wanted + HORIZON, zone):
        start = slot_start(lo)
        while start + SLOT <= hi:
            if per_slot[start] < team_capacity:
                agent = preferred_agent_id if start not in agent_busy else None
                return Slot(start, agent, moved=start != wanted)
            start += SLOT
    raise InvalidInput("at", f"no free slot in the team's hours within {HORIZON.days} days")
