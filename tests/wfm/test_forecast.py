"""Forecasts from contact history (issue 4, item 2): slots in the team's own local time, a weekly
shape times a recency-weighted volume, handle times that fall back to the channel where data is
thin, and required staff for every interval in one staffing search."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput
from teamline.wfm.forecast import (
    SLOTS_PER_WEEK,
    ContactRecord,
    ForecastSettings,
    StaffingTargets,
    _week_slots,
    forecast_arrivals,
    required_staff,
    slot_name,
    week_slot,
)
from teamline.wfm.staffing import required_agents

UNTIL = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # a Tuesday
ROME = ZoneInfo("Europe/Rome")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
DEFAULTS = {Channel.VOICE: 300.0, Channel.CHAT: 480.0}
VOICE = Channel.VOICE


def at_local(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), zone)


def days_back(n: int, zone: ZoneInfo) -> list[date]:
    """The local dates of the `n` days up to UNTIL's local date (UNTIL is 16:00 in Rome)."""
    today = UNTIL.astimezone(zone).date()
    return [today - timedelta(days=k) for k in range(n)]


def slot(weekday: int, hour: int, minute: int = 0) -> int:
    return weekday * 48 + hour * 2 + minute // 30


def test_slot_names_read_as_people_say_them() -> None:
    assert slot_name(0) == "mon 00:00"
    assert slot_name(slot(0, 9)) == "mon 09:00"
    assert slot_name(SLOTS_PER_WEEK - 1) == "sun 23:30"
    with pytest.raises(InvalidInput):
        slot_name(SLOTS_PER_WEEK)


def test_a_teams_monday_nine_is_its_own() -> None:
    monday = date(2026, 11, 23)
    for zone in (ROME, TOKYO, NEW_YORK, ZoneInfo("Asia/Kathmandu")):
        assert week_slot(at_local(monday, 9, 10, zone), zone) == slot(0, 9)
    # the same instant is a different half hour in each team's week
    instant = at_local(monday, 9, 10, ROME)
    assert week_slot(instant, TOKYO) == slot(0, 17)
    assert week_slot(instant, NEW_YORK) == slot(0, 3)


@settings(max_examples=200, deadline=None)
@given(
    seconds=st.lists(st.integers(1_600_000_000, 1_900_000_000), min_size=1, max_size=20),
    zone=st.sampled_from(["Europe/Rome", "Asia/Kathmandu", "America/St_Johns", "UTC",
                          "Australia/Lord_Howe", "Pacific/Chatham"]),
)  # fmt: skip
def test_the_vectorised_slots_agree_with_the_datetime_arithmetic(
    seconds: list[int], zone: str
) -> None:
    tz = ZoneInfo(zone)
    got = _week_slots(np.array(seconds, dtype=np.float64), tz)
    want = [week_slot(datetime.fromtimestamp(s, UTC), tz) for s in seconds]
    assert got.tolist() == want


def test_the_local_nine_oclock_stays_nine_oclock_across_the_dst_change() -> None:
    # Rome leaves summer time on 25 October 2026: 09:00 is 07:00 UTC before and 08:00 after
    days = [date(2026, 10, 12) + timedelta(days=k) for k in range(28)]
    records = [ContactRecord("rome", VOICE, at_local(d, 9, 5, ROME)) for d in days]
    until = datetime(2026, 11, 9, tzinfo=UTC)
    f = forecast_arrivals(records, {"rome": ROME}, until, DEFAULTS, ForecastSettings(weeks=4))
    busy = np.flatnonzero(f.arrivals_per_hour[0])
    assert sorted(slot_name(int(s))[4:] for s in busy) == ["09:00"] * 7


def poisson_history(rate: np.ndarray, weeks: int, zone: ZoneInfo, seed: int) -> list[datetime]:
    """Arrivals of a non-homogeneous Poisson process with `rate` per hour in each local half
    hour of the week, over the `weeks` whole weeks before UNTIL."""
    rng = np.random.default_rng(seed)
    out = []
    end = UNTIL.timestamp()
    start = end - weeks * 7 * 86400
    t = start
    while t < end:
        s = week_slot(datetime.fromtimestamp(t, UTC), zone)
        n = rng.poisson(rate[s] / 2)
        out += [datetime.fromtimestamp(t + u, UTC) for u in rng.uniform(0, 1800, n)]
        t += 1800
    return out


