"""`teamline simulate`: run the digital twin on a scenario and show what each policy gives.

    teamline simulate storm
    teamline simulate my-center.yaml --seed 7 --out runs/storm --json

SCENARIO is a built-in (normal-day, storm, after-hours, policy-comparison) or a scenario file
(`sim/scenario_file.py` describes the format). The table has, per routing policy and group of
teams (for the storm: the storm region, the rest, all), service level, ASA, abandonment,
home-team share and same-agent share; `--json` prints the same as one JSON object, and `--out`
writes report.json, intervals.csv, teams.csv and comparison.png. The same seed gives the same
figures. A bad scenario exits 2 with one sentence naming the key to fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from teamline.domain.errors import InvalidInput

if TYPE_CHECKING:  # the twin loads numpy and matplotlib: only when the command runs
    from teamline.sim.scenario_file import ScenarioSpec


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _secs(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}s"


def summary_table(report: dict[str, Any]) -> Table:
    """Per policy and group of teams: SL (answered within the team's threshold / offered), ASA,
    abandonment, home-team share and same-agent share (of answered, returning customers),
    contacts offered. Fits 80 columns."""
    scenario = report["scenario"]
    groups = "; ".join(
        f"{name}: {', '.join(ids) if len(ids) <= 4 else f'{len(ids)} teams'}"
        for name, ids in scenario["groups"].items()
    )
    table = Table(
        title=f"{scenario['name']}, seed {report['seed']}, {scenario['hours']:g} h",
        caption=groups,
        box=box.SIMPLE_HEAD,
    )
    for column in ("policy", "teams", "SL", "ASA", "abandon", "home", "same agent", "offered"):
        left = column in ("policy", "teams")
        table.add_column(column, justify="left" if left else "right", no_wrap=True)
    for policy, rows in report["summary"].items():
        for name, row in rows.items():
            table.add_row(
                policy, name, _pct(row["service_level"]), _secs(row["asa_seconds"]),
                _pct(row["abandon_rate"]), _pct(row["home_share"]),
                _pct(row["same_agent_share"]), str(row["offered"]),
            )  # fmt: skip
        table.add_section()
    return table


def simulate(
    scenario: Annotated[
        str,
        typer.Argument(
            metavar="SCENARIO", help="a built-in (e.g. storm, normal-day) or a scenario YAML file"
        ),
    ],
    seed: Annotated[int, typer.Option(min=0, help="the same seed gives the same figures")] = 1,
    out: Annotated[
        Path | None,
        typer.Option(help="write report.json, intervals.csv, teams.csv, comparison.png here"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print one JSON object instead of a table")
    ] = False,
    hours: Annotated[
        float | None, typer.Option(help="stop arrivals earlier than the scenario does")
    ] = None,
) -> None:
    """Simulate a scenario through the real routing engine, one run per routing policy."""
    from teamline.cli import err, fail
    from teamline.cli import out as console
    from teamline.sim.export import write_outputs
    from teamline.sim.scenarios import resolve

    try:
        spec = resolve(scenario).capped(hours)
    except InvalidInput as exc:
        fail(str(exc))
    report = _run(spec, seed, err)
    written = write_outputs(report, out) if out is not None else []
    if as_json:
        typer.echo(json.dumps({k: report[k] for k in ("scenario", "seed", "summary")}))
        return
    console.print(summary_table(report))
    for path in written:
        console.print(f"wrote {path}")


def _run(spec: ScenarioSpec, seed: int, err: Console) -> dict[str, Any]:
    """Run with a progress bar on stderr when it is a terminal; quiet otherwise."""
    from teamline.sim.compare import run_spec

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        what = f"{spec.name}: {', '.join(spec.policies)}"
        task = bar.add_task(what, total=1.0)
        return run_spec(spec, seed, lambda done: bar.update(task, completed=done))
