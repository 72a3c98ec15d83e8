"""`teamline cases`: the SLA sweep from the command line (issue 7 items 1-2).

    teamline cases sweep                          # now
    teamline cases sweep --at 2026-12-25T06:00:00+00:00 --json

`sweep` runs one pass of the sweep the server runs on every router tick (`services/sla_sweep.py`):
each breach warning and breach whose instant has come is raised once, as an outbox event; a
second pass at the same instant raises nothing. It prints how many cases and alerts it raised.
A bad instant exits 2 with one sentence naming the option.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

cases_app = typer.Typer(help="Cases: the SLA sweep.", no_args_is_help=True)


@cases_app.command("sweep")
def sweep(
    at: Annotated[
        str | None,
        typer.Option("--at", help="the instant to sweep at, ISO 8601 with its offset; now"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Raise the breach warnings and breaches due at an instant, once each."""
    from teamline.cli import _settings, _uow_factory, clear_errors, fail, out
    from teamline.services.sla_sweep import SlaSweep

    now = datetime.now(UTC)
    if at is not None:
        try:
            now = datetime.fromisoformat(at)
        except ValueError:
            fail(f"--at: {at!r} is not an ISO 8601 instant like 2026-12-25T06:00:00+00:00")
        if now.tzinfo is None:
            fail("--at: the instant needs its offset, e.g. +00:00")
    settings = _settings()
    with clear_errors():
        result = SlaSweep(_uow_factory(settings)).run(now)
    if as_json:
        body = {"at": now.isoformat(), "cases": result.cases, "alerts": result.alerts}
        out.print_json(json.dumps(body))
    else:
        out.print(
            f"SLA sweep at {now.isoformat()}: {result.alerts} alert(s) on {result.cases} case(s)"
        )
