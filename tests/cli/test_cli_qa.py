"""`teamline qa sample`: the sampler on the current database, per agent the conversations of
the month and how many were sampled; the same seed again queues nothing twice; a bad month
exits 2 with one sentence naming the option."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamline.cli import app
from teamline.services.demo import DemoResult

runner = CliRunner()


@pytest.fixture
def env(sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path) -> dict[str, str]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    return {"TEAMLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'teamline.db'}"}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_the_demo_month_is_sampled_8_per_agent_and_again_identically(env: dict[str, str]) -> None:
    code, out = run(env, "qa", "sample", "--month", "2026-10", "--seed", "5", "--json")
    assert code == 0, out
    first = json.loads(out)
    assert (first["month"], first["seed"], first["zone"]) == ("2026-10", 5, "America/Chicago")
    agents = first["agents"]
    assert len(agents) > 10
    assert all(a["sampled"] == min(8, a["conversations"]) for a in agents)
    totals = first["totals"]
    assert totals["queued_now"] >= totals["sampled"] > 0
    code, out = run(env, "qa", "sample", "--month", "2026-10", "--seed", "5", "--json")
    again = json.loads(out)
    assert code == 0 and again["agents"] == agents and again["totals"]["queued_now"] == 0


def test_the_table_names_each_agent_and_the_default_seed_is_the_month(env: dict[str, str]) -> None:
    code, out = run(env, "qa", "sample", "--month", "2026-09")
    assert code == 0, out
    out = " ".join(out.split())
    assert "QA sample 2026-09 (seed 202609" in out and "agt-" in out
    assert "conversations" in out and "newly queued for review" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--month", "2026-13"), "--month"),
        (("--month", "October"), "--month: 'October' is not a month written YYYY-MM"),
        (("--month", "2026-10", "--seed", "-1"), "--seed"),
        ((), "--month"),
    ],
)
def test_a_bad_month_or_seed_exits_2_with_a_sentence(
    env: dict[str, str], args: tuple[str, ...], says: str
) -> None:
    code, out = run(env, "qa", "sample", *args)
    assert code == 2 and says in " ".join(out.split()), out


def test_csat_send_surveys_each_resolved_contact_once(env: dict[str, str]) -> None:
    code, out = run(env, "csat", "send", "--since-hours", str(24 * 90))
    assert code == 0, out
    sent = int(out.split()[0])
    assert sent > 0
    code, out = run(env, "csat", "send", "--since-hours", str(24 * 90))
    assert code == 0 and out.startswith("0 satisfaction surveys sent")
    code, out = run(env, "csat", "send", "--since-hours", "0")
    assert code == 2 and "--since-hours" in out
