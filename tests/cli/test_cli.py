"""The `teamline` command: what an operator types, and the sentence they get when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamline.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "TEAMLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "TEAMLINE_DEMO_CUSTOMERS": "20",
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_an_operator_migrates_creates_a_user_and_loads_the_demo_twice(env: dict[str, str]) -> None:
    code, out = run(env, "db", "upgrade")
    assert code == 0 and "newest schema" in out
    code, out = run(
        env, "user", "create", "--role", "admin", "--email", "Boss@Example.com",
        "--password", "long enough",
    )  # fmt: skip
    assert code == 0 and "admin boss@example.com" in out
    code, out = run(env, "demo")
    assert code == 0 and "demo company loaded: 20 customers" in out
    assert "customer@demo.teamline.dev" in out and "teamline-demo" in out
    code, out = run(env, "demo")
    assert code == 0 and "already loaded" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("user", "create", "--role", "wizard", "--email", "a@b.co", "--password", "12345678"),
         "role"),
        (("user", "create", "--role", "agent", "--email", "a@b.co", "--password", "short"),
         "password"),
        (("user", "create", "--role", "agent", "--email", "not-an-email", "--password", "12345678"),
         "email"),
        (("user", "create", "--role", "customer", "--email", "c@b.co", "--password", "12345678"),
         "customer_id"),
        (("serve", "--port", "70000"), "65535"),
        (("serve", "--colour", "blue"), "--colour"),
        (("frobnicate",), "frobnicate"),
    ],
)  # fmt: skip
def test_bad_arguments_exit_2_with_a_sentence_naming_the_problem(
    env: dict[str, str], args: tuple[str, ...], says: str
) -> None:
    assert run(env, "db", "upgrade")[0] == 0
    code, out = run(env, *args)
    assert code == 2, out
    assert says in out


def test_a_duplicate_user_is_refused_with_exit_2(env: dict[str, str]) -> None:
    run(env, "db", "upgrade")
    args = ("user", "create", "--role", "agent", "--email", "a@b.co", "--password", "12345678")
    assert run(env, *args)[0] == 0
    code, out = run(env, *args)
    assert code == 2 and "already exists" in out


def test_commands_refuse_an_unmigrated_database(env: dict[str, str]) -> None:
    code, out = run(env, "demo")
    assert code == 1 and "teamline db upgrade" in out


def test_an_in_memory_database_is_refused_for_durability() -> None:
    code, out = run({"TEAMLINE_DATABASE_URL": "sqlite://"}, "db", "upgrade")
    assert code == 1 and "WAL" in out
