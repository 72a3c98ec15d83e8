"""Workforce use cases: a staffing answer, a team's forecast with the staff each half hour needs,
and a customer's best time to call (DOMAIN.md section 8; issue 4).

Staffing answers and team forecasts are for supervisors and admins; the best time to call is for
the customer themself and for staff. Forecasts are built on request from the last
`HISTORY_WEEKS` weeks of the team's contacts (`store/history.py`); nothing is stored.

Handle times: a contact's is `ended_at - assigned_at` where both are known; where the history has
none (the demo's, or a channel never answered live) the routing workflow's handle time of the
channel's capacity class is the default (`Workflow.handle_seconds`).

Which agents are rostered for the best time to call: nothing in Teamline records shifts yet, so
the roster is the team as it stands, every agent of the home team counted for every open slot
with their capacity for the channel (a call takes a whole agent, a chat one of three seats).
That overstates the staff at the edges of the day; the ranking still follows the forecast load,
and a real roster plugs into `best_times(roster=...)` as a function of the slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from teamline.domain.customers import Customer
from teamline.domain.enums import Channel, TeamKind
from teamline.domain.errors import InvalidInput, NotFound
from teamline.domain.organisation import DEFAULT_CAPACITY, Team
from teamline.domain.users import User
from teamline.services.access import access_customer, require_planner
from teamline.store.history import contact_history
from teamline.store.uow import UnitOfWork
from teamline.wfm.best_time import SlotWait, WaitBands, best_times
from teamline.wfm.forecast import (
    SLOTS_PER_WEEK,
    ContactRecord,
    Forecast,
    StaffingTargets,
    forecast_arrivals,
    required_staff,
    slot_name,
)
from teamline.wfm.interval import IntervalPlan, plan_interval

HISTORY_WEEKS = 8
# the channels where a contact queues for seconds, and the work that takes the same seat: a call
# waits behind callbacks and scheduled calls as well as other calls
QUEUED: Mapping[Channel, tuple[Channel, ...]] = {
    Channel.VOICE: (Channel.VOICE, Channel.CALLBACK, Channel.SCHEDULED_CALL),
    Channel.CHAT: (Channel.CHAT,),
}
DEFAULT_HANDLE_S = 300.0  # for a capacity class the workflow gives no handle time


@dataclass(frozen=True)
class StaffingQuestion:
    arrivals_per_hour: float
    aht_s: float
    target_sl: float = 0.8
    within_s: float = 20.0
    patience_s: float | None = None
    max_occupancy: float | None = None


@dataclass(frozen=True)
class ChannelForecast:
    """One channel's week, slot by slot. `required_agents` is the Erlang answer for channels
    that queue (voice, chat; a chat agent holds several chats); None for work answered within
    hours rather than seconds, which needs its average load only."""

    channel: Channel
    arrivals_per_hour: list[float]
    aht_s: list[float]
    load_erlangs: list[float]
    required_agents: list[int] | None


@dataclass(frozen=True)
class TeamForecast:
    team: Team
    until: datetime
    weeks: int
    slots: list[str]  # "mon 09:00" ... in the team's time zone
    channels: list[ChannelForecast]
    total_required_agents: list[int]
    agents_on_team: int


@dataclass(frozen=True)
class BestTime:
    customer_id: str
    team: Team
    channel: Channel
    agents_rostered: int
    slots: list[SlotWait]  # best first


def handle_defaults(handle_seconds: Mapping[str, float]) -> dict[Channel, float]:
    """Each channel's default handle time: the workflow's for its capacity class."""
    return {
        ch: float(handle_seconds.get(ch.capacity_class.value, DEFAULT_HANDLE_S)) for ch in Channel
    }


def staffing(actor: User, question: StaffingQuestion) -> IntervalPlan:
    """How many agents one interval needs, and what they achieve."""
    require_planner(actor, "ask for staffing")
    return plan_interval(
        question.arrivals_per_hour,
        question.aht_s,
        target_sl=question.target_sl,
        within_s=question.within_s,
        patience_s=question.patience_s,
        max_occupancy=question.max_occupancy,
    )


def _forecast(
    uow: UnitOfWork, team: Team, now: datetime, handle_seconds: Mapping[str, float]
) -> Forecast:
    since = now - timedelta(weeks=HISTORY_WEEKS)
    records = []
    for row in contact_history(uow.session, since, now, team.id):
        try:
            channel = Channel(row.channel)
        except ValueError:
            continue  # a channel this version does not know: not part of any forecast
        handle = None
        if row.assigned_at is not None and row.ended_at is not None:
            handle = (row.ended_at - row.assigned_at).total_seconds()
        records.append(ContactRecord(team.id, channel, row.created_at, handle))
    return forecast_arrivals(records, {team.id: team.zone}, now, handle_defaults(handle_seconds))


def team_forecast(
    uow: UnitOfWork,
    actor: User,
    team_id: str,
    now: datetime,
    handle_seconds: Mapping[str, float],
    patience_s: float | None = None,
) -> TeamForecast:
    """A team's arrivals, handle times and required agents per half hour of the week, for the
    team's own service-level target."""
    require_planner(actor, "read team forecasts")
    with uow:
        team = uow.organisation.team(team_id)
        if team is None:
            raise NotFound(f"team {team_id!r} not found")
        headcount = len(uow.organisation.agents_of(team.id))
        forecast = _forecast(uow, team, now, handle_seconds)
    targets = StaffingTargets(
        team.service_level_target if team.service_level_target < 1.0 else 0.99,
        float(team.service_level_seconds),
        patience_s,
    )
    queued = [i for i, (_, ch) in enumerate(forecast.keys) if ch in QUEUED]
    staff = required_staff(forecast, targets, queued)
    total = np.zeros(SLOTS_PER_WEEK)
    deferrable = np.zeros(SLOTS_PER_WEEK)
    channels = []
    for i, (_, channel) in enumerate(forecast.keys):
        lam, aht = forecast.arrivals_per_hour[i], forecast.aht_s[i]
        load = lam * aht / 3600.0
        required = None
        if i in queued:
            seats = staff[queued.index(i)]
            per_agent = DEFAULT_CAPACITY[channel.capacity_class]
            agents = np.ceil(seats / per_agent).astype(np.int64)
            total += agents
            required = [int(x) for x in agents]
        else:
            deferrable += load
        channels.append(
            ChannelForecast(
                channel,
                [round(float(x), 4) for x in lam],
                [round(float(x), 1) for x in aht],
                [round(float(x), 4) for x in load],
                required,
            )
        )
    # work answered within hours needs its average load in agents, not a queueing buffer
    total += np.ceil(deferrable - 1e-9)
    return TeamForecast(
        team,
        now,
        int(forecast.weeks.max()) if forecast.keys else 0,
        [slot_name(s) for s in range(SLOTS_PER_WEEK)],
        sorted(channels, key=lambda c: list(Channel).index(c.channel)),
        [int(x) for x in total],
        headcount,
    )


