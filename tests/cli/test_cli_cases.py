"""`teamline cases sweep`: one pass of the SLA sweep on the current database raises each due
warning and breach once; a second pass at the same instant raises nothing; a bad instant exits 2
naming the option."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamline.cli import app
from teamline.services import cases
from teamline.services.demo import DemoResult
from teamline.services.sla_sweep import SlaSweep
from teamline.store.db import make_engine, session_factory
from teamline.store.uow import UnitOfWork

from conftest import NOW

runner = CliRunner()
LATER = NOW + timedelta(days=7)


@pytest.fixture
def env(sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path) -> dict[str, str]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    url = f"sqlite:///{tmp_path / 'teamline.db'}"
    engine = make_engine(url)
    sessions = session_factory(engine)
    with UnitOfWork(sessions) as uow:
        agent = uow.users.by_email("agent@demo.teamline.dev")
    assert agent is not None
    SlaSweep(lambda: UnitOfWork(sessions)).run(LATER)  # the demo's own cases, first
    draft = cases.CaseDraft("Phone line crackles", customer_id="cus-00001")
    cases.open_case(UnitOfWork(sessions), agent, draft, cases.CasePolicy(), NOW)
    engine.dispose()
    return {"TEAMLINE_DATABASE_URL": url}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_a_sweep_raises_due_alerts_once(env: dict[str, str]) -> None:
    later = LATER.isoformat()
    code, out = run(env, "cases", "sweep", "--at", later, "--json")
    assert code == 0, out
    assert json.loads(out) == {"at": later, "cases": 1, "alerts": 4}
    code, out = run(env, "cases", "sweep", "--at", later)
    assert code == 0 and "0 alert(s) on 0 case(s)" in out


@pytest.mark.parametrize("at", ["tomorrow", "2026-12-01T10:00:00"])
def test_a_bad_instant_exits_2_naming_the_option(env: dict[str, str], at: str) -> None:
    code, out = run(env, "cases", "sweep", "--at", at)
    assert code == 2 and "--at" in out
