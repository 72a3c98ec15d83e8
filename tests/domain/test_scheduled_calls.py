"""Booking a scheduled call: a quarter hour at or after the time asked, inside the team's hours,
with the preferred agent when they are free, and never a slot the team cannot take."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WeeklyHours, standard_team_hours
from teamline.domain.scheduled_calls import Booking, Slot, check_wanted, first_free_slot

NEW_YORK = ZoneInfo("America/New_York")
HOURS = standard_team_hours().default  # 08:00-21:00 on weekdays
TUESDAY_10_07 = datetime(2026, 11, 24, 15, 7, tzinfo=UTC)  # 10:07 in New York
TUESDAY_10_15 = datetime(2026, 11, 24, 15, 15, tzinfo=UTC)


def test_the_time_asked_is_rounded_up_to_a_quarter_hour_with_the_preferred_agent() -> None:
    slot = first_free_slot(HOURS, NEW_YORK, TUESDAY_10_07, [], 30, "ana")
    assert slot == Slot(TUESDAY_10_15, "ana", moved=True)
    exact = first_free_slot(HOURS, NEW_YORK, TUESDAY_10_15, [], 30, "ana")
    assert exact == Slot(TUESDAY_10_15, "ana", moved=False)


def test_a_busy_preferred_agent_gives_way_to_the_customers_time() -> None:
    booked = [Booking(TUESDAY_10_15, "ana")]
    slot = first_free_slot(HOURS, NEW_YORK, TUESDAY_10_15, booked, 30, "ana")
    assert slot == Slot(TUESDAY_10_15, None, moved=False)


def test_a_full_slot_moves_the_call_to_the_next_one() -> None:
    booked = [Booking(TUESDAY_10_15, None), Booking(TUESDAY_10_15, "bo")]
    slot = first_free_slot(HOURS, NEW_YORK, TUESDAY_10_15, booked, 2, "ana")
    assert slot == Slot(TUESDAY_10_15 + timedelta(minutes=15), "ana", moved=True)


def test_after_hours_the_call_goes_to_the_next_opening_in_the_teams_zone() -> None:
    at_20_50 = datetime(2026, 11, 25, 1, 50, tzinfo=UTC)  # Tuesday 20:50 in New York
    slot = first_free_slot(HOURS, NEW_YORK, at_20_50, [], 30)
    # 21:00 would end after closing: Wednesday 08:00 in New York
    assert slot.start == datetime(2026, 11, 25, 13, 0, tzinfo=UTC) and slot.moved


def test_a_team_without_open_time_or_people_is_refused_naming_the_time() -> None:
    closed = WeeklyHours.from_mapping({})
    with pytest.raises(InvalidInput) as none_open:
        first_free_slot(closed, NEW_YORK, TUESDAY_10_15, [], 30)
    assert none_open.value.field == "at"
    with pytest.raises(InvalidInput):
        first_free_slot(HOURS, NEW_YORK, TUESDAY_10_15, [], 0)


def test_the_time_asked_is_in_the_future_and_within_two_weeks() -> None:
    now = TUESDAY_10_07
    check_wanted(now + timedelta(days=13), now)
    for wrong in (now, now - timedelta(minutes=1), now + timedelta(days=15)):
        with pytest.raises(InvalidInput):
            check_wanted(wrong, now)