def test_a_stationary_weekly_pattern_is_recovered() -> None:
    rate = np.zeros(SLOTS_PER_WEEK)
    for day in range(5):  # weekdays 08:00-20:00, a morning peak at 10:00-11:00
        rate[slot(day, 8) : slot(day, 20)] = 200.0
        rate[slot(day, 10) : slot(day, 11)] = 600.0
    rate[slot(5, 9) : slot(5, 13)] = 100.0  # Saturday morning
    arrivals = poisson_history(rate, 8, TOKYO, seed=4)
    records = [ContactRecord("tokyo", VOICE, a, 300.0) for a in arrivals]
    f = forecast_arrivals(records, {"tokyo": TOKYO}, UNTIL, DEFAULTS)
    got = f.arrivals_per_hour[0]
    assert f.weeks.tolist() == [8]
    assert got[rate == 0].sum() == 0.0  # nothing where nothing ever came
    # each busy hour of the week within 15 % (about 4 standard errors at these volumes)
    hourly_got = got.reshape(-1, 2).mean(axis=1)
    hourly_rate = rate.reshape(-1, 2).mean(axis=1)
    busy = hourly_rate > 0
    assert np.allclose(hourly_got[busy], hourly_rate[busy], rtol=0.15)
    assert got.sum() / 2 == pytest.approx(rate.sum() / 2, rel=0.03)  # the weekly volume


def test_recent_weeks_weigh_more_and_the_shape_is_pooled() -> None:
    # week k back (0 = newest) has k + 1 contacts, all on Monday 09:00 Rome, except week 0
    # which also has one on Friday 15:00
    records = []
    for k in range(4):
        monday = date(2026, 11, 23) - timedelta(weeks=k)
        records += [ContactRecord("rome", VOICE, at_local(monday, 9, 1, ROME))] * (k + 1)
    records.append(ContactRecord("rome", VOICE, at_local(date(2026, 11, 20), 15, 0, ROME)))
    cfg = ForecastSettings(weeks=4, level_alpha=0.5, profile_alpha=0.2)
    f = forecast_arrivals(records, {"rome": ROME}, UNTIL, DEFAULTS, cfg)
    totals = np.array([2.0, 2.0, 3.0, 4.0])  # weekly totals, newest first
    w = 0.5 ** np.arange(4)
    level = (w * totals).sum() / w.sum()
    v = 0.8 ** np.arange(4)
    friday_share = v[0] * 1 / (v * totals).sum()
    got = f.arrivals_per_hour[0] / 2  # per half hour
    assert got[slot(4, 15)] == pytest.approx(level * friday_share)
    assert got[slot(0, 9)] == pytest.approx(level * (1 - friday_share))
    assert level < totals.mean()  # the volume leans to the recent (smaller) weeks


def test_weeks_before_the_teams_first_contact_are_not_counted_as_idle() -> None:
    records = [ContactRecord("new", VOICE, at_local(d, 10, 0, ROME)) for d in days_back(14, ROME)]
    f = forecast_arrivals(records, {"new": ROME}, UNTIL, DEFAULTS)
    assert f.weeks.tolist() == [2]
    assert f.arrivals_per_hour[0].sum() / 2 == pytest.approx(7.0)  # 7 a week, not 7 x 2/8


