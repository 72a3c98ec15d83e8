"""SLA clocks: business-time targets across team hours, pauses while waiting on the customer,
warnings at 75% and breaches, each raised once; fixed deadlines that never pause; the policy data
(targets per rung and priority, regulators with statutory deadlines)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.errors import InvalidInput
from teamline.domain.escalation import Level
from teamline.domain.hours import WeeklyHours
from teamline.domain.sla import Alert, ClockKind, ClockStatus, SlaClock
from teamline.domain.sla_policy import Priority, Regulator, SlaPolicy

CHICAGO = "America/Chicago"
TEAM = BusinessCalendar(
    WeeklyHours.from_mapping(
        dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-21:00")
        | {"sat": "09:00-21:00", "sun": "10:00-19:00"},
        frozenset({date(2026, 12, 25)}),
    ),
    CHICAGO,
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(CHICAGO))


def resolution(now: datetime, hours: int = 4) -> SlaClock:
    return SlaClock.start(ClockKind.RESOLUTION, timedelta(hours=hours), TEAM, now, 0.75)


def test_a_clock_started_near_the_cut_off_is_due_after_the_next_opening() -> None:
    clock = resolution(local(2026, 11, 24, 20, 0))  # Tuesday 8 p.m.: one hour left today
    assert clock.due_at == local(2026, 11, 25, 11, 0)  # 3 more hours from 08:00 Wednesday
    assert clock.warn_at == local(2026, 11, 25, 10, 0)  # 75% of 4 hours = 3 hours


def test_christmas_is_closed_on_the_clock() -> None:
    clock = resolution(local(2026, 12, 24, 20, 0))
    assert clock.due_at == local(2026, 12, 26, 12, 0)  # Thursday 1h + Saturday 09:00 + 3h


def test_the_clock_crosses_the_autumn_daylight_saving_change_in_business_hours() -> None:
    # Saturday 31 October 20:00 CDT, 1 hour left; Sunday 1 November opens 10:00 CST (UTC-6)
    clock = resolution(local(2026, 10, 31, 20, 0))
    assert clock.due_at == local(2026, 11, 1, 13, 0)
    assert clock.due_at is not None and clock.due_at.astimezone(UTC).hour == 19


def test_a_clock_paused_over_the_spring_change_resumes_on_local_hours() -> None:
    # Friday 6 March 2026 18:00 CST, 4 hours target: 3 hours run until 21:00, then paused
    clock = resolution(local(2026, 3, 6, 18, 0))
    clock.pause(TEAM, local(2026, 3, 6, 21, 30))
    assert clock.spent == timedelta(hours=3)
    # resumed Sunday 8 March (clocks went forward at 02:00) before opening: due 11:00 CDT
    clock.resume(TEAM, local(2026, 3, 8, 7, 0), 0.75)
    assert clock.due_at == local(2026, 3, 8, 11, 0)
    assert clock.due_at is not None and clock.due_at.astimezone(UTC).hour == 16  # UTC-5 now


def test_waiting_on_the_customer_pauses_the_clock_and_moves_the_due_instant() -> None:
    start = local(2026, 11, 24, 9, 0)
    clock = resolution(start)
    assert clock.due_at == local(2026, 11, 24, 13, 0)
    clock.pause(TEAM, local(2026, 11, 24, 10, 0))  # one hour spent
    assert clock.status(local(2026, 11, 26, 9, 0)) is ClockStatus.PAUSED
    assert clock.due_alerts(local(2026, 11, 30, 9, 0)) == []  # paused: nothing falls due
    clock.resume(TEAM, local(2026, 11, 26, 20, 0), 0.75)  # customer answers Thursday 8 p.m.
    assert clock.spent == timedelta(hours=1)
    # 1 hour until 21:00, then 2 more from 08:00 Friday
    assert clock.due_at == local(2026, 11, 27, 10, 0)
    assert clock.elapsed(TEAM, local(2026, 11, 27, 9, 0)) == timedelta(hours=3)


def test_warning_then_breach_are_raised_once_each() -> None:
    clock = resolution(local(2026, 11, 24, 9, 0))
    assert clock.due_alerts(local(2026, 11, 24, 11, 59)) == []
    assert clock.due_alerts(local(2026, 11, 24, 12, 0)) == [Alert.WARNING]
    assert clock.status(local(2026, 11, 24, 12, 0)) is ClockStatus.WARNING
    assert clock.due_alerts(local(2026, 11, 24, 12, 30)) == []
    assert clock.due_alerts(local(2026, 11, 24, 13, 0)) == [Alert.BREACH]
    assert clock.due_alerts(local(2026, 11, 24, 18, 0)) == []
    assert clock.next_alert_at() is None


def test_a_sweep_that_missed_the_warning_raises_warning_then_breach() -> None:
    clock = resolution(local(2026, 11, 24, 9, 0))
    assert clock.next_alert_at() == clock.warn_at
    assert clock.due_alerts(local(2026, 11, 25, 9, 0)) == [Alert.WARNING, Alert.BREACH]


def test_a_clock_stopped_late_is_met_late() -> None:
    clock = resolution(local(2026, 11, 24, 9, 0))
    clock.stop(TEAM, local(2026, 11, 24, 14, 0))
    assert clock.status(local(2026, 11, 24, 15, 0)) is ClockStatus.MET_LATE
    on_time = resolution(local(2026, 11, 24, 9, 0))
    on_time.stop(TEAM, local(2026, 11, 24, 10, 0))
    assert on_time.status(local(2026, 11, 30, 0, 0)) is ClockStatus.MET
    assert on_time.due_alerts(local(2026, 11, 30, 0, 0)) == []


def test_a_statutory_deadline_never_pauses() -> None:
    now = local(2026, 11, 24, 9, 0)
    due = Regulator("fcc", "FCC", 30).deadline(now, "America/New_York")
    assert due == datetime(2026, 12, 25, 0, 0, tzinfo=ZoneInfo("America/New_York"))
    clock = SlaClock.deadline(ClockKind.STATUTORY, due, now, 0.75)
    clock.pause(TEAM, local(2026, 11, 25, 9, 0))  # waiting on the customer changes nothing
    assert clock.running
    assert clock.due_alerts(due) == [Alert.WARNING, Alert.BREACH]


def test_a_deadline_in_the_past_is_refused() -> None:
    now = local(2026, 11, 24, 9, 0)
    with pytest.raises(InvalidInput) as error:
        SlaClock.deadline(ClockKind.ISSUER_DEADLINE, now, now, 0.75)
    assert error.value.field == "deadline"


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 60 * 24 * 60),
    st.lists(st.integers(1, 3 * 24 * 60), min_size=1, max_size=6),
    st.integers(1, 48 * 60),
)
def test_pausing_never_counts_the_paused_time(offset: int, gaps: list[int], target: int) -> None:
    """Run, pause, run, pause...: the clock's elapsed time is the business time of the running
    stretches only, and the due instant leaves exactly the rest of the target."""
    now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=offset)
    clock = SlaClock.start(ClockKind.RESOLUTION, timedelta(minutes=target), TEAM, now, 0.75)
    running_total = timedelta(0)
    for i, gap in enumerate(gaps):
        later = now + timedelta(minutes=gap)
        if i % 2 == 0:
            running_total += TEAM.elapsed(now, later)
            clock.pause(TEAM, later)
        else:
            clock.resume(TEAM, later, 0.75)
        now = later
    assert clock.elapsed(TEAM, now) == running_total
    if clock.running and clock.due_at is not None:
        left = max(timedelta(minutes=target) - running_total, timedelta(0))
        assert TEAM.elapsed(now, clock.due_at) == left


def test_targets_per_rung_scale_with_priority() -> None:
    policy = SlaPolicy()
    normal = policy.target(Level.FRONTLINE, Priority.NORMAL, ClockKind.FIRST_RESPONSE)
    assert normal == timedelta(minutes=60)
    assert policy.target(Level.FRONTLINE, Priority.URGENT, ClockKind.FIRST_RESPONSE) == normal / 4
    assert policy.target(Level.SUPERVISOR, Priority.NORMAL, ClockKind.RESOLUTION) != (
        policy.target(Level.FRONTLINE, Priority.NORMAL, ClockKind.RESOLUTION)
    )


def test_the_policy_reads_from_data_and_names_bad_fields() -> None:
    policy = SlaPolicy.from_mapping(
        {
            "warning_share": 0.8,
            "levels": {"regulatory": {"first_response": 30, "next_response": 60, "resolution": 90}},
            "regulators": [{"id": "agcom", "name": "AGCOM", "deadline_days": 45}],
        }
    )
    assert policy.regulator("agcom").deadline_days == 45
    assert policy.target(Level.REGULATORY, Priority.NORMAL, ClockKind.RESOLUTION) == timedelta(
        minutes=90
    )
    cases = [
        ({"levels": {"frontline": {"resolution": 0}}}, "levels.frontline.resolution"),
        ({"levels": {"ceo": {}}}, "levels.ceo"),
        (
            {"regulators": [{"id": "x", "name": "X", "deadline_days": 0}]},
            "regulators[0].deadline_days",
        ),
        ({"warning_share": 1}, "warning_share"),
        ({"speed": 1}, "speed"),
    ]
    for data, field in cases:
        with pytest.raises(InvalidInput) as error:
            SlaPolicy.from_mapping(data)
        assert error.value.field == field
    with pytest.raises(InvalidInput) as unknown:
        policy.regulator("fcc")
    assert unknown.value.field == "regulator"
