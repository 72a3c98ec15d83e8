"""The wall's what-if form: a built-in scenario through the digital twin, with its plot.

DOMAIN.md section 8: "what happens to waits when a region surges". The run is
`twin.run_simulation` (same limits, same report as the API); the plot is the twin's own
comparison figure (`sim/plots.py`), returned as PNG bytes for the page to show inline.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teamline.domain.users import User
from teamline.services.twin import BuiltinScenario, run_simulation
from teamline.sim.plots import plot_comparison


@dataclass(frozen=True)
class WhatIf:
    report: dict[str, Any]
    png: bytes


def what_if(
    actor: User, scenario: BuiltinScenario, seed: int, hours: float | None, max_contacts: int
) -> WhatIf:
    report = run_simulation(actor, scenario, seed, hours, max_contacts)
    with tempfile.TemporaryDirectory(prefix="teamline-what-if-") as folder:
        path = Path(folder) / "plot.png"
        plot_comparison(report, path)
        return WhatIf(report, path.read_bytes())
