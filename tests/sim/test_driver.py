"""The digital twin's event loop and report on small worlds: overflow, shifts, timers, seeds."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from teamline.domain.enums import Channel, TeamKind
from teamline.domain.hours import TeamHours, WeeklyHours, standard_team_hours
from teamline.domain.organisation import Team
from teamline.sim.engine_driver import TICK_EPS, Simulation, simulate
from teamline.sim.model import (
    ArrivalProfile,
    ArrivalStream,
    ChannelSetup,
    HandleTime,
    Scenario,
    Shift,
    Surge,
    TeamSetup,
    home_only_workflow,
    single_team,
)
from teamline.sim.report import batch_means, build_report

ALWAYS = TeamHours(WeeklyHours.always())


def region_world(**changes: object) -> Scenario:
    """Three regional teams (New York and Los Angeles: the west opens two hours in), a national
    pool, voice and chat, a storm on east-1, extra agents on a shift, the default workflow."""
    teams = (
        TeamSetup(
            Team("east-1", "East One", TeamKind.REGIONAL, "east", "America/New_York",
                 standard_team_hours(), ("east-2", "west-1")),
            8,
            (Shift(1800, 5400),) * 3,
        ),
        TeamSetup(
            Team("east-2", "East Two", TeamKind.REGIONAL, "east", "America/New_York",
                 standard_team_hours(), ("east-1", "west-1")),
            8,
        ),
        TeamSetup(
            Team("west-1", "West One", TeamKind.REGIONAL, "west", "America/Los_Angeles",
                 standard_team_hours(), ("east-1", "east-2")),
            8,
        ),
        TeamSetup(
            Team("national", "Standard care", TeamKind.NATIONAL_POOL, None, "America/Chicago",
                 ALWAYS),
            4,
        ),
    )  # fmt: skip
    profile = ArrivalProfile((80.0, 110.0, 95.0, 70.0), interval_seconds=1800)
    fields: dict[str, object] = {
        "teams": teams,
        "arrivals": (
            *(ArrivalStream(t, profile) for t in ("east-1", "east-2", "west-1")),
            ArrivalStream("east-1", ArrivalProfile.constant(20), Channel.CHAT),
        ),
        "channels": {
            Channel.VOICE: ChannelSetup(HandleTime(240, 0.8, "lognormal"), 120.0),
            Channel.CHAT: ChannelSetup(HandleTime(400), 300.0),
        },
        "surges": (Surge(3.0, 3600, 1200, team_ids=("east-1",)),),
        "accept_delay_seconds": 2.0,
        "horizon_seconds": 3 * 3600,
        "warmup_seconds": 600,
        "forecast_per_hour": {"east-1": 95, "east-2": 95, "west-1": 95},
    }
    fields |= changes
    return Scenario(**fields)  # type: ignore[arg-type]


def test_the_same_seed_gives_the_same_report_and_it_is_json() -> None:
    first = build_report(simulate(region_world(), np.random.default_rng(4)))
    again = build_report(simulate(region_world(), np.random.default_rng(4)))
    other = build_report(simulate(region_world(), np.random.default_rng(5)))
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert first != other
    assert json.loads(json.dumps(first)) == first
    assert set(first["teams"]) == {"east-1", "east-2", "west-1", "national"}
    assert set(first["channels"]) == {"voice", "chat"}


def test_engine_timers_are_met_on_time() -> None:
    # rings open 10, 20 and 40 s after arrival; wrap-up ends 30 s after a call: each is met by a
    # tick, never discovered late by the next call
    result = simulate(region_world(), np.random.default_rng(4))
    assert result.late_decisions == 0
    assert result.decisions["step"] > 50  # rings did open
    assert result.decisions["wrap_up_ended"] > 500
    assert result.decisions["surge_started"] >= 1


def test_overflow_counts_add_up() -> None:
    report = build_report(simulate(region_world(), np.random.default_rng(6)))
    teams, total = report["teams"], report["total"]
    assert sum(t["overflow_out"] for t in teams.values()) == total["overflow"]
    assert sum(t["overflow_in"] for t in teams.values()) == total["overflow"]
    assert total["overflow"] > 0
    for row in teams.values():
        assert row["offered"] == row["answered"] + row["abandoned"] + row["unresolved"]
        if row["answered"]:
            home = row["answered"] - row["overflow_out"]
            assert row["home_share"] == pytest.approx(home / row["answered"], abs=1e-6)
    national = teams["national"]
    assert national["offered"] == 0 and national["overflow_in"] > 0
    # west-1 is closed for its first two hours (Los Angeles): its callers go to the pool
    assert teams["west-1"]["home_share"] < teams["east-2"]["home_share"]
    assert 0 < total["occupancy"] < 1


def test_a_team_without_agents_is_served_by_its_neighbours_when_their_ring_opens() -> None:
    a = Team("a", "A", TeamKind.REGIONAL, "r", "UTC", ALWAYS, ("b",))
    b = Team("b", "B", TeamKind.REGIONAL, "r", "UTC", ALWAYS, ("a",))
    scenario = region_world(
        teams=(TeamSetup(a, 0), TeamSetup(b, 6)),
        arrivals=(ArrivalStream("a", ArrivalProfile.constant(45)),),
        surges=(),
        forecast_per_hour=None,
        accept_delay_seconds=0.0,
        horizon_seconds=4 * 3600,
    )
    result = simulate(scenario, np.random.default_rng(2))
    report = build_report(result)
    assert report["teams"]["a"]["home_share"] == 0.0
    assert report["teams"]["b"]["overflow_in"] == report["teams"]["a"]["answered"] > 100
    answered = result.answer_wait[~np.isnan(result.answer_wait)]
    # the neighbours ring opens 10 s after arrival; the tick comes TICK_EPS after that
    assert answered.min() == pytest.approx(10 + TICK_EPS, abs=1e-7)
    assert (np.abs(answered - 10) < 1e-3).mean() > 0.8  # b has free agents most of the time


def test_agents_work_only_from_their_shift_start() -> None:
    scenario = single_team(1, 240, HandleTime(10), patience_seconds=100, horizon_seconds=3600)
    team = scenario.teams[0].team
    scenario = replace(scenario, teams=(TeamSetup(team, 0, (Shift(600, 1800),)),))
    result = simulate(scenario, np.random.default_rng(8))
    answered_at = result.arrival + result.answer_wait
    answered = ~np.isnan(answered_at)
    assert answered.sum() > 50
    assert answered_at[answered].min() >= 600
    assert answered_at[answered].max() < 1800  # offline after the shift: nobody is offered
    assert result.abandoned[result.arrival > 1800].all()
    assert result.staffed.tolist() == [[600.0, 1800.0, 0.0]]
    report = build_report(result)
    assert 0 < report["teams"]["team"]["occupancy"] <= 1


def test_an_accept_delay_comes_between_offer_and_answer() -> None:
    scenario = replace(
        single_team(4, 60, HandleTime(180), max_contacts=2000), accept_delay_seconds=3.0
    )
    result = simulate(scenario, np.random.default_rng(1))
    answered = ~np.isnan(result.answer_wait)
    gap = result.answer_wait[answered] - result.queue_wait[answered]
    assert np.allclose(gap, 3.0)


def test_workflows_compared_on_one_seed_see_the_same_customers() -> None:
    default = simulate(region_world(), np.random.default_rng(3))
    home = simulate(region_world(workflow=home_only_workflow()), np.random.default_rng(3))
    for name in ("arrival", "handle", "patience", "team", "channel"):
        assert np.array_equal(getattr(default, name), getattr(home, name)), name
    # without overflow rings, only closed hours send a caller elsewhere: to the national pool
    national = home.team_ids.index("national")
    elsewhere = (home.agent_team >= 0) & (home.agent_team != home.team)
    assert elsewhere.any() and (home.agent_team[elsewhere] == national).all()
    assert (home.arrival[elsewhere & (home.team != 2)] < 0).all()  # only west-1's callers
    assert build_report(default)["total"]["overflow"] > elsewhere.sum()


def test_contacts_nobody_answers_stay_open_until_the_drain_limit() -> None:
    scenario = replace(single_team(0, 120, HandleTime(60), max_contacts=50), drain_seconds=600.0)
    result = simulate(scenario, np.random.default_rng(1))
    report = build_report(result)
    assert report["total"]["unresolved"] == 50
    assert report["total"]["service_level"] == 0.0
    assert report["total"]["asa_seconds"] is None
    assert np.isnan(result.queue_wait).all()


def test_a_simulation_runs_once() -> None:
    sim = Simulation(single_team(1, 60, HandleTime(30), max_contacts=5), np.random.default_rng(1))
    sim.run()
    with pytest.raises(RuntimeError):
        sim.run()


def test_batch_means() -> None:
    values = np.arange(100, dtype=float)
    mean, se = batch_means(values, batches=10)
    assert mean == pytest.approx(49.5)
    assert se == pytest.approx(np.std(np.arange(4.5, 100, 10), ddof=1) / math.sqrt(10))
    with pytest.raises(ValueError):
        batch_means(values[:5], batches=10)
