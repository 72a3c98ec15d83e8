"""The digital twin for supervisors: run a built-in scenario, get its report (issue 4, item 6).

DOMAIN.md section 8: supervisors need to know what happens to waits when a region surges. This
use case runs a built-in scenario (`sim/scenarios/*.yaml`) through the real routing engine in
memory, every routing policy it names on the same arrivals, and returns the twin's report.
Nothing is read from or written to the database, so there is no unit of work and no audit row.

Limits, because the run happens inside the request: built-in scenarios only (a path from a
request would read the server's disk), optionally cut short by `hours`, and at most
`max_contacts` expected contacts over all policies (`TEAMLINE_SIMULATION_MAX_CONTACTS`, 60,000
by default: every built-in fits, a few seconds of work), refused before the run starts.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from teamline.domain.errors import InvalidInput
from teamline.domain.users import User
from teamline.services.access import require_planner
from teamline.sim.compare import expected_contacts, run_spec
from teamline.sim.scenarios import load_builtin


class BuiltinScenario(StrEnum):
    """The scenarios shipped with Teamline (`sim.scenarios.builtin_names()`; a test keeps the
    two lists equal)."""

    AFTER_HOURS = "after-hours"
    NORMAL_DAY = "normal-day"
    POLICY_COMPARISON = "policy-comparison"
    STORM = "storm"


def run_simulation(
    actor: User, scenario: BuiltinScenario, seed: int, hours: float | None, max_contacts: int
) -> dict[str, Any]:
    """The report of a built-in scenario on one seed (the same seed, the same report)."""
    require_planner(actor, "run simulations")
    spec = load_builtin(scenario.value).capped(hours)
    expected = expected_contacts(spec)
    if expected > max_contacts:
        raise InvalidInput(
            "hours",
            f"this run would simulate about {expected:,.0f} contacts; a request may simulate "
            f"{max_contacts:,} (fewer hours, or `teamline simulate` for longer runs)",
        )
    return run_spec(spec, seed)
