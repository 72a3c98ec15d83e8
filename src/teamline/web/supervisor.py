"""The supervisor wall (issue 8, item 3; DOMAIN.md sections 4 and 8).

`/supervisor`: the live view per team (agent states, queue, estimated wait, today's service
level, overflow in and out, surge alerts), the credit requests waiting for a supervisor and the
service orders past due. Its script re-reads `/supervisor/live` (the same table, from the
router's memory) every few seconds. `/supervisor/staffing`: required agents per half hour
(Erlang, `services/wfm.py`) against the team's agents. `/supervisor/what-if`: a built-in
scenario through the digital twin, with its plot.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import NowDep, UowDep
from teamline.api.errors import status_of
from teamline.domain.errors import TeamlineError
from teamline.domain.quality import Month
from teamline.services import wall as wall_service
from teamline.services.care_policies import CarePolicies
from teamline.services.cases import breached_cases
from teamline.services.discretion import approve_request, decline_request, pending_requests
from teamline.services.orders import breached_orders
from teamline.services.quality import review_queue
from teamline.services.scorecards import scores
from teamline.services.twin import BuiltinScenario
from teamline.services.unlocks import overdue_unlocks
from teamline.services.wfm import team_forecast
from teamline.services.what_if import what_if
from teamline.web.agent import live_router
from teamline.web.agent_care import case_policy
from teamline.web.csrf import require_csrf
from teamline.web.render import SupervisorUser, problem, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SLOTS_PER_DAY = 48
WHAT_IF_MAX_HOURS = 8.0
QA_MONTHS = 3


def _policies(request: Request) -> CarePolicies:
    policies = getattr(request.app.state, "care_policies", None)
    return policies if isinstance(policies, CarePolicies) else CarePolicies()


@router.get("/supervisor")
def wall_page(request: Request, user: SupervisorUser, uow: UowDep, now: NowDep) -> Response:
    context = {
        "wall": wall_service.wall(uow, live_router(request), user, now),
        "pending": pending_requests(uow, user),
        "breached": breached_orders(uow, user, now),
        "breached_cases": breached_cases(uow, user, case_policy(request), now),
        "overdue_unlocks": overdue_unlocks(uow, user, now),
    }
    return render(request, "supervisor/wall.html", context)


@router.get("/supervisor/live")
def wall_live(request: Request, user: SupervisorUser, uow: UowDep, now: NowDep) -> Response:
    """The live table alone, for the wall's script to swap in."""
    context = {"wall": wall_service.wall(uow, live_router(request), user, now)}
    return render(request, "supervisor/live.html", context)


@router.post("/supervisor/requests/{request_id}/{decision}")
def decide(
    request: Request,
    user: SupervisorUser,
    uow: UowDep,
    now: NowDep,
    request_id: str,
    decision: str,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if decision not in ("approve", "decline"):
        return problem(request, "decide with approve or decline", 404)
    decide_with = approve_request if decision == "approve" else decline_request
    try:
        decide_with(uow, user, request_id, note, now, _policies(request))
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return RedirectResponse("/supervisor#approvals", 303)


@router.get("/supervisor/staffing")
def staffing(
    request: Request, user: SupervisorUser, uow: UowDep, now: NowDep, team: str = ""
) -> Response:
    teams = wall_service.wall(uow, live_router(request), user, now).teams
    chosen = team or next((t.team_id for t in teams if t.kind == "regional"), "")
    try:
        forecast = team_forecast(
            uow, user, chosen, now, live_router(request).workflow.handle_seconds
        )
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    local = now.astimezone(forecast.team.zone)
    first = local.weekday() * SLOTS_PER_DAY
    today = list(range(first, first + SLOTS_PER_DAY))
    rows = [(forecast.slots[i], forecast.total_required_agents[i]) for i in today]
    peak = max([r for _, r in rows] + [forecast.agents_on_team, 1])
    staffed_now = next((t for t in teams if t.team_id == chosen), None)
    context = {
        "teams": teams,
        "chosen": chosen,
        "forecast": forecast,
        "rows": rows,
        "peak": peak,
        "staffed_now": staffed_now,
        "now_slot": forecast.slots[first + (local.hour * 60 + local.minute) // 30],
    }
    return render(request, "supervisor/staffing.html", context)


def _months_back(now: datetime, count: int) -> list[Month]:
    year, month = now.year, now.month
    months = []
    for _ in range(count):
        months.append(Month(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@router.get("/supervisor/quality")
def quality(request: Request, user: SupervisorUser, uow: UowDep, now: NowDep) -> Response:
    """This month's QA review queue, and the mean review scores per team over three months."""
    months = _months_back(now, QA_MONTHS)
    context = {
        "month": months[-1],
        "queue": review_queue(uow, user, months[-1]),
        "scores": scores(uow, user, "team", months, None),
        "months": [str(m) for m in months],
    }
    return render(request, "supervisor/quality.html", context)


@router.get("/supervisor/what-if")
def what_if_form(request: Request, user: SupervisorUser) -> Response:
    context = {"scenarios": list(BuiltinScenario), "result": None, "chosen": "storm"}
    return render(request, "supervisor/what_if.html", context)


@router.post("/supervisor/what-if")
def what_if_run(
    request: Request,
    user: SupervisorUser,
    scenario: Annotated[str, Form(max_length=40)] = "storm",
    seed: Annotated[int, Form(ge=0, le=2**31 - 1)] = 1,
    hours: Annotated[float, Form(gt=0, le=WHAT_IF_MAX_HOURS)] = 4.0,
) -> Response:
    if scenario not in set(BuiltinScenario):
        names = ", ".join(BuiltinScenario)
        return problem(request, f"a scenario is one of {names}", 422)
    settings = request.app.state.settings
    try:
        result = what_if(
            user, BuiltinScenario(scenario), seed, hours, settings.simulation_max_contacts
        )
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    context = {
        "scenarios": list(BuiltinScenario),
        "chosen": scenario,
        "seed": seed,
        "hours": hours,
        "result": result.report,
        "plot": "data:image/png;base64," + base64.b64encode(result.png).decode(),
    }
    return render(request, "supervisor/what_if.html", context)
