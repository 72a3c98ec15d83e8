"""Running a scenario under several policies: the same customers in each, figures that add up,
continuity measured, one seed one report, and the files a supervisor opens."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from teamline.sim.compare import run_spec
from teamline.sim.engine_driver import simulate
from teamline.sim.export import INTERVAL_COLUMNS, to_json, write_outputs
from teamline.sim.policies import teamline_workflow
from teamline.sim.scenario_file import ScenarioSpec, parse_scenario

# two regions of one busy team each; the east surges for a quarter of an hour
WORLD = """
name: two-regions
start: 2026-11-24T15:00:00Z
hours: 1
interval_minutes: 15
returning_share: 0.4
policies: [dedicated, pooled, overflow]
channels:
  voice: {handle_seconds: 240, patience_seconds: 120}
teams:
  - {id: east, region: east, timezone: America/New_York, hours: always, neighbours: [west],
     agents: 10}
  - {id: west, region: west, timezone: America/Los_Angeles, hours: always, neighbours: [east],
     agents: 10}
arrivals:
  - {team: east, per_hour: 120}
  - {team: west, per_hour: 120}
surges:
  - {region: east, factor: 2.5, from_hour: 0.25, to_hour: 0.5}
"""


def world(**changes: Any) -> ScenarioSpec:
    data = yaml.safe_load(WORLD) | changes
    return parse_scenario(data, "test", teamline_workflow())


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return run_spec(world(), seed=7)


def test_every_policy_sees_the_same_customers_at_the_same_instants() -> None:
    spec = world()
    runs = {
        policy: simulate(replace(spec.scenario, workflow=wf), np.random.default_rng(3))
        for policy, wf in spec.workflows().items()
    }
    first = runs["dedicated"]
    for result in runs.values():
        for name in ("arrival", "team", "channel", "handle", "patience"):
            assert np.array_equal(getattr(result, name), getattr(first, name)), name
        assert result.late_decisions == 0


def test_the_same_seed_gives_the_same_json_and_another_seed_does_not(
    report: dict[str, Any],
) -> None:
    assert to_json(run_spec(world(), seed=7)) == to_json(report)
    assert to_json(run_spec(world(), seed=8)) != to_json(report)
    assert json.loads(to_json(report)) == report


def test_the_summary_shows_what_overflow_buys_for_the_surging_region(
    report: dict[str, Any],
) -> None:
    summary = report["summary"]
    assert set(summary) == {"dedicated", "pooled", "overflow"}
    assert set(summary["dedicated"]) == {"surge", "rest", "all"}
    assert summary["dedicated"]["all"]["home_share"] == 1.0
    assert summary["pooled"]["surge"]["home_share"] < 1.0
    assert summary["overflow"]["surge"]["home_share"] < 1.0
    # the other region's idle agents take the storm's callers: fewer of them give up
    assert (
        summary["overflow"]["surge"]["abandon_rate"] < summary["dedicated"]["surge"]["abandon_rate"]
    )
    offered = {p: s["all"]["offered"] for p, s in summary.items()}
    assert len(set(offered.values())) == 1  # identical arrivals


def test_interval_figures_add_up_to_the_run(report: dict[str, Any]) -> None:
    for part in report["policies"].values():
        intervals = part["intervals"]
        assert intervals["interval_seconds"] == 900
        for team, row in part["teams"].items():
            rows = intervals["teams"][team]
            assert [r["start_seconds"] for r in rows] == [0, 900, 1800, 2700]
            for key in ("offered", "answered", "abandoned", "overflow_in", "overflow_out"):
                assert sum(r[key] for r in rows) == row[key], key
        for name, row in part["groups"].items():
            assert sum(r["offered"] for r in intervals["groups"][name]) == row["offered"]
        assert part["groups"]["all"]["offered"] == part["total"]["offered"]
        assert part["groups"]["all"]["overflow_in"] == part["total"]["overflow"]


def test_continuity_brings_returning_customers_back_to_their_agent() -> None:
    # a quiet center: the agent who helped a customer last is usually free when they call again
    quiet = [{"team": "east", "per_hour": 60}, {"team": "west", "per_hour": 60}]
    spec = world(surges=[], returning_share=0.6, arrivals=quiet)
    spec = replace(spec, scenario=replace(spec.scenario, horizon_seconds=2 * 3600))
    report = run_spec(replace(spec, policies=("dedicated", "overflow")), seed=2)
    same = {p: r["total"]["same_agent_share"] for p, r in report["policies"].items()}
    returning = report["policies"]["overflow"]["total"]["returning"]
    assert returning > 100
    assert same["overflow"] > 0.5 > 0.3 > same["dedicated"]  # chance alone: about 1 in 10
    assert report["policies"]["overflow"]["run"]["late_decisions"] == 0
    assert "linked" not in report["policies"]["overflow"]["run"]["decisions"]


def test_progress_is_reported_from_zero_to_one_over_all_policies() -> None:
    heard: list[float] = []
    run_spec(world(), seed=1, progress=heard.append)
    assert heard and heard == sorted(heard)
    assert 0 < heard[0] < 1 and heard[-1] == 1.0
    assert any(abs(x - 1 / 3) < 1e-9 for x in heard)  # the first policy ends a third in


def test_outputs_are_json_csv_and_a_png(report: dict[str, Any], tmp_path: Path) -> None:
    paths = write_outputs(report, tmp_path / "out")
    assert [p.name for p in paths] == ["report.json", "intervals.csv", "teams.csv",
                                       "comparison.png"]  # fmt: skip
    assert paths[0].read_text(encoding="utf-8") == to_json(report)
    with paths[1].open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[5:] == list(INTERVAL_COLUMNS)
    # 3 policies x (2 teams + 3 groups) x 4 intervals
    assert len(rows) == 3 * 5 * 4
    assert rows[0]["start"] == "2026-11-24T15:00:00+00:00"
    with paths[2].open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 3 * 5
    assert paths[3].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
