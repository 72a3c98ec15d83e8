"""Cases, SLA clocks and the escalation ladder over HTTP (issue 7 items 1-2).

Staff open a case from a contact or for a customer (a customer may open their own), answer it,
wait on the customer (`/pause`, `/resume`), hand it up the ladder with a handoff note
(`/escalate`) and solve it. Supervisors list the open cases whose SLA is breached and may run the
sweep that raises warnings and breaches as events (the server runs it on every tick anyway). A
customer reads their own cases, states and deadlines, never an internal note; anyone else's case
answers 404.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import AwareDatetime, BaseModel, Field

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import Strict
from teamline.domain.case_steps import ISSUER_MAX, TEXT_MAX, Escalation, StepKind
from teamline.domain.cases import SUBJECT_MAX, CaseState
from teamline.domain.escalation import Level, Target
from teamline.domain.sla import ClockKind, ClockStatus
from teamline.domain.sla_policy import Priority
from teamline.services import cases, sla_sweep
from teamline.services.cases import CasePolicy, CaseView

router = APIRouter(tags=["cases"])
ID_FIELD = Field(min_length=1, max_length=40)


def _policy(request: Request) -> CasePolicy:
    policy: CasePolicy = request.app.state.case_policy
    return policy


class CaseIn(Strict):
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX)
    priority: Priority = Priority.NORMAL
    customer_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="staff: whose case"
    )
    contact_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="staff: open from this contact"
    )
    level: Level = Field(
        default=Level.FRONTLINE, description="frontline, social_care or executive_care"
    )
    note: str = Field(default="", max_length=TEXT_MAX)


class EscalateIn(Strict):
    """No field for the customer's attitude: a supervisor files the request regardless."""

    target: Target = Field(
        description="the next rung; 'supervisors_supervisor' reaches another supervisor"
    )
    handoff_note: str = Field(max_length=TEXT_MAX, description="the story, so nobody asks again")
    internal: bool = Field(default=True, description="false: the customer may read the note")
    assignee_agent_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="required for a lateral move"
    )
    request: str = Field(default="", max_length=TEXT_MAX, description="filed by the supervisor")
    regulator_id: str | None = Field(default=None, min_length=1, max_length=40)
    card_issuer: str | None = Field(default=None, min_length=1, max_length=ISSUER_MAX)
    issuer_deadline: AwareDatetime | None = None


class ReplyIn(Strict):
    from_customer: bool = Field(
        default=False, description="staff recording the customer's message (a call, a visit)"
    )
    awaiting_customer: bool = Field(default=False, description="the answer asks them something")
    note: str = Field(default="", max_length=TEXT_MAX)


class PauseIn(Strict):
    note: str = Field(default="", max_length=TEXT_MAX)


class SolveIn(Strict):
    resolution: str = Field(min_length=1, max_length=TEXT_MAX)


class ContactLinkIn(Strict):
    contact_id: str = ID_FIELD


class ClockOut(BaseModel):
    kind: ClockKind
    status: ClockStatus
    target_minutes: int = Field(description="business minutes (wall minutes for fixed deadlines)")
    due_at: datetime | None = Field(description="when it breaches; none while paused or met")
    stopped_at: datetime | None


class StepOut(BaseModel):
    at: datetime
    kind: StepKind
    level: Level
    from_level: Level | None
    actor_id: str | None
    assignee_agent_id: str | None
    note: str = Field(description="empty for a customer when the note is internal")
    internal: bool
    detail: str


class CaseOut(BaseModel):
    id: str
    customer_id: str
    subject: str
    priority: Priority
    state: CaseState
    level: Level
    team_id: str
    home_team_id: str
    assignee_agent_id: str | None
    regulator_id: str | None
    card_issuer: str | None
    filed_request: str
    resolution: str
    created_at: datetime
    updated_at: datetime | None
    clocks: list[ClockOut]
    breached: bool = Field(description="a clock is breached (or was met late), when read")
    contact_ids: list[str]
    contact_address: str | None = Field(description="the executive office's own inbox")
    steps: list[StepOut]

    @classmethod
    def of(cls, view: CaseView) -> CaseOut:
        c = view.case
        return cls(
            id=c.id,
            customer_id=c.customer_id,
            subject=c.subject,
            priority=c.priority,
            state=c.state,
            level=c.level,
            team_id=c.team_id,
            home_team_id=c.home_team_id,
            assignee_agent_id=c.assignee_agent_id,
            regulator_id=c.regulator_id,
            card_issuer=c.card_issuer,
            filed_request=c.filed_request,
            resolution=c.resolution,
            created_at=c.created_at,
            updated_at=c.updated_at,
            clocks=[ClockOut(**vars(k)) for k in view.clocks],
            breached=any(
                k.status in (ClockStatus.BREACHED, ClockStatus.MET_LATE) for k in view.clocks
            ),
            contact_ids=view.contact_ids,
            contact_address=view.contact_address,
            steps=[
                StepOut(
                    at=s.at,
                    kind=s.kind,
                    level=s.level,
                    from_level=s.from_level,
                    actor_id=s.actor_id,
                    assignee_agent_id=s.assignee_agent_id,
                    note=s.note,
                    internal=s.internal,
                    detail=s.detail,
                )
                for s in view.steps
            ],
        )


