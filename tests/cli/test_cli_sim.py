"""`teamline simulate`: a supervisor runs a scenario and reads the table, the JSON or the files;
a wrong scenario gets one sentence naming what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamline.cli import app

runner = CliRunner()
SHORT = ("--hours", "0.75")  # the storm's first 45 minutes: 30 of warm-up, 15 measured


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_storm_prints_three_policies_for_the_storm_region_and_the_rest() -> None:
    code, out, _ = run("simulate", "storm", *SHORT)
    assert code == 0, out
    for word in ("dedicated", "pooled", "overflow", "surge", "rest", "SL", "ASA", "abandon",
                 "home", "east-1, east-2"):  # fmt: skip
        assert word in out


def test_json_is_one_object_and_the_same_seed_gives_the_same_one() -> None:
    code, out, _ = run("simulate", "storm", *SHORT, "--seed", "3", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["seed"] == 3 and report["scenario"]["name"] == "storm"
    assert set(report["summary"]) == {"dedicated", "pooled", "overflow"}
    for groups in report["summary"].values():
        assert set(groups) == {"surge", "rest", "all"}
        for row in groups.values():
            assert {"service_level", "asa_seconds", "abandon_rate", "home_share"} <= set(row)
    assert run("simulate", "storm", *SHORT, "--seed", "3", "--json")[1] == out


def test_out_writes_the_report_the_csvs_and_the_plot(tmp_path: Path) -> None:
    code, out, _ = run("simulate", "storm", *SHORT, "--out", str(tmp_path / "run"))
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "run").iterdir())
    assert names == ["comparison.png", "intervals.csv", "report.json", "teams.csv"]
    assert "wrote" in out
    report = json.loads((tmp_path / "run" / "report.json").read_text(encoding="utf-8"))
    assert set(report["policies"]) == {"dedicated", "pooled", "overflow"}


def test_a_scenario_file_runs_by_path(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "start: 2026-11-24T15:00:00Z\nhours: 0.25\n"
        "channels: {voice: {handle_seconds: 60}}\n"
        "teams: [{id: a, region: r, timezone: UTC, hours: always, agents: 2}]\n"
        "arrivals: [{team: a, per_hour: 60}]\n",
        encoding="utf-8",
    )
    code, out, _ = run("simulate", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["scenario"]["name"] == "tiny"
    assert list(report["summary"]) == ["overflow"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("simulate", "hurricane"), "scenario"),
        (("simulate", "storm", "--hours", "0"), "hours"),
        (("simulate", "storm", "--hours", "0.25"), "warm-up"),
        (("simulate", "storm", "--seed", "-1"), "--seed"),
        (("simulate",), "Missing argument"),
    ],
)
def test_bad_arguments_exit_2_naming_what_to_fix(args: tuple[str, ...], says: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert says in out + err


def test_a_bad_key_in_a_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("start: 2026-11-24T15:00:00Z\nhours: 1\nteams: [{id: a, agnets: 3}]\n",
                    encoding="utf-8")  # fmt: skip
    code, out, err = run("simulate", str(path))
    assert code == 2
    assert "teams[0]" in out + err
