"""`teamline etf`: the fee and the months counted, as a table or JSON; a wrong value exits 2
with one sentence naming the option."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamline.cli import app

runner = CliRunner()
PHONE_2Y = ("etf", "--equipment", "smartphone", "--signed", "2024-01-15", "--term-months", "24")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_day_before_a_two_year_smartphone_commitment_ends_it_owes_95() -> None:
    code, out = run(*PHONE_2Y, "--on", "2026-01-14")
    assert code == 0, out
    text = " ".join(out.split())
    assert "fee 95.00 USD" in text and "months counted 23 full of 24" in text
    assert "ends on 2026-01-15" in text


@pytest.mark.parametrize(
    ("args", "fee", "months"),
    [
        ((*PHONE_2Y, "--on", "2026-01-15"), "0.00", 24),  # ended: nothing owed
        ((*PHONE_2Y, "--on", "2024-01-15"), "325.00", 0),
        (("etf", "--equipment", "smartphone", "--signed", "2010-05-31", "--term-months", "24",
          "--on", "2011-05-31"), "102.00", 12),  # before 2010-06-01: $150 - $4 x 12
        (("etf", "--equipment", "basic", "--signed", "2024-02-29", "--term-months", "12",
          "--on", "2025-02-27"), "106.00", 11),  # a leap day: full on the 28th in 2025
    ],
)  # fmt: skip
def test_json_is_one_object_with_the_fee_and_the_months_counted(
    args: tuple[str, ...], fee: str, months: int
) -> None:
    code, out = run(*args, "--json")
    assert code == 0, out
    answer = json.loads(out)
    assert (answer["fee"], answer["months_counted"]) == (fee, months)
    assert answer["currency"] == "USD" and answer["explanation"]


def test_another_schedule_comes_from_a_yaml_file(tmp_path: Path) -> None:
    schedule = tmp_path / "fees.yaml"
    schedule.write_text("etf:\n  currency: EUR\n  rules:\n    - {name: all, base: 100, "
                        "per_full_month: 5}\n")  # fmt: skip
    code, out = run(*PHONE_2Y, "--on", "2025-01-15", "--schedule", str(schedule), "--json")
    assert code == 0, out
    assert json.loads(out)["fee"] == "40.00" and json.loads(out)["currency"] == "EUR"
    schedule.write_text("rules:\n  - {name: all, base: lots, per_full_month: 5}\n")
    code, out = run(*PHONE_2Y, "--on", "2025-01-15", "--schedule", str(schedule))
    assert code == 2 and "--schedule: etf.rules[0].base" in " ".join(out.split())


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--equipment", "tablet", "--signed", "2024-01-15", "--term-months", "24",
          "--on", "2025-01-01"), "--equipment"),
        (("--equipment", "basic", "--signed", "2024-13-15", "--term-months", "24",
          "--on", "2025-01-01"), "--signed"),
        (("--equipment", "basic", "--signed", "2024-01-15", "--term-months", "0",
          "--on", "2025-01-01"), "--term-months"),
        (("--equipment", "basic", "--signed", "2024-01-15", "--term-months", "24",
          "--on", "2023-01-01"), "--on"),
        (("--equipment", "basic", "--signed", "2024-01-15", "--term-months", "24"), "--on"),
    ],
)  # fmt: skip
def test_a_wrong_value_exits_2_naming_the_option(args: tuple[str, ...], option: str) -> None:
    code, out = run("etf", *args)
    assert code == 2 and option in out
