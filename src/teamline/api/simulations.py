"""The digital twin over HTTP: a supervisor runs a built-in scenario and reads its report.

`POST /simulations` answers 200 with the report (nothing is stored: the same scenario and seed
give the same report, so the request is safe to repeat). The report's `summary` has, per policy
and group of teams, the figures of `teamline simulate`; `policies` has the whole twin report per
policy (total, teams, channels, groups, intervals; see `sim/report.py` for each figure).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from teamline.api.access_policy import SUPERVISORS, access
from teamline.api.deps import CurrentUser
from teamline.api.schemas import Strict
from teamline.services.twin import BuiltinScenario, run_simulation

router = APIRouter(tags=["simulations"])


def get_max_contacts(request: Request) -> int:
    return int(request.app.state.settings.simulation_max_contacts)


MaxContactsDep = Annotated[int, Depends(get_max_contacts)]


class SimulationIn(Strict):
    scenario: BuiltinScenario
    seed: int = Field(default=1, ge=0, le=2**32 - 1, strict=True)
    hours: float | None = Field(
        default=None,
        gt=0,
        le=24,
        strict=True,
        description="stop arrivals this many hours in (a shorter run)",
    )


class FiguresOut(BaseModel):
    service_level: float | None
    asa_seconds: float | None
    abandon_rate: float | None
    home_share: float | None
    same_agent_share: float | None
    occupancy: float | None
    offered: int


class ScenarioOut(BaseModel):
    name: str
    description: str
    start: str
    hours: float
    warmup_seconds: float
    interval_seconds: float
    returning_share: float
    policies: list[str]
    groups: dict[str, list[str]]
    teams: list[dict[str, Any]]
    surges: list[dict[str, Any]]


class SimulationOut(BaseModel):
    scenario: ScenarioOut
    seed: int
    summary: dict[str, dict[str, FiguresOut]] = Field(
        description="per policy, per group of teams: the figures that compare the policies"
    )
    policies: dict[str, dict[str, Any]] = Field(description="per policy: the full twin report")


@router.post(
    "/simulations",
    response_model=SimulationOut,
    **access(*SUPERVISORS),
)
def simulate(body: SimulationIn, user: CurrentUser, max_contacts: MaxContactsDep) -> dict[str, Any]:
    """Run a built-in scenario through the real routing engine (supervisors and admins). A run
    expected to simulate more contacts than the server allows answers 422 naming `hours`."""
    return run_simulation(user, body.scenario, body.seed, body.hours, max_contacts)
