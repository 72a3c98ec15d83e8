"""Writing a twin report to disk: JSON, CSV per interval and per team, PNG plots (issue 4).

This module owns the files and their layout, nothing of the figures (`report.py`, `compare.py`)
or the drawing (`plots.py`). JSON is written with sorted keys, so one seed gives one file, byte
for byte. CSV rows are (policy, scope, name, ...) with scope `team` or `group`; empty cells are
figures that do not exist (no contact in the interval, say).

    report.json     the whole report
    intervals.csv   per policy, team and group, per interval of arrivals
    teams.csv       per policy, team and group, the whole run
    comparison.png  service level, ASA, abandonment and home-team share per interval: one line
                    per policy, one column per group of teams
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from teamline.sim.plots import plot_comparison

INTERVAL_COLUMNS = (
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "asa_seconds",
    "abandon_rate",
    "occupancy",
    "home_share",
    "same_agent_share",
    "overflow_in",
    "overflow_out",
)
RUN_COLUMNS = ("agents", *INTERVAL_COLUMNS, "returning", "p_wait", "unresolved")


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, sort_keys=True, indent=2) + "\n"


def _cell(value: object) -> object:
    return "" if value is None else value


def interval_rows(report: dict[str, Any]) -> list[list[object]]:
    start = datetime.fromisoformat(report["scenario"]["start"])
    rows: list[list[object]] = []
    for policy, part in report["policies"].items():
        for scope in ("teams", "groups"):
            for name, intervals in part["intervals"][scope].items():
                for row in intervals:
                    at = start + timedelta(seconds=row["start_seconds"])
                    rows.append(
                        [policy, scope[:-1], name, row["start_seconds"], at.isoformat()]
                        + [_cell(row[c]) for c in INTERVAL_COLUMNS]
                    )
    return rows


def run_rows(report: dict[str, Any]) -> list[list[object]]:
    rows: list[list[object]] = []
    for policy, part in report["policies"].items():
        for scope in ("teams", "groups"):
            for name, row in part[scope].items():
                rows.append([policy, scope[:-1], name] + [_cell(row.get(c)) for c in RUN_COLUMNS])
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def write_outputs(report: dict[str, Any], out: Path) -> list[Path]:
    """Write every output into `out` (created if missing); the paths written, in order."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "intervals.csv", out / "teams.csv", out / "comparison.png"]
    paths[0].write_text(to_json(report), encoding="utf-8")
    head = ["policy", "scope", "name"]
    _write_csv(
        paths[1], [*head, "start_seconds", "start", *INTERVAL_COLUMNS], interval_rows(report)
    )
    _write_csv(paths[2], [*head, *RUN_COLUMNS], run_rows(report))
    plot_comparison(report, paths[3])
    return paths
