"""The digital twin's scenario data and its random draws: checks, arrivals, surges, handles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from teamline.domain.enums import Channel, TeamKind
from teamline.domain.errors import InvalidInput
from teamline.domain.organisation import Team
from teamline.sim.model import (
    ArrivalProfile,
    ArrivalStream,
    ChannelSetup,
    HandleTime,
    Scenario,
    Shift,
    Surge,
    TeamSetup,
    single_team,
)
from teamline.sim.sampling import Draws, HandleSampler, PatienceSampler, RateFunction

TEAM = Team("t1", "T1", TeamKind.REGIONAL, "north", "UTC")
OTHER = Team("t2", "T2", TeamKind.REGIONAL, "south", "UTC")


def arrivals(rate: RateFunction, until: float, seed: int = 1) -> np.ndarray:
    draws = Draws(np.random.default_rng(seed))
    out, t = [], 0.0
    while True:
        t = rate.next_arrival(t, draws.exponential())
        if t >= until:
            return np.array(out)
        out.append(t)


def test_piecewise_profile_gives_the_right_counts_per_interval() -> None:
    profile = ArrivalProfile((360.0, 0.0, 1440.0), interval_seconds=3600)
    rate = RateFunction.of(profile, TEAM, ())
    times = arrivals(rate, 4 * 3600)
    counts = np.histogram(times, bins=[0, 3600, 7200, 10800, 14400])[0]
    assert counts[1] == 0  # a closed interval has no arrivals at all
    for got, expected in zip(counts, (360, 0, 1440, 1440), strict=True):
        assert abs(got - expected) <= 4 * math.sqrt(expected) + 1e-9  # Poisson: 4 sd
    assert rate.expected(0, 4 * 3600) == pytest.approx(360 + 1440 + 1440)
    # inter-arrival gaps inside one interval are exponential: mean and sd both 1/rate
    gaps = np.diff(times[(times > 7200) & (times < 14400)])
    assert gaps.mean() == pytest.approx(2.5, rel=0.05)
    assert gaps.std() == pytest.approx(2.5, rel=0.07)


def test_a_surge_multiplies_the_rate_of_its_teams_only() -> None:
    profile = ArrivalProfile.constant(720.0)
    surges = (
        Surge(3.0, 1800, 1800, team_ids=("t1",)),
        Surge(2.0, 0, 600, region_id="north"),
        Surge(5.0, 0, 3600, region_id="elsewhere"),
    )
    rate = RateFunction.of(profile, TEAM, surges)
    assert rate.starts == [0.0, 600.0, 1800.0, 3600.0]
    assert rate.rates == pytest.approx([0.4, 0.2, 0.6, 0.2])
    times = arrivals(rate, 3600)
    in_surge = ((times >= 1800) & (times < 3600)).sum()
    assert abs(in_surge - 1080) <= 4 * math.sqrt(1080)
    assert RateFunction.of(profile, OTHER, surges).rates == [0.2]


def test_handle_times_have_their_mean_and_cv() -> None:
    rng = np.random.default_rng(3)
    logn = HandleSampler(HandleTime(300, 0.6, "lognormal"), Draws(rng))
    x = np.array([logn() for _ in range(100_000)])
    assert x.mean() == pytest.approx(300, rel=0.01)
    assert x.std() / x.mean() == pytest.approx(0.6, rel=0.03)
    expo = HandleSampler(HandleTime(120), Draws(rng))
    y = np.array([expo() for _ in range(100_000)])
    assert y.mean() == pytest.approx(120, rel=0.01)
    assert y.std() / y.mean() == pytest.approx(1.0, rel=0.02)
    assert PatienceSampler(None, Draws(rng))() == math.inf


def test_draws_are_the_same_for_the_same_seed() -> None:
    a, b = Draws(np.random.default_rng(9)), Draws(np.random.default_rng(9))
    assert [a.exponential() for _ in range(5000)] == [b.exponential() for _ in range(5000)]
    assert [a.normal() for _ in range(10)] == [b.normal() for _ in range(10)]


def _scenario(**changes: object) -> Scenario:
    fields: dict[str, object] = {
        "teams": (TeamSetup(TEAM, 3), TeamSetup(OTHER, 2, (Shift(60, 120),))),
        "arrivals": (ArrivalStream("t1", ArrivalProfile.constant(60)),),
        "channels": {Channel.VOICE: ChannelSetup(HandleTime(100), 60)},
        "max_contacts": 10,
    }
    fields |= changes
    return Scenario(**fields)  # type: ignore[arg-type]


def test_scenarios_are_checked() -> None:
    assert _scenario().teams[1].rosters()[-1] == ("t2-s000", Shift(60, 120))
    lonely = Team("x", "X", TeamKind.REGIONAL, "r", "UTC", neighbours=("nobody",))
    bad = [
        {"teams": (TeamSetup(TEAM, 1), TeamSetup(TEAM, 1))},
        {"teams": (TeamSetup(TEAM, 1), TeamSetup(lonely, 1))},
        {"arrivals": (ArrivalStream("nobody", ArrivalProfile.constant(1)),)},
        {"arrivals": (ArrivalStream("t1", ArrivalProfile.constant(1), Channel.CHAT),)},
        {"max_contacts": None},
        {"accept_delay_seconds": 15.0},  # the default offer timeout: offers would time out
        {"surges": (Surge(2.0, 0, 60, team_ids=("nobody",)),)},
    ]
    for changes in bad:
        with pytest.raises(InvalidInput):
            _scenario(**changes)
    with pytest.raises(InvalidInput):
        HandleTime(100, 0.5)  # an exponential has cv 1
    with pytest.raises(InvalidInput):
        ArrivalProfile((10.0, -1.0))
    with pytest.raises(InvalidInput):
        Shift(100, 50)
    with pytest.raises(InvalidInput):
        Surge(2.0, 0, 60)  # neither teams nor region


def test_the_single_team_model_has_no_overflow() -> None:
    scenario = single_team(5, 100, HandleTime(60), max_contacts=10)
    kinds = [r.kind.value for r in scenario.workflow.rings]
    assert kinds == ["home_team"]
    assert scenario.workflow.wrap_up_seconds == 0
