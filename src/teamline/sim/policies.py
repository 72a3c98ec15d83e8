"""Routing policies the twin compares on identical arrivals (issue 4, item 5).

Issue 4 asks what Teamline's overflow buys against the two textbook extremes. Each policy is a
`Workflow` for the real engine, built from a base workflow (Teamline's default,
`routing/workflows/default.yaml`, unless a scenario brings its own):

    dedicated  every team is its own queue: the home-team ring only (`home_only_workflow`);
               closed teams still send their callers to the national pool, which the engine
               decides before any ring
    pooled     every agent serves every team from second 0: the home-team, all-teams and
               national rings all open at once and every team always lends (its lending
               thresholds are never reached); no continuity
    overflow   the base workflow as it is: continuity, home team, neighbours, all teams, the
               national pool, lending with hysteresis, surge detection

All three keep the base's wrap-up, so an agent's work per call is the same in each and only the
routing differs (`home_only_workflow` alone drops it: it models a textbook M/M/c queue).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from teamline.domain.errors import InvalidInput
from teamline.routing import workflow as routing_workflow
from teamline.routing.workflow import Ring, RingKind, Workflow, load_workflow
from teamline.sim.model import NEVER, home_only_workflow

POLICIES = ("dedicated", "pooled", "overflow")
DEFAULT_WORKFLOW_FILE = Path(routing_workflow.__file__).parent / "workflows" / "default.yaml"


def teamline_workflow() -> Workflow:
    """Teamline's default overflow workflow, as the live router loads it."""
    return load_workflow(DEFAULT_WORKFLOW_FILE)


def dedicated(base: Workflow) -> Workflow:
    return replace(home_only_workflow(base), wrap_up_seconds=base.wrap_up_seconds)


def pooled(base: Workflow) -> Workflow:
    return replace(
        base,
        rings=(
            Ring(RingKind.HOME_TEAM, 0),
            Ring(RingKind.ALL_TEAMS, 0),
            Ring(RingKind.NATIONAL, 0),
        ),
        stop_lending_wait_seconds=NEVER,
        resume_lending_wait_seconds=NEVER,
        own_team_first=False,
    )


def policy_workflow(policy: str, base: Workflow) -> Workflow:
    """The workflow of a named policy, built on `base` (the overflow policy is `base`)."""
    if policy == "dedicated":
        return dedicated(base)
    if policy == "pooled":
        return pooled(base)
    if policy == "overflow":
        return base
    raise InvalidInput("policies", f"{policy!r} is not a policy ({', '.join(POLICIES)})")
