"""Contacts and the router over HTTP: open a contact, see the wait, take a callback; agents set
their presence, accept or decline offers and complete their work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.callbacks import PolicyDep
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.api.schemas import FromDomain, Strict
from teamline.domain.enums import AgentLevel, Channel, Role
from teamline.domain.recordings import MAX_CALL_SECONDS, Recording, RecordingSegment, SegmentKind
from teamline.services import callbacks, contacts, voice
from teamline.services.contacts import Activity, ContactKind, Decision
from teamline.services.router import Router

router = APIRouter(tags=["contacts"])


def get_router(request: Request) -> Router:
    live: Router = request.app.state.router
    return live


RouterDep = Annotated[Router, Depends(get_router)]


class ContactIn(Strict):
    customer_id: str = Field(min_length=1, max_length=40)
    channel: Channel
    first_words: str = Field(default="", max_length=2000)
    level: AgentLevel = AgentLevel.FRONTLINE
    kind: ContactKind = ContactKind.INBOUND
    scheduled_for: datetime | None = None


class ActivityIn(Strict):
    activity: Activity


class EstimateOut(FromDomain):
    seconds: float | None
    low: float | None
    high: float | None
    position: int
    serving_agents: int
    offer_callback: bool


class ContactStatusOut(BaseModel):
    id: str
    customer_id: str
    channel: str
    state: str
    agent_id: str | None
    estimate: EstimateOut | None

    @classmethod
    def of(cls, s: contacts.ContactStatus) -> ContactStatusOut:
        estimate = None
        if s.estimate is not None:
            finite = {k: _finite(getattr(s.estimate, k)) for k in ("seconds", "low", "high")}
            estimate = EstimateOut(
                **finite,
                position=s.estimate.position,
                serving_agents=s.estimate.serving_agents,
                offer_callback=s.estimate.offer_callback,
            )
        return cls(
            id=s.id,
            customer_id=s.customer_id,
            channel=s.channel,
            state=s.state,
            agent_id=s.agent_id,
            estimate=estimate,
        )


def _finite(x: float) -> float | None:
    """No agent could serve it now: the wait is unknown, said as null rather than infinity."""
    return None if x == float("inf") else round(x, 1)


class DecisionOut(FromDomain):
    kind: str
    at: datetime
    contact_id: str | None
    agent_id: str | None
    team_id: str | None
    step: str | None
    reasons: list[str]


def decisions_out(decisions: list[Decision]) -> list[DecisionOut]:
    return [DecisionOut.model_validate(d) for d in decisions]


@router.post(
    "/contacts",
    response_model=ContactStatusOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def open_contact(
    body: ContactIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    live: RouterDep,
    now: NowDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """A customer reaches their team (or staff log a contact for them). A retry with the same
    `Idempotency-Key` gets the first answer and opens nothing more."""
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: contacts.open_contact(
            uow, live, user, body.customer_id, body.channel, now,
            first_words=body.first_words, level=body.level, kind=body.kind,
            scheduled_for=body.scheduled_for, idempotency=claim,
        ),
        out=ContactStatusOut.of,
        replay=lambda contact_id: contacts.contact_status(uow, live, user, contact_id, now),
    )  # fmt: skip


@router.get(
    "/contacts/{contact_id}",
    response_model=ContactStatusOut,
    **access(*EVERYONE, scope="customer"),
)
def contact_status(
    contact_id: str, user: CurrentUser, uow: UowDep, live: RouterDep, now: NowDep
) -> ContactStatusOut:
    """Where the contact stands; while waiting: estimated wait, its band, position, and
    whether to offer a callback instead of holding."""
    return ContactStatusOut.of(contacts.contact_status(uow, live, user, contact_id, now))


@router.post(
    "/contacts/{contact_id}/callback",
    response_model=ContactStatusOut,
    **access(*EVERYONE, scope="customer"),
)
def callback(
    contact_id: str,
    user: CurrentUser,
    uow: UowDep,
    live: RouterDep,
    now: NowDep,
    policy: PolicyDep,
) -> ContactStatusOut:
    """Stop holding and be called back at the customer's number, keeping the place in line."""
    return ContactStatusOut.of(callbacks.request_callback(uow, live, user, contact_id, now, policy))


@router.post(
    "/contacts/{contact_id}/hang-up",
    response_model=list[DecisionOut],
    **access(*EVERYONE, scope="customer"),
)
def hang_up(
    contact_id: str, user: CurrentUser, uow: UowDep, live: RouterDep, now: NowDep
) -> list[DecisionOut]:
    return decisions_out(contacts.hang_up(uow, live, user, contact_id, now))


