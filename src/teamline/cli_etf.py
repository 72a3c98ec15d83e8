"""`teamline etf`: the early termination fee of one commitment on one day, and the months counted.

    teamline etf --equipment smartphone --signed 2024-01-15 --term-months 24 --on 2026-01-14
    teamline etf --equipment basic --signed 2009-03-01 --term-months 12 --on 2009-09-30 --json
    teamline etf ... --schedule fees.yaml        # another schedule (DOMAIN.md 5's by default)

The fee comes from `domain/etf.py` (the rule lives once); months are counted from the signing
day, a month being full on each monthly anniversary. A Rich table, or one JSON object with
--json. A bad value exits 2 with one sentence naming the option.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from teamline.domain.enums import EquipmentClass
from teamline.domain.errors import InvalidInput

# the names of the domain's fields as the operator typed them
_OPTION = {"on": "--on", "term_months": "--term-months", "signed": "--signed"}


class Equipment(StrEnum):
    """What `--equipment` accepts: the commitment's device class."""

    SMARTPHONE = "smartphone"
    BASIC = "basic"


def etf(
    equipment: Annotated[
        Equipment, typer.Option("--equipment", help="smartphone (specified equipment) or basic")
    ],
    signed: Annotated[
        datetime,
        typer.Option("--signed", formats=["%Y-%m-%d"], help="the day the commitment was signed"),
    ],
    term_months: Annotated[
        int, typer.Option("--term-months", min=1, max=120, help="the commitment, in months")
    ],
    on: Annotated[datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="the day of leaving")],
    schedule: Annotated[
        Path | None,
        typer.Option("--schedule", help="a YAML fee schedule; DOMAIN.md 5's carrier example"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """The early termination fee on a day, and the full months of the commitment served."""
    from teamline.cli import fail, out
    from teamline.domain.etf import Commitment, carrier_example, quote_etf
    from teamline.services.care_policies import load_fee_schedule

    try:
        fees = load_fee_schedule(schedule) if schedule else carrier_example()
    except InvalidInput as exc:
        fail(f"--schedule: {exc}")
    try:
        commitment = Commitment(signed.date(), term_months, EquipmentClass(equipment.value))
        quote = quote_etf(fees, commitment, on.date())
    except InvalidInput as exc:
        fail(f"{_OPTION.get(exc.field, exc.field)}: {exc.message}")
    if as_json:
        answer = {
            "fee": str(quote.fee.amount),
            "currency": quote.fee.currency,
            "months_counted": quote.months_served,
            "term_months": term_months,
            "equipment": equipment.value,
            "signed": commitment.signed.isoformat(),
            "on": quote.on.isoformat(),
            "ends_on": commitment.ends_on.isoformat(),
            "rule": quote.rule,
            "schedule": fees.name,
            "explanation": quote.explanation,
        }
        typer.echo(json.dumps(answer))
        return
    table = Table(
        title=f"Early termination fee on {quote.on}", box=box.SIMPLE_HEAD, show_header=False
    )
    table.add_column("what")
    table.add_column("value")
    table.add_row("fee", str(quote.fee))
    table.add_row("months counted", f"{quote.months_served} full of {term_months}")
    table.add_row("commitment", f"{equipment.value}, signed {commitment.signed}")
    table.add_row("ends on", str(commitment.ends_on))
    table.add_row("rule", quote.rule or "none: the commitment has ended")
    out.print(table)
    out.print(quote.explanation, highlight=False)
