"""Team hours: the evening cut-off in the team's own zone, DST, holidays, business seconds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import (
    DailyWindow,
    TeamHours,
    WeeklyHours,
    standard_team_hours,
)

NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS_8_TO_21 = {d: "08:00-21:00" for d in ("mon", "tue", "wed", "thu", "fri")}


def local(*args: int, zone: ZoneInfo = NEW_YORK) -> datetime:
    return datetime(*args, tzinfo=zone)


def test_a_team_closes_at_nine_pm_in_its_own_time_zone() -> None:
    hours = WeeklyHours.from_mapping(WEEKDAYS_8_TO_21)
    assert hours.is_open(local(2026, 11, 24, 20, 59), NEW_YORK)
    assert not hours.is_open(local(2026, 11, 24, 21, 0), NEW_YORK)
    # 02:30 UTC on Wednesday is still Tuesday 21:30 in New York: closed
    assert not hours.is_open(datetime(2026, 11, 25, 2, 30, tzinfo=UTC), NEW_YORK)


def test_sunday_cut_off_at_seven_pm_in_the_standard_hours() -> None:
    hours = standard_team_hours()
    sunday = local(2026, 11, 29, 18, 59)
    assert hours.is_open(sunday, NEW_YORK)
    assert not hours.is_open(sunday + timedelta(minutes=1), NEW_YORK)


def test_postpaid_customers_are_served_around_the_clock_by_default() -> None:
    hours = standard_team_hours()
    three_am = local(2026, 11, 24, 3, 0)
    assert not hours.is_open(three_am, NEW_YORK, segment="prepaid")
    assert hours.is_open(three_am, NEW_YORK, segment="postpaid")


def test_opening_time_stays_local_across_daylight_saving_changes() -> None:
    hours = WeeklyHours.from_mapping({"sun": "08:00-21:00", "mon": "08:00-21:00"})
    # 2026-03-08 is the US spring-forward Sunday; 8:00 local is 12:00 UTC that day, 13:00 before
    [(opening, closing)] = hours.intervals_on(date(2026, 3, 8), NEW_YORK)
    assert opening == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert closing == datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    [(opening_before, _)] = hours.intervals_on(date(2026, 3, 2), NEW_YORK)
    assert opening_before == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)


def test_holidays_are_closed_all_day() -> None:
    hours = WeeklyHours.from_mapping(WEEKDAYS_8_TO_21, holidays=frozenset({date(2026, 11, 26)}))
    assert not hours.is_open(local(2026, 11, 26, 12, 0), NEW_YORK)
    assert hours.next_opening(local(2026, 11, 26, 12, 0), NEW_YORK) == local(2026, 11, 27, 8, 0)


def test_business_seconds_skip_nights_and_weekends() -> None:
    hours = WeeklyHours.from_mapping(WEEKDAYS_8_TO_21)
    friday_evening = local(2026, 11, 27, 20, 0)
    monday_morning = local(2026, 11, 30, 9, 0)
    assert hours.open_seconds(friday_evening, monday_morning, NEW_YORK) == 2 * 3600
    assert hours.add_open_seconds(friday_evening, 2 * 3600, NEW_YORK) == monday_morning


def test_a_window_may_run_to_midnight_and_join_the_next_day() -> None:
    hours = WeeklyHours.always()
    start = local(2026, 11, 24, 22, 0)
    intervals = list(hours.intervals(start, start + timedelta(hours=4), NEW_YORK))
    assert intervals == [(start, start + timedelta(hours=4))]
    assert hours.is_always_open


def test_hours_round_trip_through_their_mapping() -> None:
    hours = WeeklyHours.from_mapping({"mon": ["08:00-12:00", "13:00-24:00"]})
    assert WeeklyHours.from_mapping(hours.to_mapping()) == hours
    assert TeamHours(hours).for_segment("business") is hours


@pytest.mark.parametrize("spec", [{"monday": "08:00-21:00"}, {"mon": "21:00-08:00"}, {"mon": "8"}])
def test_malformed_hours_name_the_field(spec: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as err:
        WeeklyHours.from_mapping(spec)
    assert err.value.field == "hours"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidInput):
        WeeklyHours.always().is_open(datetime(2026, 1, 1), NEW_YORK)


def test_window_text_form() -> None:
    assert str(DailyWindow.parse("08:00-24:00")) == "08:00-24:00"
