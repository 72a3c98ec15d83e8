"""Callbacks and scheduled calls over HTTP: book a call for a chosen time, see a callback's
progress (DOMAIN.md section 1: "No waiting on hold"). A callback instead of holding is asked at
`POST /contacts/{id}/callback` (api/contacts.py); both make a job the runner dials."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import AwareDatetime, BaseModel, Field

from teamline.api.access_policy import EVERYONE, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import Strict
from teamline.services import callbacks
from teamline.services.callbacks import CallbackJob, CallbackPolicy
from teamline.services.router import Router

router = APIRouter(tags=["callbacks"])


def get_policy(request: Request) -> CallbackPolicy:
    policy: CallbackPolicy = request.app.state.callbacks.policy
    return policy


def _router(request: Request) -> Router:
    live: Router = request.app.state.router
    return live


PolicyDep = Annotated[CallbackPolicy, Depends(get_policy)]
LiveDep = Annotated[Router, Depends(_router)]


class ScheduledCallIn(Strict):
    customer_id: str = Field(min_length=1, max_length=40)
    at: AwareDatetime  # the time the customer chose; the booking may move it (see `moved`)
    phone: str | None = Field(default=None, max_length=40)  # else the customer's own number
    agent_id: str | None = Field(default=None, max_length=40)  # else who last helped them


class CallbackJobOut(BaseModel):
    id: str
    contact_id: str
    customer_id: str
    state: str
    due_at: datetime
    attempts: int
    max_attempts: int
    outcome: str
    preferred_agent_id: str | None

    @classmethod
    def of(cls, job: CallbackJob) -> CallbackJobOut:
        return cls(
            id=job.id,
            contact_id=job.contact_id,
            customer_id=job.customer_id,
            state=job.state.value,
            due_at=job.due_at,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            outcome=job.outcome,
            preferred_agent_id=job.preferred_agent_id,
        )


class ScheduledCallOut(BaseModel):
    job: CallbackJobOut
    scheduled_for: datetime
    agent_id: str | None  # the agent booked, if the preferred one was free
    moved: bool  # not at the time asked (rounded to a quarter hour, after hours, or full)
    team_id: str


@router.post(
    "/scheduled-calls",
    response_model=ScheduledCallOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def schedule_call(
    body: ScheduledCallIn,
    user: CurrentUser,
    uow: UowDep,
    live: LiveDep,
    now: NowDep,
    policy: PolicyDep,
) -> ScheduledCallOut:
    """A customer (for themselves) or staff book a call in the first free quarter hour at or
    after `at` within the team's hours, with the preferred agent when they are free."""
    booked = callbacks.schedule_call(
        uow, live, user, body.customer_id, body.at, now, policy,
        phone=body.phone, agent_id=body.agent_id,
    )  # fmt: skip
    return ScheduledCallOut(
        job=CallbackJobOut.of(booked.job),
        scheduled_for=booked.slot.start,
        agent_id=booked.slot.agent_id,
        moved=booked.slot.moved,
        team_id=booked.team_id,
    )


@router.get(
    "/callbacks/{job_id}",
    response_model=CallbackJobOut,
    **access(*EVERYONE, scope="customer"),
)
def callback_job(job_id: str, user: CurrentUser, uow: UowDep) -> CallbackJobOut:
    """A callback's or scheduled call's progress: attempts, outcome, next try."""
    return CallbackJobOut.of(callbacks.callback_job(uow, user, job_id))