def _serving_team(uow: UnitOfWork, customer: Customer) -> Team:
    """The team a customer's call reaches in its hours: the home team, or the national pool for
    a customer who opted out of a dedicated team (DOMAIN.md section 1)."""
    team = None
    if customer.opted_out:
        team = next((t for t in uow.organisation.teams() if t.kind is TeamKind.NATIONAL_POOL), None)
    elif customer.home_team_id is not None:
        team = uow.organisation.team(customer.home_team_id)
    if team is None:
        raise NotFound(f"customer {customer.id!r} has no team yet")
    return team


def best_time_to_call(
    uow: UnitOfWork,
    actor: User,
    customer_id: str,
    channel: Channel,
    now: datetime,
    handle_seconds: Mapping[str, float],
    *,
    hours_ahead: int = 48,
    slot_minutes: int = 60,
) -> BestTime:
    """The coming open hours of the customer's team, ranked by predicted wait on `channel`."""
    if channel not in QUEUED:
        names = ", ".join(c.value for c in QUEUED)
        raise InvalidInput("channel", f"the best time to call is for channels that queue: {names}")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        team = _serving_team(uow, customer)
        agents = uow.organisation.agents_of(team.id)
        forecast = _forecast(uow, team, now, handle_seconds)
    seats = sum(a.capacity.get(channel.capacity_class, 0) for a in agents)
    slots = best_times(
        forecast,
        team.id,
        QUEUED[channel],
        team.hours.for_segment(customer.segment.value),
        seats,
        now,
        horizon=timedelta(hours=hours_ahead),
        slot_minutes=slot_minutes,
        threshold_s=float(team.service_level_seconds),
        bands=WaitBands(target_sl=team.service_level_target),
    )
    return BestTime(customer.id, team, channel, seats, slots)