class SweepOut(BaseModel):
    cases: int
    alerts: int = Field(description="breach warnings and breaches raised by this pass")


@router.post(
    "/cases",
    response_model=CaseOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def open_case(
    body: CaseIn, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    """Open a case (a problem that may span several contacts) with its SLA clocks."""
    draft = cases.CaseDraft(
        body.subject, body.priority, body.customer_id, body.contact_id, body.level, body.note
    )
    return CaseOut.of(cases.open_case(uow, user, draft, _policy(request), now))


@router.get(
    "/cases/{case_id}",
    response_model=CaseOut,
    **access(*EVERYONE, scope="customer"),
)
def get_case(
    case_id: str, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    """A case, its clocks, deadlines and history (staff, or the customer it is for)."""
    return CaseOut.of(cases.get_case(uow, user, case_id, _policy(request), now))


@router.post(
    "/cases/{case_id}/contacts",
    response_model=CaseOut,
    **access(*STAFF, scope="customer"),
)
def link_contact(
    case_id: str, body: ContactLinkIn, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    """Another contact of the customer about the same problem joins the case (staff)."""
    policy = _policy(request)
    return CaseOut.of(cases.link_contact(uow, user, case_id, body.contact_id, policy, now))


@router.post(
    "/cases/{case_id}/replies",
    response_model=CaseOut,
    **access(*EVERYONE, scope="customer"),
)
def reply(
    case_id: str, body: ReplyIn, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    """Staff answered (first or next response met), or the customer wrote (next response owed;
    a case waiting on them resumes, a solved one opens again; a closed one answers 409)."""
    view = cases.reply(
        uow, user, case_id, _policy(request), now,
        from_customer=body.from_customer, awaiting_customer=body.awaiting_customer, note=body.note,
    )  # fmt: skip
    return CaseOut.of(view)


@router.post(
    "/cases/{case_id}/pause",
    response_model=CaseOut,
    **access(*STAFF, scope="customer"),
)
def pause(
    case_id: str, body: PauseIn, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    """Waiting on the customer: the SLA clocks stop (statutory and issuer deadlines do not)."""
    return CaseOut.of(cases.pause_case(uow, user, case_id, body.note, _policy(request), now))


@router.post(
    "/cases/{case_id}/resume",
    response_model=CaseOut,
    **access(*STAFF, scope="customer"),
)
def resume(case_id: str, request: Request, user: CurrentUser, uow: UowDep, now: NowDep) -> CaseOut:
    return CaseOut.of(cases.resume_case(uow, user, case_id, _policy(request), now))


@router.post(
    "/cases/{case_id}/escalate",
    response_model=CaseOut,
    **access(*STAFF, scope="customer"),
)
def escalate(
    case_id: str, body: EscalateIn, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    """Hand the case up the ladder (or to another supervisor) with a handoff note; the new rung
    brings its own SLA. Regulator complaints name the regulator, chargebacks the issuer and its
    deadline."""
    move = Escalation(
        body.target, body.handoff_note, body.internal, body.assignee_agent_id, body.request,
        body.regulator_id, body.card_issuer, body.issuer_deadline,
    )  # fmt: skip
    return CaseOut.of(cases.escalate_case(uow, user, case_id, move, _policy(request), now))


@router.post(
    "/cases/{case_id}/solve",
    response_model=CaseOut,
    **access(*STAFF, scope="customer"),
)
def solve(
    case_id: str, body: SolveIn, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> CaseOut:
    return CaseOut.of(cases.solve_case(uow, user, case_id, body.resolution, _policy(request), now))


@router.post(
    "/cases/{case_id}/close",
    response_model=CaseOut,
    **access(*STAFF, scope="customer"),
)
def close(case_id: str, request: Request, user: CurrentUser, uow: UowDep, now: NowDep) -> CaseOut:
    """Close a solved case (staff); any other state answers 409."""
    return CaseOut.of(cases.close_case(uow, user, case_id, _policy(request), now))


@router.get(
    "/customers/{customer_id}/cases",
    response_model=list[CaseOut],
    **access(*EVERYONE, scope="customer"),
)
def customer_cases(
    customer_id: str, request: Request, user: CurrentUser, uow: UowDep, now: NowDep
) -> list[CaseOut]:
    """A customer's cases, newest first (staff, or the customer themself)."""
    views = cases.customer_cases(uow, user, customer_id, _policy(request), now)
    return [CaseOut.of(v) for v in views]


@router.get(
    "/sla/breaches",
    response_model=list[CaseOut],
    **access(*SUPERVISORS),
)
def breaches(request: Request, user: CurrentUser, uow: UowDep, now: NowDep) -> list[CaseOut]:
    """Open cases with a breached SLA clock, oldest first (supervisors, admins)."""
    return [CaseOut.of(v) for v in cases.breached_cases(uow, user, _policy(request), now)]


@router.post(
    "/sla/sweep",
    response_model=SweepOut,
    **access(*SUPERVISORS),
)
def sweep(request: Request, user: CurrentUser, now: NowDep) -> SweepOut:
    """Raise due breach warnings and breaches now, once each (supervisors, admins)."""
    result = sla_sweep.sweep_now(request.app.state.new_uow, user, now)
    return SweepOut(cases=result.cases, alerts=result.alerts)
