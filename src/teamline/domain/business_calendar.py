"""Business-time arithmetic over a team's calendar: weekly hours in a zone, plus holidays.

SLA targets are counted in *business* minutes (DOMAIN.md 1 and 8: teams are not 24/7; the
regulatory department keeps its own hours, DOMAIN.md 4). A clock started on Friday evening at
20:50 with 30 minutes to go is due Saturday morning, not at 21:20 when nobody is there; a holiday
counts nothing; a daylight-saving change moves the UTC instants of the opening windows, never the
local opening times, so a 09:00-17:00 day is 8 business hours in March and in November alike.

Two operations, inverse of each other (property-tested in tests/domain/test_business_calendar.py):
`add(start, d)` is the first instant at which `d` of open time has elapsed since `start`;
`elapsed(start, end)` is the open time between two instants. Durations are `timedelta`s, exact to
the microsecond, so adding and then measuring round-trips without drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WeeklyHours, require_aware
from teamline.domain.organisation import zone_of

ZERO = timedelta(0)
# how far one scan of the calendar looks ahead; a calendar with no open time in a whole year
# (every day a holiday, or no windows at all) cannot meet any target and is refused
_SCAN = timedelta(days=31)
_HORIZON = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Open hours of one team (or department) in its own time zone."""

    hours: WeeklyHours
    timezone: str

    def __post_init__(self) -> None:
        zone_of(self.timezone)  # refuse an unknown zone at construction, naming `timezone`

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessCalendar:
        """Wall-clock time: every minute counts (statutory days, 24/7 segments)."""
        return cls(WeeklyHours.always(), timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, at: datetime) -> bool:
        return self.hours.is_open(require_aware(at, "at"), self.zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time in [start, end); zero when `end` is not after `start`."""
        require_aware(start, "start")
        require_aware(end, "end")
        if end <= start:
            return ZERO
        total = ZERO
        for lo, hi in self.hours.intervals(start, end, self.zone):
            total += hi - lo
        return total

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The first instant at which `duration` of open time has elapsed since `start`.

        Adding zero answers `start` itself, open or not; any positive amount lands inside (or at
        the closing edge of) an opening window.
        """
        require_aware(start, "start")
        if duration < ZERO:
            raise InvalidInput("duration", "a business duration cannot be negative")
        remaining = duration
        cursor = start
        if remaining == ZERO:
            return start
        while cursor - start < _HORIZON:
            for lo, hi in self.hours.intervals(cursor, cursor + _SCAN, self.zone):
                span = hi - lo
                if span >= remaining:
                    return lo + remaining
                remaining -= span
            cursor += _SCAN
        raise InvalidInput("hours", "the calendar has no open time within a year")