@router.post(
    "/agents/me/activity",
    status_code=status.HTTP_204_NO_CONTENT,
    **access(Role.AGENT, Role.SUPERVISOR),
)
def set_activity(body: ActivityIn, user: CurrentUser, live: RouterDep, now: NowDep) -> None:
    contacts.set_my_activity(live, user, body.activity, now)


@router.post(
    "/offers/{contact_id}/accept",
    response_model=list[DecisionOut],
    **access(Role.AGENT, Role.SUPERVISOR, scope="customer"),
)
def accept(contact_id: str, user: CurrentUser, live: RouterDep, now: NowDep) -> list[DecisionOut]:
    return decisions_out(contacts.accept_offer(live, user, contact_id, now))


@router.post(
    "/offers/{contact_id}/reject",
    response_model=list[DecisionOut],
    **access(Role.AGENT, Role.SUPERVISOR, scope="customer"),
)
def reject(contact_id: str, user: CurrentUser, live: RouterDep, now: NowDep) -> list[DecisionOut]:
    return decisions_out(contacts.reject_offer(live, user, contact_id, now))


@router.post(
    "/contacts/{contact_id}/complete",
    response_model=list[DecisionOut],
    **access(Role.AGENT, Role.SUPERVISOR, scope="customer"),
)
def complete(contact_id: str, user: CurrentUser, live: RouterDep, now: NowDep) -> list[DecisionOut]:
    return decisions_out(contacts.complete_contact(live, user, contact_id, now))


# ---- calls ---------------------------------------------------------------------------------


class CallContactOut(BaseModel):
    id: str
    customer_id: str
    channel: str
    state: str  # the routing state: new, queued, offered, assigned, completed, abandoned...
    human_required: bool
    agent_id: str | None
    team_id: str | None
    created_at: datetime
    call_sid: str | None


class SegmentIn(Strict):
    kind: SegmentKind
    start: float = Field(ge=0, le=MAX_CALL_SECONDS)  # seconds from the recording's start
    end: float = Field(gt=0, le=MAX_CALL_SECONDS)


class SegmentsIn(Strict):
    segments: list[SegmentIn] = Field(min_length=1, max_length=50)


class RecordingOut(BaseModel):
    id: str
    contact_id: str
    reference: str | None  # the provider's media URL; null until the provider reports it
    duration_seconds: int
    segments: list[SegmentIn]

    @classmethod
    def of(cls, recording: Recording) -> RecordingOut:
        return cls(
            id=recording.id,
            contact_id=recording.contact_id,
            reference=recording.reference or None,
            duration_seconds=recording.duration_seconds,
            segments=[SegmentIn(kind=s.kind, start=s.start, end=s.end) for s in recording.segments],
        )


@router.get(
    "/contacts",
    response_model=CallContactOut,
    **access(*SUPERVISORS),
)
def contact_of_call(
    call_sid: Annotated[str, Query(pattern=r"^CA[0-9a-fA-F]{32}$")],
    user: CurrentUser,
    uow: UowDep,
) -> CallContactOut:
    """The contact a phone call made (supervisors and admins), by the provider's CallSid."""
    c = voice.contact_of_call(uow, user, call_sid)
    return CallContactOut(
        id=c.id, customer_id=c.customer_id, channel=c.channel.value, state=c.state.value,
        human_required=c.human_required, agent_id=c.agent_id, team_id=c.team_id,
        created_at=c.created_at, call_sid=c.external_ref,
    )  # fmt: skip


@router.post(
    "/contacts/{contact_id}/recording-segments",
    response_model=RecordingOut,
    **access(*STAFF, scope="customer"),
)
def mark_recording(
    contact_id: str, body: SegmentsIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> RecordingOut:
    """The agent's desktop marks where the caller was on hold or the agent muted (the agent on
    the call, or a supervisor); a repeated report adds nothing twice."""
    segments = [RecordingSegment(s.start, s.end, s.kind) for s in body.segments]
    return RecordingOut.of(voice.mark_recording(uow, user, contact_id, segments, now))


@router.get(
    "/contacts/{contact_id}/recording",
    response_model=RecordingOut,
    **access(*STAFF, scope="customer", audit="recording.access"),
)
def recording(contact_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> RecordingOut:
    """A call's recording reference with its hold and mute segments (staff; audited)."""
    return RecordingOut.of(voice.recording_of(uow, user, contact_id, now))
