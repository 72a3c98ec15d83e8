"""The best time to call (issue 4, item 3): a team's coming open hours ranked by the wait its
forecast and roster predict, labelled for the customer app; closed hours never offered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput
from teamline.domain.hours import WeeklyHours, standard_team_hours
from teamline.wfm.best_time import WaitBands, WaitLabel, best_times, coming_slots
from teamline.wfm.erlang import erlang_c
from teamline.wfm.forecast import SLOTS_PER_WEEK, Forecast, week_slot

ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2026, 11, 24, 7, 40, tzinfo=UTC)  # Tuesday 08:40 in Rome
HOURS = standard_team_hours().default  # 08-21 weekdays, 09-21 Saturday, 10-19 Sunday
VOICE = Channel.VOICE


def slot(weekday: int, hour: int, minute: int = 0) -> int:
    return weekday * 48 + hour * 2 + minute // 30


def forecast_with(voice: np.ndarray, callback: np.ndarray | None = None) -> Forecast:
    """A forecast of team 'rome' with the given arrivals per hour per slot, AHT 300 s."""
    rows = [voice] if callback is None else [voice, callback]
    keys = [("rome", VOICE)] if callback is None else [("rome", VOICE), ("rome", Channel.CALLBACK)]
    return Forecast(
        tuple(keys),
        np.array(rows, dtype=np.float64),
        np.full((len(rows), SLOTS_PER_WEEK), 300.0),
        np.full(len(rows), 8, dtype=np.int64),
        {"rome": ROME},
        NOW,
    )


def weekday_profile() -> np.ndarray:
    """Every weekday: 60 calls an hour, 150 at 10:00-12:00, 20 at 14:00-16:00."""
    lam = np.zeros(SLOTS_PER_WEEK)
    for day in range(7):
        lam[slot(day, 8) : slot(day, 21)] = 60.0
        lam[slot(day, 10) : slot(day, 12)] = 150.0
        lam[slot(day, 14) : slot(day, 16)] = 20.0
    return lam


def local(t: datetime) -> str:
    return t.astimezone(ROME).strftime("%a %H:%M")


def test_the_quiet_afternoon_ranks_first_and_the_morning_peak_last() -> None:
    ranked = best_times(forecast_with(weekday_profile()), "rome", [VOICE], HOURS, 14, NOW)
    assert local(ranked[0].start) in {"Tue 14:00", "Tue 15:00", "Wed 14:00", "Wed 15:00"}
    assert {local(s.start)[4:] for s in ranked[-4:]} == {"10:00", "11:00"}
    waits = [s.asa_s for s in ranked]
    assert waits == sorted(waits)
    assert ranked[0].label is WaitLabel.QUIET
    # 150 calls an hour of 5 minutes is 12.5 Erlangs: 14 agents cannot keep 80 % within 20 s
    assert ranked[-1].label in (WaitLabel.BUSY, WaitLabel.VERY_BUSY)
    assert ranked[-1].service_level < 0.8


def test_closed_hours_are_never_offered() -> None:
    ranked = best_times(forecast_with(weekday_profile()), "rome", [VOICE], HOURS, 14, NOW)
    for s in ranked:
        assert HOURS.is_open(s.start, ROME)
        assert HOURS.is_open(s.end - timedelta(seconds=1), ROME)
    # Tuesday 08:00-21:00 from 08:00 (the hour holding now) and Wednesday 08:00-21:00, then
    # Thursday 08:00 until 08:40
    assert len(ranked) == 13 + 13 + 1
    night = np.full(SLOTS_PER_WEEK, 5.0)
    always = WeeklyHours.always()
    assert len(best_times(forecast_with(night), "rome", [VOICE], always, 3, NOW)) == 49


def test_each_slot_is_the_queue_its_forecast_and_roster_make() -> None:
    ranked = best_times(forecast_with(weekday_profile()), "rome", [VOICE], HOURS, 14, NOW)
    peak = next(s for s in ranked if local(s.start) == "Tue 10:00")
    m = erlang_c(14, 150.0, 300.0, 20.0)
    assert peak.arrivals_per_hour == 150.0 and peak.agents == 14 and peak.aht_s == 300.0
    assert peak.p_wait == pytest.approx(float(m.p_wait))
    assert peak.asa_s == pytest.approx(float(m.asa_s))
    assert peak.service_level == pytest.approx(float(m.service_level))


def test_work_that_takes_the_same_seat_adds_up() -> None:
    lam = weekday_profile()
    alone = best_times(forecast_with(lam), "rome", [VOICE], HOURS, 14, NOW)
    both = best_times(forecast_with(lam, lam / 2), "rome", [VOICE, Channel.CALLBACK], HOURS, 20,
                      NOW)  # fmt: skip
    first = {local(s.start): s for s in alone}
    for s in both:
        assert s.arrivals_per_hour == pytest.approx(1.5 * first[local(s.start)].arrivals_per_hour)


def test_an_hour_nobody_works_comes_last_and_is_very_busy() -> None:
    def roster(start: datetime, end: datetime) -> int:
        return 0 if local(start) == "Tue 14:00" else 14

    ranked = best_times(forecast_with(weekday_profile()), "rome", [VOICE], HOURS, roster, NOW)
    assert local(ranked[-1].start) == "Tue 14:00"
    assert ranked[-1].label is WaitLabel.VERY_BUSY and ranked[-1].asa_s == float("inf")


def test_impatient_callers_shorten_the_wait_and_some_hang_up() -> None:
    lam = weekday_profile()
    patient = best_times(forecast_with(lam), "rome", [VOICE], HOURS, 12, NOW)
    impatient = best_times(forecast_with(lam), "rome", [VOICE], HOURS, 12, NOW, patience_s=90.0)
    peak_c = next(s for s in patient if local(s.start) == "Tue 10:00")
    peak_a = next(s for s in impatient if local(s.start) == "Tue 10:00")
    assert peak_c.asa_s == float("inf")  # 12.5 Erlangs on 12 agents: no steady state
    assert 0 < peak_a.asa_s < 300 and 0 < peak_a.p_abandon < 1


def test_half_hour_slots_start_on_the_teams_local_half_hours() -> None:
    slots = coming_slots(NOW, ROME, timedelta(hours=2), 30)
    assert [local(lo) for lo, _ in slots] == ["Tue 08:30", "Tue 09:00", "Tue 09:30", "Tue 10:00",
                                             "Tue 10:30"]  # fmt: skip
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    first, _ = coming_slots(NOW, kathmandu, timedelta(hours=1), 60)[0]
    assert first.astimezone(kathmandu).minute == 0
    assert week_slot(first, kathmandu) == slot(1, 13)


def test_a_slot_with_no_forecast_calls_has_no_wait() -> None:
    ranked = best_times(forecast_with(np.zeros(SLOTS_PER_WEEK)), "rome", [VOICE], HOURS, 3, NOW)
    assert all(s.asa_s == 0.0 and s.p_wait == 0.0 and s.label is WaitLabel.QUIET for s in ranked)
    assert [s.start for s in ranked] == sorted(s.start for s in ranked)  # ties: soonest first


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"slot_minutes": 15}, "slot_minutes"), ({"horizon": timedelta(days=30)}, "horizon"),
     ({"threshold_s": -1.0}, "threshold_s"), ({"team_id": "elsewhere"}, "team_id"),
     ({"roster": -1}, "roster"), ({"now": datetime(2026, 11, 24)}, "now")],
)  # fmt: skip
def test_bad_questions_are_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"team_id": "rome", "roster": 3, "now": NOW} | kwargs
    team_id, roster, now = args.pop("team_id"), args.pop("roster"), args.pop("now")
    with pytest.raises(InvalidInput) as caught:
        best_times(forecast_with(weekday_profile()), team_id, [VOICE], HOURS, roster, now, **args)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_bands_are_checked() -> None:
    with pytest.raises(InvalidInput):
        WaitBands(quiet_p_wait=0.0)
    with pytest.raises(InvalidInput):
        WaitBands(very_busy_asa_s=0.0)
