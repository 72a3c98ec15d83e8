"""One run of a scenario: every policy it names on the same arrivals, one report (issue 4).

This module owns what running a `ScenarioSpec` produces: a JSON-able report with the scenario
as run, a `summary` (per policy and group of teams: the figures that show what overflow buys)
and, per policy, the full report of `report.py` (total, teams, channels, groups, intervals).

Fair comparison: each policy runs from a fresh generator seeded with the same seed, and the
driver draws each arrival stream's arrival times, handle times, patience and returning
customers from streams of their own, in arrival order; so every policy sees the very same
customers at the very same instants, and only the routing differs. The report holds no wall
clock: the same scenario and seed give byte-identical JSON.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from teamline.sim.engine_driver import Progress, simulate
from teamline.sim.report import build_report
from teamline.sim.sampling import RateFunction
from teamline.sim.scenario_file import ScenarioSpec

SUMMARY_FIGURES = (
    "service_level",
    "asa_seconds",
    "abandon_rate",
    "home_share",
    "same_agent_share",
    "occupancy",
    "offered",
)


def run_spec(spec: ScenarioSpec, seed: int, progress: Progress | None = None) -> dict[str, Any]:
    """Run each policy of the scenario on one seed; `progress` hears 0..1 over all of them."""
    workflows = spec.workflows()
    policies: dict[str, Any] = {}
    for k, (policy, workflow) in enumerate(workflows.items()):
        part = None if progress is None else _part(progress, k, len(workflows))
        result = simulate(
            replace(spec.scenario, workflow=workflow), np.random.default_rng(seed), part
        )
        policies[policy] = build_report(result, spec.interval_seconds, spec.groups)
    return {
        "scenario": describe(spec),
        "seed": seed,
        "summary": summary(policies),
        "policies": policies,
    }


def expected_contacts(spec: ScenarioSpec) -> float:
    """How many contacts a run is expected to simulate, over all its policies (a cost bound)."""
    s = spec.scenario
    horizon = s.horizon_seconds or 0.0
    per_policy = sum(
        RateFunction.of(a.profile, s.team(a.team_id), s.surges).expected(0, horizon)
        for a in s.arrivals
    )
    return per_policy * len(spec.policies)


def _part(progress: Progress, k: int, n: int) -> Progress:
    return lambda done: progress((k + done) / n)


def summary(policies: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per policy, per group: service level, ASA, abandonment, home share and the like."""
    return {
        policy: {
            name: {key: row[key] for key in SUMMARY_FIGURES}
            for name, row in report["groups"].items()
        }
        for policy, report in policies.items()
    }


def describe(spec: ScenarioSpec) -> dict[str, Any]:
    s = spec.scenario
    return {
        "name": spec.name,
        "description": spec.description,
        "start": s.start.isoformat(),
        "hours": spec.hours,
        "warmup_seconds": s.warmup_seconds,
        "interval_seconds": spec.interval_seconds,
        "returning_share": s.returning_share,
        "policies": list(spec.policies),
        "groups": {name: list(ids) for name, ids in spec.groups.items()},
        "teams": [
            {
                "id": t.team.id,
                "name": t.team.name,
                "kind": t.team.kind.value,
                "region": t.team.region_id,
                "agents": t.agents + len(t.shifts),
            }
            for t in s.teams
        ],
        "surges": [
            {
                "factor": x.factor,
                "from_hour": x.start_seconds / 3600,
                "to_hour": x.end_seconds / 3600,
                "region": x.region_id,
                "teams": list(x.team_ids),
            }
            for x in s.surges
        ],
    }
