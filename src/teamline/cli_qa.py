"""`teamline qa` and `teamline csat`: quality review and satisfaction surveys (issue 7, 3-4).

    teamline qa sample --month 2026-10                # the month's own seed (202610)
    teamline qa sample --month 2026-10 --seed 7 --json
    teamline csat send --since-hours 48               # survey every newly resolved contact

`sample` runs the sampler (`domain/quality.py`, the rule lives once) on the current database:
8 conversations per agent for the calendar month in TEAMLINE_COMPANY_TIMEZONE, stratified over
channels and ISO weeks, plus every complained-about conversation, and queues them for review.
It prints, per agent, the conversations handled in the month and how many were sampled. The
same month and seed give the same sample and queue nothing twice. A bad month exits 2 with one
sentence naming the option. `csat send` asks the one CSAT question about every contact an
agent resolved recently that has no survey yet (`services/csat.send_due_surveys`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich import box
from rich.table import Table

_FIGURES = frozenset({"conversations", "sampled", "complaints"})
qa_app = typer.Typer(help="Quality review: sampling for review.", no_args_is_help=True)


@qa_app.command("sample")
def sample(
    month: Annotated[str, typer.Option("--month", help="the calendar month, YYYY-MM")],
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, help="the sampler's seed; the month (YYYYMM) by default"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Sample 8 conversations per agent for a month, plus every complaint, and queue them."""
    from teamline.cli import _settings, _uow_factory, clear_errors, fail, out
    from teamline.domain.errors import InvalidInput
    from teamline.domain.organisation import zone_of
    from teamline.domain.quality import parse_month
    from teamline.services.quality import run_sampler

    try:
        parsed = parse_month(month)
    except InvalidInput as exc:
        fail(f"--month: {exc.message}")
    settings = _settings()
    try:
        zone = zone_of(settings.company_timezone)
    except InvalidInput as exc:
        fail(f"TEAMLINE_COMPANY_TIMEZONE: {exc.message}")
    with clear_errors():
        new_uow = _uow_factory(settings)
        try:
            run = run_sampler(new_uow(), None, parsed, seed, zone, datetime.now(UTC))
        except InvalidInput as exc:
            fail(f"--{exc.field}: {exc.message}")
    result = run.sample
    rows = [
        {
            "agent_id": a.agent_id,
            "name": run.names.get(a.agent_id, ""),
            "team_id": run.teams.get(a.agent_id),
            "conversations": a.conversations,
            "sampled": a.sampled,
            "complaints": a.complaints,
        }
        for a in result.agents
    ]
    totals = {
        "agents": len(rows),
        "conversations": sum(r["conversations"] for r in rows),  # type: ignore[misc]
        "sampled": sum(r["sampled"] for r in rows),  # type: ignore[misc]
        "complaints": sum(r["complaints"] for r in rows),  # type: ignore[misc]
        "queued_now": run.added,
    }
    if as_json:
        answer = {
            "month": str(result.month),
            "seed": result.seed,
            "zone": result.zone,
            "agents": rows,
            "totals": totals,
        }
        typer.echo(json.dumps(answer))
        return
    table = Table(
        title=f"QA sample {result.month} (seed {result.seed}, {result.zone})", box=box.SIMPLE_HEAD
    )
    for column in ("agent", "name", "team", "conversations", "sampled", "complaints"):
        table.add_column(column, justify="right" if column in _FIGURES else "left")
    for r in rows:
        table.add_row(
            str(r["agent_id"]), str(r["name"]), str(r["team_id"] or ""),
            str(r["conversations"]), str(r["sampled"]), str(r["complaints"]),
        )  # fmt: skip
    out.print(table)
    out.print(
        f"{totals['agents']} agents, {totals['conversations']} conversations, "
        f"{totals['sampled']} sampled, {totals['complaints']} complaints; "
        f"{run.added} newly queued for review",
        highlight=False,
    )


csat_app = typer.Typer(help="Customer satisfaction surveys.", no_args_is_help=True)


@csat_app.command("send")
def send(
    since_hours: Annotated[
        int,
        typer.Option(
            "--since-hours", min=1, max=24 * 90, help="contacts that arrived this recently"
        ),
    ] = 48,
) -> None:
    """Send the one CSAT question about every contact an agent resolved that has none yet
    (run it from cron or a timer: each contact gets one survey, however often it runs)."""
    from datetime import timedelta

    from teamline.cli import _settings, _uow_factory, clear_errors, out
    from teamline.services.csat import send_due_surveys

    settings = _settings()
    now = datetime.now(UTC)
    with clear_errors():
        sent = send_due_surveys(_uow_factory(settings), now - timedelta(hours=since_hours), now)
    out.print(f"{sent} satisfaction surveys sent", highlight=False)
