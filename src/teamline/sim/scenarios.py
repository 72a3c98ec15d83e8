"""Scenarios of the digital twin: YAML files and the built-ins shipped with Teamline (issue 4).

This module owns finding, loading and capping a scenario; the file format and its checks are
`scenario_file.py`. A scenario names the routing policies to compare (`policies.py`); each
policy runs the same arrivals (one seed, the same random streams), so they differ only by their
routing.

Built-ins (`scenarios/*.yaml` beside this module, shipped as package data):

    normal-day         three regions in three time zones, two teams each, the national pool:
                       a day of arrivals per local hour (morning ramp, lunch dip, afternoon
                       peak), early and late shifts
    storm              the same center on a weekday afternoon; the East gets 3x its arrivals
                       for two hours; dedicated, pooled and overflow on identical arrivals
    after-hours        evening into night: each region's teams close at 21:00 local time and
                       their customers go to the national after-hours pool
    policy-comparison  ten teams under steady load, the three policies side by side
"""

from __future__ import annotations

from pathlib import Path

import yaml

from teamline.domain.errors import InvalidInput
from teamline.sim.policies import teamline_workflow
from teamline.sim.scenario_file import ScenarioSpec, parse_scenario

__all__ = [
    "BUILTIN_DIR",
    "ScenarioSpec",
    "builtin_names",
    "load_builtin",
    "load_scenario",
    "resolve",
]

BUILTIN_DIR = Path(__file__).parent / "scenarios"


def builtin_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))


def load_builtin(name: str) -> ScenarioSpec:
    if name not in builtin_names():
        raise InvalidInput(
            "scenario", f"{name!r} is not a built-in scenario ({', '.join(builtin_names())})"
        )
    return load_scenario(BUILTIN_DIR / f"{name}.yaml")


def load_scenario(path: Path) -> ScenarioSpec:
    """Read and check a scenario file; every problem names its key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("scenario", f"cannot read {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput("scenario", f"{path} is not valid YAML: {exc}") from exc
    return parse_scenario(data, path.stem, teamline_workflow())


def resolve(scenario: str) -> ScenarioSpec:
    """A built-in by name, or else a scenario file by path."""
    if scenario in builtin_names():
        return load_builtin(scenario)
    path = Path(scenario)
    if not path.is_file():
        raise InvalidInput(
            "scenario",
            f"{scenario!r} is neither a built-in ({', '.join(builtin_names())}) nor a file",
        )
    return load_scenario(path)
