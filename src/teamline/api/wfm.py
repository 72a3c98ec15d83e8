"""Workforce planning over HTTP: a staffing answer and a team's forecast (supervisors, admins),
and the best time to call (the customer themself, or staff)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from teamline.api.access_policy import EVERYONE, SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.domain.enums import Channel, Role
from teamline.domain.errors import NotFound
from teamline.services import wfm
from teamline.services.router import Router

router = APIRouter(tags=["workforce"])

Seconds = Annotated[float, Query(ge=1.0, le=86_400.0, allow_inf_nan=False)]
Patience = Annotated[
    float | None,
    Query(ge=1.0, le=86_400.0, allow_inf_nan=False, description="mean patience: Erlang A"),
]
QueuedChannel = Literal["voice", "chat"]


def get_handle_seconds(request: Request) -> Mapping[str, float]:
    """The live workflow's handle time per capacity class: the forecast's default."""
    live: Router = request.app.state.router
    return live.workflow.handle_seconds


HandleDep = Annotated[Mapping[str, float], Depends(get_handle_seconds)]


def _finite(x: float) -> float | None:
    """An infinite wait (more work than agents) is said as null."""
    return None if x == float("inf") else x


class StaffingOut(BaseModel):
    model: Literal["erlang_c", "erlang_a"]
    agents: int
    load_erlangs: float
    service_level: float
    asa_seconds: float | None
    p_wait: float
    p_abandon: float
    occupancy: float


class ChannelForecastOut(BaseModel):
    channel: Channel
    arrivals_per_hour: list[float]
    aht_seconds: list[float]
    load_erlangs: list[float]
    required_agents: list[int] | None


class TeamForecastOut(BaseModel):
    team_id: str
    team_name: str
    timezone: str
    until: datetime
    weeks: int
    service_level_target: float
    service_level_seconds: int
    agents_on_team: int
    slots: list[str]
    total_required_agents: list[int]
    channels: list[ChannelForecastOut]


class BestSlotOut(BaseModel):
    start: datetime
    end: datetime
    label: Literal["quiet", "normal", "busy", "very_busy"]
    predicted_wait_seconds: float | None
    p_wait: float
    service_level: float
    arrivals_per_hour: float


class BestTimeOut(BaseModel):
    customer_id: str
    team_id: str
    team_name: str
    timezone: str
    channel: QueuedChannel
    slots: list[BestSlotOut]


@router.get(
    "/staffing",
    response_model=StaffingOut,
    **access(*SUPERVISORS),
)
def staffing(
    user: CurrentUser,
    arrivals_per_hour: Annotated[float, Query(ge=0.0, le=10_000_000.0, allow_inf_nan=False)],
    aht_seconds: Seconds,
    target_sl: Annotated[float, Query(gt=0.0, lt=1.0, allow_inf_nan=False)] = 0.8,
    within_seconds: Annotated[float, Query(ge=0.0, le=86_400.0, allow_inf_nan=False)] = 20.0,
    patience_seconds: Patience = None,
    max_occupancy: Annotated[float | None, Query(gt=0.0, le=1.0, allow_inf_nan=False)] = None,
) -> StaffingOut:
    """The fewest agents for one interval meeting the service level (share of all arrivals
    answered within `within_seconds`) and the occupancy ceiling; Erlang A with a patience."""
    question = wfm.StaffingQuestion(
        arrivals_per_hour, aht_seconds, target_sl, within_seconds, patience_seconds, max_occupancy
    )
    plan = wfm.staffing(user, question)
    return StaffingOut(
        model="erlang_a" if plan.model == "erlang_a" else "erlang_c",
        agents=plan.agents,
        load_erlangs=plan.load_erlangs,
        service_level=plan.service_level,
        asa_seconds=_finite(plan.asa_s),
        p_wait=plan.p_wait,
        p_abandon=plan.p_abandon,
        occupancy=plan.occupancy,
    )


@router.get(
    "/teams/{team_id}/forecast",
    response_model=TeamForecastOut,
    **access(*SUPERVISORS),
)
def team_forecast(
    team_id: str,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    handle: HandleDep,
    patience_seconds: Patience = None,
) -> TeamForecastOut:
    """Arrivals, handle time and required agents per half hour of the week (slot 0 is Monday
    00:00 in the team's time zone), from the last eight weeks of the team's contacts."""
    plan = wfm.team_forecast(uow, user, team_id, now, handle, patience_seconds)
    return TeamForecastOut(
        team_id=plan.team.id,
        team_name=plan.team.name,
        timezone=plan.team.timezone,
        until=plan.until,
        weeks=plan.weeks,
        service_level_target=plan.team.service_level_target,
        service_level_seconds=plan.team.service_level_seconds,
        agents_on_team=plan.agents_on_team,
        slots=plan.slots,
        total_required_agents=plan.total_required_agents,
        channels=[
            ChannelForecastOut(
                channel=c.channel,
                arrivals_per_hour=c.arrivals_per_hour,
                aht_seconds=c.aht_s,
                load_erlangs=c.load_erlangs,
                required_agents=c.required_agents,
            )
            for c in plan.channels
        ],
    )


Hours = Annotated[int, Query(ge=1, le=168, description="how far ahead to look")]
SlotMinutes = Annotated[int, Query(ge=30, le=60, multiple_of=30)]


def _best_time(answer: wfm.BestTime) -> BestTimeOut:
    return BestTimeOut(
        customer_id=answer.customer_id,
        team_id=answer.team.id,
        team_name=answer.team.name,
        timezone=answer.team.timezone,
        channel="chat" if answer.channel is Channel.CHAT else "voice",
        slots=[
            BestSlotOut(
                start=s.start,
                end=s.end,
                label=s.label.value,
                predicted_wait_seconds=_finite(round(s.asa_s, 1)),
                p_wait=s.p_wait,
                service_level=s.service_level,
                arrivals_per_hour=round(s.arrivals_per_hour, 3),
            )
            for s in answer.slots
        ],
    )


@router.get(
    "/me/best-time",
    response_model=BestTimeOut,
    **access(Role.CUSTOMER),
)
def my_best_time(
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    handle: HandleDep,
    channel: QueuedChannel = "voice",
    hours: Hours = 48,
    slot_minutes: SlotMinutes = 60,
) -> BestTimeOut:
    """The signed-in customer's best time to call: their team's coming open hours, the
    shortest predicted wait first, each labelled quiet, normal, busy or very busy."""
    if user.customer_id is None:
        raise NotFound("this login has no customer record: ask for a customer's best time")
    return _best_time(
        wfm.best_time_to_call(
            uow, user, user.customer_id, Channel(channel), now, handle,
            hours_ahead=hours, slot_minutes=slot_minutes,
        )
    )  # fmt: skip


@router.get(
    "/customers/{customer_id}/best-time",
    response_model=BestTimeOut,
    **access(*EVERYONE, scope="customer"),
)
def customer_best_time(
    customer_id: str,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    handle: HandleDep,
    channel: QueuedChannel = "voice",
    hours: Hours = 48,
    slot_minutes: SlotMinutes = 60,
) -> BestTimeOut:
    """A customer's best time to call, as staff (or the customer) see it."""
    return _best_time(
        wfm.best_time_to_call(
            uow, user, customer_id, Channel(channel), now, handle,
            hours_ahead=hours, slot_minutes=slot_minutes,
        )
    )  # fmt: skip
