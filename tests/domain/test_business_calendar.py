"""Business-time arithmetic: team hours, time zones, holidays, daylight-saving changes, and the
invariants that hold for any calendar (adding then measuring round-trips, elapsed is monotonic
and additive, closed time never counts)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WeeklyHours

NEW_YORK = "America/New_York"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def office(zone: str = NEW_YORK, holidays: frozenset[date] = frozenset()) -> BusinessCalendar:
    return BusinessCalendar(
        WeeklyHours.from_mapping(dict.fromkeys(WEEKDAYS, "09:00-17:00"), holidays), zone
    )


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def test_time_after_closing_counts_from_the_next_opening() -> None:
    calendar = office()
    friday_late = at(NEW_YORK, 2026, 11, 20, 16, 30)
    # 30 minutes left on Friday, the other 30 on Monday morning
    assert calendar.add(friday_late, timedelta(hours=1)) == at(NEW_YORK, 2026, 11, 23, 9, 30)
    assert calendar.elapsed(friday_late, at(NEW_YORK, 2026, 11, 23, 9, 30)) == timedelta(hours=1)


def test_the_same_instant_is_open_in_one_zone_and_closed_in_another() -> None:
    instant = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 10:00 New York, 23:00 Tokyo
    assert office(NEW_YORK).is_open(instant)
    assert not office("Asia/Tokyo").is_open(instant)
    # in Tokyo the hour starts at the next 09:00 local
    due = office("Asia/Tokyo").add(instant, timedelta(hours=1))
    assert due == at("Asia/Tokyo", 2026, 11, 25, 10, 0)


def test_a_holiday_counts_nothing() -> None:
    thanksgiving = date(2026, 11, 26)
    calendar = office(holidays=frozenset({thanksgiving}))
    wednesday_end = at(NEW_YORK, 2026, 11, 25, 17, 0)
    assert calendar.add(wednesday_end, timedelta(hours=2)) == at(NEW_YORK, 2026, 11, 27, 11, 0)
    whole_holiday = (at(NEW_YORK, 2026, 11, 26, 0, 0), at(NEW_YORK, 2026, 11, 27, 0, 0))
    assert calendar.elapsed(*whole_holiday) == timedelta(0)


def test_a_business_day_is_eight_hours_on_both_sides_of_daylight_saving() -> None:
    calendar = office()
    # 2026-03-09 is the Monday after the spring change, 2026-11-02 after the autumn one
    for monday in (date(2026, 3, 9), date(2026, 11, 2)):
        start = datetime.combine(monday, datetime.min.time(), ZoneInfo(NEW_YORK))
        assert calendar.elapsed(start, start + timedelta(days=1)) == timedelta(hours=8)
    # Friday 16:00 before the spring change + 2 business hours: Monday 10:00 local, which is
    # 14:00 UTC (EDT), not 15:00 UTC as it would be a week earlier (EST)
    due = calendar.add(at(NEW_YORK, 2026, 3, 6, 16, 0), timedelta(hours=2))
    assert due == at(NEW_YORK, 2026, 3, 9, 10, 0)
    assert due.astimezone(UTC).hour == 14


def test_a_round_the_clock_calendar_counts_the_real_hours_of_a_daylight_saving_night() -> None:
    always = BusinessCalendar.always_open(NEW_YORK)
    spring_sunday = at(NEW_YORK, 2026, 3, 8, 0, 0)
    autumn_sunday = at(NEW_YORK, 2026, 11, 1, 0, 0)
    assert always.elapsed(spring_sunday, at(NEW_YORK, 2026, 3, 9, 0, 0)) == timedelta(hours=23)
    assert always.elapsed(autumn_sunday, at(NEW_YORK, 2026, 11, 2, 0, 0)) == timedelta(hours=25)


def test_adding_zero_answers_the_start_and_negative_is_refused() -> None:
    calendar = office()
    sunday = at(NEW_YORK, 2026, 11, 22, 12, 0)
    assert calendar.add(sunday, timedelta(0)) == sunday
    with pytest.raises(InvalidInput) as error:
        calendar.add(sunday, timedelta(minutes=-1))
    assert error.value.field == "duration"


def test_a_calendar_that_never_opens_is_refused_naming_the_hours() -> None:
    never = BusinessCalendar(WeeklyHours.from_mapping({}), NEW_YORK)
    with pytest.raises(InvalidInput) as error:
        never.add(at(NEW_YORK, 2026, 11, 22, 12, 0), timedelta(minutes=1))
    assert error.value.field == "hours"


def test_an_unknown_time_zone_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as error:
        BusinessCalendar(WeeklyHours.always(), "Mars/Olympus")
    assert error.value.field == "timezone"


# --- invariants for any calendar ------------------------------------------------------------

ZONES = ["America/New_York", "America/Chicago", "Europe/Rome", "Australia/Sydney", "UTC"]
WINDOWS = ["00:00-24:00", "08:00-21:00", "09:00-17:00", "01:00-04:00", "10:00-19:00", "22:00-24:00"]
BASE = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    days = draw(st.lists(st.sampled_from((*WEEKDAYS, "sat", "sun")), min_size=1, unique=True))
    spec: dict[str, str | list[str]] = {d: draw(st.sampled_from(WINDOWS)) for d in days}
    holidays = draw(st.frozensets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=20))
    return BusinessCalendar(WeeklyHours.from_mapping(spec, holidays), draw(st.sampled_from(ZONES)))


instants = st.integers(0, 360 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m, seconds=7))
durations = st.integers(0, 3 * 60 * 24).map(lambda m: timedelta(minutes=m))


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations)
def test_adding_then_measuring_round_trips(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    due = calendar.add(start, duration)
    assert due >= start
    assert calendar.elapsed(start, due) == duration
    if duration:  # the due instant is the first one with that much open time behind it
        assert calendar.elapsed(start, due - timedelta(microseconds=1)) < duration


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, st.lists(durations, min_size=2, max_size=2))
def test_elapsed_is_monotonic_additive_and_never_counts_closed_time(
    calendar: BusinessCalendar, start: datetime, gaps: list[timedelta]
) -> None:
    middle = start + gaps[0]
    end = middle + gaps[1]
    first, second, whole = (
        calendar.elapsed(start, middle),
        calendar.elapsed(middle, end),
        calendar.elapsed(start, end),
    )
    assert whole == first + second
    assert whole >= first
    assert whole <= end - start


@settings(max_examples=40, deadline=None)
@given(calendars(), st.integers(0, 360 * 24 * 60), st.integers(1, 3 * 24 * 60))
def test_elapsed_counts_exactly_the_open_minutes(
    calendar: BusinessCalendar, offset: int, minutes: int
) -> None:
    # an independent oracle: windows and DST changes fall on whole minutes, so each minute is
    # wholly open or wholly closed; elapsed time is the open minutes, no closed one counted
    start = BASE + timedelta(minutes=offset)
    open_minutes = sum(calendar.is_open(start + timedelta(minutes=i)) for i in range(minutes))
    assert calendar.elapsed(start, start + timedelta(minutes=minutes)) == timedelta(
        minutes=open_minutes
    )
