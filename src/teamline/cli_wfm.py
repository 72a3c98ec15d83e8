"""`teamline staff`: how many agents one interval needs, and what they achieve.

    teamline staff --arrivals-per-hour 300 --aht 360 --target-sl 0.8 --within 20
    teamline staff --arrivals-per-hour 300 --aht 360 --patience 120 --max-occupancy 0.85 --json

Erlang C, or Erlang A (callers hang up after an exponential patience of mean --patience
seconds). Prints the fewest agents meeting the service level (share of ALL calls answered
within --within seconds) and the occupancy ceiling, with the service level, ASA, probability of
waiting, abandonment and occupancy they reach: a Rich table, or one JSON object with --json.
A bad value exits 2 with one sentence naming the option.
"""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from teamline.domain.errors import InvalidInput

# the names of `plan_interval`'s checks as the operator typed them
_OPTION = {
    "arrivals_per_hour": "--arrivals-per-hour",
    "aht_s": "--aht",
    "service_level": "--target-sl",
    "threshold_s": "--within",
    "patience_s": "--patience",
    "max_occupancy": "--max-occupancy",
}


def staff(
    arrivals_per_hour: Annotated[
        float, typer.Option("--arrivals-per-hour", help="calls offered per hour")
    ],
    aht: Annotated[float, typer.Option("--aht", help="mean handle time, seconds")],
    target_sl: Annotated[
        float, typer.Option("--target-sl", help="share answered within --within, e.g. 0.8")
    ] = 0.8,
    within: Annotated[float, typer.Option("--within", help="answer threshold, seconds")] = 20.0,
    patience: Annotated[
        float | None, typer.Option("--patience", help="mean patience, seconds: Erlang A")
    ] = None,
    max_occupancy: Annotated[
        float | None, typer.Option("--max-occupancy", help="busy share ceiling, e.g. 0.85")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Agents needed for one interval (Erlang C; Erlang A with --patience)."""
    from teamline.cli import fail, out
    from teamline.wfm.interval import plan_interval

    try:
        plan = plan_interval(
            arrivals_per_hour,
            aht,
            target_sl=target_sl,
            within_s=within,
            patience_s=patience,
            max_occupancy=max_occupancy,
        )
    except InvalidInput as exc:
        fail(f"{_OPTION.get(exc.field, exc.field)}: {exc.message}")
    asa = plan.asa_s if math.isfinite(plan.asa_s) else None
    if as_json:
        answer = {
            "model": plan.model,
            "agents": plan.agents,
            "load_erlangs": plan.load_erlangs,
            "service_level": plan.service_level,
            "asa_seconds": asa,
            "p_wait": plan.p_wait,
            "p_abandon": plan.p_abandon,
            "occupancy": plan.occupancy,
            "arrivals_per_hour": arrivals_per_hour,
            "aht_seconds": aht,
            "target_sl": target_sl,
            "within_seconds": within,
            "patience_seconds": patience,
            "max_occupancy": max_occupancy,
        }
        typer.echo(json.dumps(answer))
        return
    model = "Erlang C" if patience is None else f"Erlang A, patience {patience:g} s"
    table = Table(
        title=f"{arrivals_per_hour:g} calls/h, AHT {aht:g} s: {model}",
        box=box.SIMPLE_HEAD,
        show_header=False,
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("required agents", f"{plan.agents}")
    table.add_row("offered load", f"{plan.load_erlangs:.2f} Erlangs")
    table.add_row(f"service level ({within:g} s)", f"{100 * plan.service_level:.1f}%")
    table.add_row("average speed of answer", "-" if asa is None else f"{asa:.1f} s")
    table.add_row("probability of waiting", f"{100 * plan.p_wait:.1f}%")
    table.add_row("abandonment", f"{100 * plan.p_abandon:.1f}%")
    table.add_row("occupancy", f"{100 * plan.occupancy:.1f}%")
    out.print(table)
