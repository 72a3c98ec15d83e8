"""`teamline staff`: an operator asks how many agents an interval needs, as a table or JSON, and
gets one sentence naming the option when a value is wrong."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from teamline.cli import app
from teamline.wfm.erlang import erlang_a, erlang_c
from teamline.wfm.staffing import required_agents

runner = CliRunner()
BASE = ("staff", "--arrivals-per-hour", "300", "--aht", "360", "--target-sl", "0.8",
        "--within", "20")  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_table_shows_the_agents_and_what_they_achieve() -> None:
    code, out = run(*BASE)
    assert code == 0, out
    agents = int(required_agents(300.0, 360.0, service_level=0.8, threshold_s=20.0))
    m = erlang_c(agents, 300.0, 360.0, 20.0)
    assert "Erlang C" in out and f"required agents {agents}" in " ".join(out.split())
    assert f"{100 * float(m.service_level):.1f}%" in out
    assert f"{float(m.asa_s):.1f} s" in out
    for label in ("probability of waiting", "abandonment", "occupancy", "30.00 Erlangs"):
        assert label in out


def test_json_is_one_object_with_erlang_a_when_callers_hang_up() -> None:
    code, out = run(*BASE, "--patience", "120", "--max-occupancy", "0.85", "--json")
    assert code == 0, out
    answer = json.loads(out)
    agents = int(required_agents(300.0, 360.0, service_level=0.8, threshold_s=20.0,
                                 patience_s=120.0, max_occupancy=0.85))  # fmt: skip
    m = erlang_a(agents, 300.0, 360.0, 120.0, 20.0)
    assert answer["model"] == "erlang_a" and answer["agents"] == agents
    assert answer["p_abandon"] == pytest.approx(float(m.p_abandon))
    assert answer["occupancy"] == pytest.approx(float(m.occupancy)) and answer["occupancy"] <= 0.85
    assert set(answer) >= {"service_level", "asa_seconds", "p_wait", "load_erlangs"}


def test_no_calls_need_nobody() -> None:
    code, out = run("staff", "--arrivals-per-hour", "0", "--aht", "300", "--json")
    assert code == 0 and json.loads(out)["agents"] == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--target-sl", "1.2"), "--target-sl"),
        (("--target-sl", "0"), "--target-sl"),
        (("--within", "-1"), "--within"),
        (("--patience", "0"), "--patience"),
        (("--max-occupancy", "2"), "--max-occupancy"),
        (("--arrivals-per-hour", "nan"), "--arrivals-per-hour"),
        (("--arrivals-per-hour", "-5"), "--arrivals-per-hour"),
        (("--arrivals-per-hour", "1e12"), "--arrivals-per-hour"),
        (("--aht", "0"), "--aht"),
        (("--aht", "six minutes"), "--aht"),
        (("--colour", "blue"), "--colour"),
    ],
)
def test_bad_arguments_exit_2_naming_the_option(args: tuple[str, ...], says: str) -> None:
    code, out = run(*BASE, *args)
    assert code == 2, out
    assert says in out
    assert "Traceback" not in out
