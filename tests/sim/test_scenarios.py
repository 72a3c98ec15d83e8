"""Scenario files: the built-ins load, times are read in each team's clock, and every mistake in
a file is refused with its key named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from teamline.domain.enums import Channel, TeamKind
from teamline.domain.errors import InvalidInput
from teamline.sim.model import Shift
from teamline.sim.policies import POLICIES, pooled, teamline_workflow
from teamline.sim.sampling import RateFunction
from teamline.sim.scenario_file import parse_scenario
from teamline.sim.scenarios import builtin_names, load_builtin, load_scenario, resolve

SMALL = """
name: small
start: 2026-11-24T12:00:00Z          # 7 a.m. in New York
hours: 1
policies: [dedicated, pooled, overflow]
channels:
  voice: {handle_seconds: 120, patience_seconds: 90}
profiles:
  flat: [60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60,
         60, 60, 60]
teams:
  - {id: a, region: east, timezone: America/New_York, hours: always, neighbours: [b], agents: 4,
     shifts: [{agents: 2, local: "07:30-16:00"}]}
  - {id: b, region: west, timezone: America/Los_Angeles, hours: always, neighbours: [a],
     agents: 4}
arrivals:
  - {team: a, per_hour: 100}
  - {team: b, profile: flat}
surges:
  - {region: east, factor: 2, from_hour: 0.25, to_hour: 0.5}
