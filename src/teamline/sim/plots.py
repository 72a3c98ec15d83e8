"""PNG plots of a twin report, drawn from the report JSON alone (issue 4, item 4).

This module owns the drawing. It uses matplotlib's object API on the Agg canvas (`Figure`, no
`pyplot`): no global figure state, no display needed, safe in a server thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

ROWS = (
    ("service_level", "service level", 1.0),
    ("asa_seconds", "ASA (s)", None),
    ("abandon_rate", "abandonment", None),
    ("home_share", "home-team share", 1.0),
)
COLOURS = {"dedicated": "#d62728", "pooled": "#1f77b4", "overflow": "#2ca02c"}


def plot_comparison(report: dict[str, Any], path: Path) -> None:
    """Per interval of arrivals: one row per figure, one column per group of teams, one line
    per policy; surge windows shaded."""
    scenario = report["scenario"]
    groups = list(scenario["groups"])
    fig = Figure(figsize=(3.6 * len(groups) + 1, 9), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(ROWS), len(groups), sharex=True, squeeze=False)
    step = scenario["interval_seconds"] / 3600
    for col, group in enumerate(groups):
        for row, (key, label, top) in enumerate(ROWS):
            ax = axes[row][col]
            for policy, part in report["policies"].items():
                rows = part["intervals"]["groups"][group]
                hours = [r["start_seconds"] / 3600 for r in rows] + [len(rows) * step]
                values = [float("nan") if r[key] is None else r[key] for r in rows]
                values.append(values[-1])  # the last interval's step runs to its end
                ax.step(
                    hours, values, where="post", label=policy, color=COLOURS.get(policy),
                    linewidth=1.6,
                )  # fmt: skip
            for surge in scenario["surges"]:
                ax.axvspan(surge["from_hour"], surge["to_hour"], color="0.88", zorder=0)
            if top is not None:
                ax.set_ylim(0, top * 1.02)
            else:
                ax.set_ylim(bottom=0)
            ax.grid(alpha=0.3)
            if col == 0:
                ax.set_ylabel(label)
            if row == 0:
                members = scenario["groups"][group]
                names = ", ".join(members) if len(members) <= 4 else f"{len(members)} teams"
                ax.set_title(f"{group}: {names}", fontsize=9)
            if row == len(ROWS) - 1:
                ax.set_xlabel(f"hours from {scenario['start']}")
    axes[0][0].legend(loc="lower left", fontsize=8)
    fig.suptitle(
        f"{scenario['name']} (seed {report['seed']}): per {scenario['interval_seconds'] / 60:g}"
        " min of arrivals; grey: surge"
    )
    fig.savefig(path, dpi=100)