def test_handle_time_falls_back_to_the_channel_mean_where_data_is_thin() -> None:
    monday = date(2026, 11, 23)
    many = [ContactRecord("t", VOICE, at_local(monday, 9, 0, ROME), 200.0)] * 90
    few = [ContactRecord("t", VOICE, at_local(monday, 14, 0, ROME), 1000.0)]
    unknown = [ContactRecord("t", VOICE, at_local(monday, 16, 0, ROME), None)]
    chat = [ContactRecord("t", Channel.CHAT, at_local(monday, 9, 0, ROME), None)]
    cfg = ForecastSettings(aht_prior=10.0)
    f = forecast_arrivals(many + few + unknown + chat, {"t": ROME}, UNTIL, DEFAULTS, cfg)
    voice, chat_row = f.row("t", VOICE), f.row("t", Channel.CHAT)
    assert voice is not None and chat_row is not None
    series = (90 * 200.0 + 1000.0 + 10 * 300.0) / (91 + 10)
    aht = f.aht_s[voice]
    assert aht[slot(0, 9)] == pytest.approx((90 * 200.0 + 10 * series) / 100)
    assert aht[slot(0, 14)] == pytest.approx((1000.0 + 10 * series) / 11)
    assert aht[slot(0, 16)] == pytest.approx(series)  # no handle time known: the series mean
    assert aht[slot(3, 3)] == pytest.approx(series)
    assert np.all(f.aht_s[chat_row] == 480.0)  # no handle time at all: the channel's default


def test_required_staff_is_the_staffing_search_on_every_interval_at_once() -> None:
    rng = random.Random(3)
    records = [
        ContactRecord(team, ch, at_local(d, rng.randrange(8, 21), rng.randrange(60), zone),
                      rng.expovariate(1 / 300))
        for team, zone in (("rome", ROME), ("ny", NEW_YORK))
        for ch in (VOICE, Channel.CHAT)
        for d in days_back(56, zone)
        for _ in range(rng.randrange(20, 200))
    ]  # fmt: skip
    f = forecast_arrivals(records, {"rome": ROME, "ny": NEW_YORK}, UNTIL, DEFAULTS)
    assert len(f.keys) == 4
    targets = StaffingTargets(service_level=0.8, threshold_s=20.0, max_occupancy=0.9)
    staff = required_staff(f, targets)
    assert staff.shape == (4, SLOTS_PER_WEEK)
    assert np.all(staff[f.arrivals_per_hour == 0] == 0)
    for r, s in [(0, slot(0, 9)), (1, slot(2, 15)), (3, slot(4, 20)), (2, slot(6, 3))]:
        one = required_agents(f.arrivals_per_hour[r, s], f.aht_s[r, s], service_level=0.8,
                              threshold_s=20.0, max_occupancy=0.9)  # fmt: skip
        assert staff[r, s] == int(one)
    with_patience = required_staff(f, StaffingTargets(patience_s=60.0), rows=[0])
    assert with_patience.shape == (1, SLOTS_PER_WEEK)
    assert np.all(with_patience <= required_staff(f, StaffingTargets(), rows=[0]))


def test_records_outside_the_window_are_ignored() -> None:
    old = ContactRecord("t", VOICE, UNTIL - timedelta(weeks=9))
    later = ContactRecord("t", VOICE, UNTIL + timedelta(minutes=1))
    f = forecast_arrivals([old, later], {"t": ROME}, UNTIL, DEFAULTS)
    assert f.keys == () and f.arrivals_per_hour.shape == (0, SLOTS_PER_WEEK)


@pytest.mark.parametrize(
    ("records", "zones", "defaults", "field"),
    [
        ([ContactRecord("t", VOICE, datetime(2026, 11, 20, 9))], {"t": ROME}, DEFAULTS,
         "arrived_at"),
        ([ContactRecord("t", VOICE, UNTIL - timedelta(hours=1))], {}, DEFAULTS, "zones"),
        ([ContactRecord("t", Channel.EMAIL, UNTIL - timedelta(hours=1))], {"t": ROME}, DEFAULTS,
         "default_aht_s"),
    ],
)  # fmt: skip
def test_bad_history_is_refused_naming_the_field(
    records: list[ContactRecord], zones: dict[str, ZoneInfo], defaults: dict[Channel, float],
    field: str,
) -> None:  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        forecast_arrivals(records, zones, UNTIL, defaults)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"weeks": 0}, "weeks"), ({"level_alpha": 0.0}, "level_alpha"),
     ({"profile_alpha": 1.5}, "profile_alpha"), ({"aht_prior": -1.0}, "aht_prior")],
)  # fmt: skip
def test_bad_settings_are_refused(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        ForecastSettings(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
