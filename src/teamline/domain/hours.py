"""Team hours in the team's local time: weekly windows, an evening cut-off, holidays.

DOMAIN.md section 1: teams are not 24/7. After the evening cut-off (9 p.m., or 7 p.m. on some
days or segments) contacts go to the national standard-care pool; hours are configurable per team
and per customer segment (e.g. postpaid 24/7). Everything is computed with `zoneinfo`, so
daylight-saving changes shift the UTC instants, never the local opening times.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from teamline.domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MIDNIGHT = time(0, 0)


def require_aware(at: datetime, name: str = "now") -> datetime:
    """Reject naive datetimes: every instant in Teamline is timezone-aware."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput(name, "datetime must be timezone-aware")
    return at


@dataclass(frozen=True, slots=True)
class DailyWindow:
    """One opening window of a day in local time; `close` of 00:00 means midnight."""

    open: time
    close: time

    def __post_init__(self) -> None:
        if self.close != _MIDNIGHT and self.close <= self.open:
            raise InvalidInput(
                "hours", f"window closes ({self.close}) before it opens ({self.open})"
            )

    @classmethod
    def parse(cls, text: str) -> DailyWindow:
        """Parse '08:00-21:00' (use '24:00' or '00:00' for midnight)."""
        try:
            start, end = (part.strip() for part in text.split("-"))
            opening = time.fromisoformat(start)
            closing = _MIDNIGHT if end in ("24:00", "00:00") else time.fromisoformat(end)
        except ValueError as exc:
            raise InvalidInput("hours", f"{text!r} is not a window like '08:00-21:00'") from exc
        return cls(opening, closing)

    def __str__(self) -> str:
        end = "24:00" if self.close == _MIDNIGHT else self.close.strftime("%H:%M")
        return f"{self.open.strftime('%H:%M')}-{end}"


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Opening windows per weekday (0 = Monday) plus closed dates, in the team's zone."""

    windows: Mapping[int, tuple[DailyWindow, ...]]
    holidays: frozenset[date] = frozenset()

    @classmethod
    def always(cls) -> WeeklyHours:
        whole_day = (DailyWindow(_MIDNIGHT, _MIDNIGHT),)
        return cls({day: whole_day for day in range(7)})

    @classmethod
    def from_mapping(
        cls, spec: Mapping[str, str | list[str]], holidays: frozenset[date] = frozenset()
    ) -> WeeklyHours:
        """Build from {'mon': '08:00-21:00', 'sat': ['09:00-12:00', '13:00-19:00'], ...}."""
        windows: dict[int, tuple[DailyWindow, ...]] = {}
        for key, value in spec.items():
            if key not in WEEKDAYS:
                raise InvalidInput("hours", f"{key!r} is not a weekday ({', '.join(WEEKDAYS)})")
            texts = [value] if isinstance(value, str) else list(value)
            windows[WEEKDAYS.index(key)] = tuple(DailyWindow.parse(t) for t in texts)
        return cls(windows, holidays)

    def to_mapping(self) -> dict[str, list[str]]:
        return {WEEKDAYS[d]: [str(w) for w in ws] for d, ws in sorted(self.windows.items())}

    @property
    def is_always_open(self) -> bool:
        return not self.holidays and all(
            self.windows.get(d) == (DailyWindow(_MIDNIGHT, _MIDNIGHT),) for d in range(7)
        )

    def intervals_on(self, day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
        """The day's opening intervals as aware datetimes (UTC), DST-correct."""
        if day in self.holidays:
            return []
        result = []
        for window in self.windows.get(day.weekday(), ()):
            start = datetime.combine(day, window.open, zone)
            end_day = day + timedelta(days=1) if window.close == _MIDNIGHT else day
            end = datetime.combine(end_day, window.close, zone)
            result.append((start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))))
        return result

    def intervals(
        self, start: datetime, end: datetime, zone: ZoneInfo
    ) -> Iterator[tuple[datetime, datetime]]:
        """Opening intervals overlapping [start, end), clipped to it, in order, merged."""
        require_aware(start, "start")
        require_aware(end, "end")
        day = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date()
        pending: tuple[datetime, datetime] | None = None
        while day <= last:
            for lo, hi in self.intervals_on(day, zone):
                lo, hi = max(lo, start), min(hi, end)
                if lo >= hi:
                    continue
                if pending and lo <= pending[1]:
                    pending = (pending[0], max(pending[1], hi))
                    continue
                if pending:
                    yield pending
                pending = (lo, hi)
            day += timedelta(days=1)
        if pending:
            yield pending

    def is_open(self, at: datetime, zone: ZoneInfo) -> bool:
        require_aware(at, "at")
        local_day = at.astimezone(zone).date()
        for day in (local_day - timedelta(days=1), local_day):
            for lo, hi in self.intervals_on(day, zone):
                if lo <= at < hi:
                    return True
        return False

    def next_opening(self, at: datetime, zone: ZoneInfo, horizon_days: int = 14) -> datetime | None:
        """The first instant at or after `at` when the team is open (None if never soon)."""
        for lo, _hi in self.intervals(at, at + timedelta(days=horizon_days), zone):
            return lo
        return None

    def open_seconds(self, start: datetime, end: datetime, zone: ZoneInfo) -> float:
        """Business seconds between two instants: the SLA clock of a team calendar."""
        return sum((hi - lo).total_seconds() for lo, hi in self.intervals(start, end, zone))

    def add_open_seconds(self, start: datetime, seconds: float, zone: ZoneInfo) -> datetime:
        """The instant when `seconds` of open time have elapsed after `start`."""
        remaining = seconds
        cursor = start
        while True:
            found = False
            for lo, hi in self.intervals(cursor, cursor + timedelta(days=30), zone):
                found = True
                span = (hi - lo).total_seconds()
                if span >= remaining:
                    return lo + timedelta(seconds=remaining)
                remaining -= span
                cursor = hi
            if not found:
                raise InvalidInput("hours", "the calendar has no open time within 30 days")


@dataclass(frozen=True, slots=True)
class TeamHours:
    """A team's default hours and per-segment overrides (e.g. postpaid 24/7)."""

    default: WeeklyHours
    by_segment: Mapping[str, WeeklyHours] = field(default_factory=dict)

    def for_segment(self, segment: str | None) -> WeeklyHours:
        if segment is not None and segment in self.by_segment:
            return self.by_segment[segment]
        return self.default

    def is_open(self, at: datetime, zone: ZoneInfo, segment: str | None = None) -> bool:
        return self.for_segment(segment).is_open(at, zone)


def standard_team_hours() -> TeamHours:
    """The default of DOMAIN.md: 8 a.m. to 9 p.m., 7 p.m. cut-off on Sundays; postpaid 24/7."""
    weekly = WeeklyHours.from_mapping(
        {
            "mon": "08:00-21:00",
            "tue": "08:00-21:00",
            "wed": "08:00-21:00",
            "thu": "08:00-21:00",
            "fri": "08:00-21:00",
            "sat": "09:00-21:00",
            "sun": "10:00-19:00",
        }
    )
    return TeamHours(default=weekly, by_segment={"postpaid": WeeklyHours.always()})