"""


def small(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SMALL)
    data.update(changes)
    return data


def parse(data: object) -> Any:
    return parse_scenario(data, "test", teamline_workflow())


def test_the_built_ins_load_and_the_storm_compares_three_policies() -> None:
    assert builtin_names() == ("after-hours", "normal-day", "policy-comparison", "storm")
    specs = {name: load_builtin(name) for name in builtin_names()}
    storm = specs["storm"]
    assert storm.policies == POLICIES
    (surge,) = storm.scenario.surges
    assert (surge.factor, surge.region_id, surge.duration_seconds) == (3.0, "east", 7200)
    assert storm.groups["surge"] == ("east-1", "east-2")
    assert "national" in storm.groups["rest"]
    assert specs["policy-comparison"].policies == POLICIES
    assert set(specs["normal-day"].scenario.channels) == {Channel.VOICE, Channel.CHAT}
    for spec in specs.values():
        assert spec.description and spec.scenario.horizon_seconds
        assert spec.workflows()["overflow" if "overflow" in spec.policies else "dedicated"]


def test_a_day_profile_is_read_in_each_teams_local_clock_with_its_lunch_dip() -> None:
    day = load_builtin("normal-day").scenario
    east = next(s for s in day.arrivals if s.team_id == "east-1" and s.channel is Channel.VOICE)
    west = next(s for s in day.arrivals if s.team_id == "west-1" and s.channel is Channel.VOICE)
    # the run starts at 6 a.m. in New York; local noon there is 6 h in, in Los Angeles 9 h in
    assert east.profile.rate_per_hour(5 * 3600) > east.profile.rate_per_hour(6 * 3600)  # lunch
    assert east.profile.rate_per_hour(6 * 3600) == west.profile.rate_per_hour(9 * 3600)
    # shifts too: the early shift starts at 07:45 local
    starts = {s.start_seconds for s in day.teams[0].shifts}
    assert 1.75 * 3600 in starts and 4.75 * 3600 in {s.start_seconds for s in day.teams[4].shifts}


def test_shifts_in_local_time_and_from_the_start() -> None:
    spec = parse(small())
    a = spec.scenario.teams[0]
    assert a.shifts == (Shift(1800, 9 * 3600),) * 2  # 07:30-16:00 New York, from 07:00
    data = small()
    data["teams"][1]["shifts"] = [
        {"agents": 1, "local": "22:00-06:00"},
        {"agents": 3, "to_hour": 0.5},
    ]
    b = parse(data).scenario.teams[1]
    # 04:00 in Los Angeles at the start: inside last night's overnight shift, which ends at 06:00
    assert b.shifts[0] == Shift(0.0, 2 * 3600)
    assert b.shifts[-3:] == (Shift(0, 1800),) * 3


def test_groups_forecast_and_the_hour_cap() -> None:
    spec = parse(small())
    assert dict(spec.groups) == {"surge": ("a",), "rest": ("b",), "all": ("a", "b")}
    assert spec.scenario.forecast_per_hour == pytest.approx({"a": 100.0, "b": 60.0})
    assert parse(small(forecast="none")).scenario.forecast_per_hour is None
    assert parse(small(groups={"one": ["a"]})).groups == {"one": ("a",), "all": ("a", "b")}
    assert spec.capped(0.5).scenario.horizon_seconds == 1800
    assert spec.capped(5).scenario.horizon_seconds == 3600
    assert spec.capped(None) is spec
    with pytest.raises(InvalidInput) as caught:
        spec.capped(0)
    assert caught.value.field == "hours"


def test_the_pooled_policy_opens_every_ring_at_once_and_always_lends() -> None:
    workflows = parse(small()).workflows()
    assert [r.after_seconds for r in workflows["pooled"].rings] == [0, 0, 0]
    assert workflows["pooled"] == pooled(teamline_workflow())
    assert [r.kind.value for r in workflows["dedicated"].rings] == ["home_team"]
    assert workflows["dedicated"].wrap_up_seconds == workflows["overflow"].wrap_up_seconds == 30
    assert workflows["overflow"] == teamline_workflow()


def _set(path: str, value: object) -> dict[str, Any]:
    """A copy of the small scenario with one value changed, at a path like teams.0.agents."""
    data = small()
    node: Any = data
    *parents, last = path.split(".")
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is KeyError:
        del node[int(last) if last.isdigit() else last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("teams.0.agents", -1, "teams[0].agents"),
        ("teams.0.agnets", 3, "teams[0].agnets"),
        ("teams.0.timezone", "Mars/Base", "teams[0].timezone"),
        ("teams.0.kind", "cats", "teams[0].kind"),
        ("teams.0.hours", {"noday": "08:00-09:00"}, "teams[0].hours.hours"),
        ("teams.0.shifts.0.local", "late", "teams[0].shifts[0].local"),
        ("teams.0.neighbours", ["zz"], "teams"),
        ("teams.1.region", KeyError, "teams[1].region"),
        ("arrivals.0.team", "zz", "arrivals[0].team"),
        ("arrivals.0.per_hour", "many", "arrivals[0].per_hour"),
        ("arrivals.0.per_hour", -5, "arrivals[0].rates_per_hour"),
        ("arrivals.1.profile", "nope", "arrivals[1].profile"),
        ("arrivals.0.channel", "chat", "channels"),
        ("arrivals.0.channel", "fax", "arrivals[0].channel"),
        ("arrivals.0.scale", 2, "arrivals[0].scale"),
        ("teams.0.shifts.0.agents", 1.5, "teams[0].shifts[0].agents"),
        ("teams.0.shifts.0.to_hour", "x", "teams[0].shifts[0].to_hour"),
        ("teams.0.service_level_seconds", 0, "teams[0].service_level_seconds"),
        ("channels.voice.patience_seconds", -1, "channels.voice.patience_seconds"),
        ("description", 5, "description"),
        ("profiles.flat", [1, 2], "profiles.flat"),
        ("profiles.flat", ["x"] * 24, "profiles.flat"),
        ("teams.0.hours", {"mon": 5}, "teams[0].hours"),
        (
            "workflow",
            {"rings": [{"kind": "home_team"}], "handle_seconds": {"voice": "x"}},
            "workflow",
        ),
        ("channels.fax", {"handle_seconds": 1}, "channels.fax"),
        ("channels.voice.handle_seconds", 0, "channels.voice.mean_seconds"),
        ("channels.voice.handle_kind", "gamma", "channels.voice.handle_kind"),
        ("surges.0.to_hour", 0.1, "surges[0].to_hour"),
        ("surges.0.factor", True, "surges[0].factor"),
        ("start", "2026-11-24T12:00:00", "start"),
        ("start", "tomorrow", "start"),
        ("hours", 0, "hours"),
        ("hours", 10_000, "hours"),
        ("policies", ["fifo"], "policies[0]"),
        ("returning_share", 1, "returning_share"),
        ("accept_delay_seconds", 60, "accept_delay_seconds"),
        ("workflow", {"rings": []}, "workflow.rings"),
        ("groups", {"g": ["zz"]}, "groups.g"),
        ("forecast", {"zz": 3}, "forecast"),
        ("colour", "blue", "colour"),
        ("teams", KeyError, "teams"),
    ],
)
def test_a_mistake_in_a_scenario_file_names_its_key(path: str, value: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(_set(path, value))
    assert caught.value.field == field, str(caught.value)


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    for data in (None, [], "text", 3):
        with pytest.raises(InvalidInput) as caught:
            parse(data)
        assert caught.value.field == "scenario"


def test_files_are_read_by_path_and_unreadable_ones_are_named(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(SMALL.replace("name: small\n", ""), encoding="utf-8")
    assert load_scenario(path).name == "mine"
    assert resolve(str(path)).name == "mine"
    assert resolve("storm").name == "storm"
    (tmp_path / "bad.yaml").write_text("teams: [", encoding="utf-8")
    for what in (str(tmp_path / "bad.yaml"), str(tmp_path / "missing.yaml"), "hurricane"):
        with pytest.raises(InvalidInput) as caught:
            resolve(what)
        assert caught.value.field == "scenario"


def test_the_storm_surges_only_its_region() -> None:
    storm = load_builtin("storm").scenario
    teams = {s.team.id: s.team for s in storm.teams}
    assert teams["national"].kind is TeamKind.NATIONAL_POOL
    east = RateFunction.of(storm.arrivals[0].profile, teams["east-1"], storm.surges)
    west = RateFunction.of(storm.arrivals[4].profile, teams["west-1"], storm.surges)
    assert east.expected(2 * 3600, 4 * 3600) == pytest.approx(3 * 2 * 325)
    assert west.expected(2 * 3600, 4 * 3600) == pytest.approx(2 * 325)
