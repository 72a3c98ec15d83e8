"""Quality review over HTTP (DOMAIN.md 7; issue 7 item 3): sampling, the review queue,
complaints and scores. Staff only: customers are refused, and an agent sees their own samples
and scores; anything else answers 404. Scorecards, reviews and calibrations are in
`api/qa_reviews.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field

from teamline.api.access_policy import STAFF, SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import Strict
from teamline.domain.errors import InvalidInput
from teamline.domain.organisation import zone_of
from teamline.domain.quality import Month, parse_month
from teamline.domain.recordings import SegmentKind
from teamline.services import quality
from teamline.services import scorecards as reviews
from teamline.services.quality import NOTE_MAX, SEED_MAX

router = APIRouter(tags=["quality review"])
MONTH = r"^\d{4}-\d{2}$"
TREND_MONTHS_MAX = 24


def company_zone(request: Request) -> ZoneInfo:
    """The zone QA months and weeks are counted in (TEAMLINE_COMPANY_TIMEZONE)."""
    return zone_of(request.app.state.settings.company_timezone)


ZoneDep = Annotated[ZoneInfo, Depends(company_zone)]
MonthQuery = Annotated[str, Query(pattern=MONTH, description="a calendar month, YYYY-MM")]


class SampleIn(Strict):
    month: str = Field(pattern=MONTH, description="the calendar month to sample, YYYY-MM")
    seed: int | None = Field(
        default=None, ge=0, le=SEED_MAX, description="default: the month as YYYYMM"
    )


class AgentSampleOut(BaseModel):
    agent_id: str
    name: str
    team_id: str | None
    conversations: int = Field(description="handled in the month")
    sampled: int = Field(description="stratified samples: 8, or all when fewer")
    complaints: int = Field(description="complained-about conversations, all queued")


class SampleRunOut(BaseModel):
    month: str
    seed: int
    zone: str
    added: int = Field(description="queue rows written by this run (0 when run before)")
    agents: list[AgentSampleOut]


class SampleOut(BaseModel):
    month: str
    seed: int
    contact_id: str
    agent_id: str
    team_id: str | None
    channel: str
    week: str = Field(description="ISO week, e.g. 2026-W44")
    contact_at: datetime
    stratified: bool
    complaint: bool
    reason: str = Field(description="why it was picked: the audit sentence")


class SegmentOut(BaseModel):
    kind: SegmentKind
    start: float = Field(description="seconds from the start of the recording")
    end: float


class TranscriptLineOut(BaseModel):
    seq: int
    author_kind: str
    author_id: str | None
    channel: str
    body: str
    internal: bool
    at: datetime


class ComplaintOut(BaseModel):
    contact_id: str
    source: str
    note: str
    flagged_by: str | None
    flagged_at: datetime


class SampleDetailOut(BaseModel):
    contact_id: str
    samples: list[SampleOut]
    conversation_id: str | None = Field(description="the transcript's thread")
    recording_reference: str | None = Field(description="the provider's media URL, if recorded")
    recording_seconds: int | None
    flagged_segments: list[SegmentOut] = Field(description="hold and mute: not silence")
    transcript: list[TranscriptLineOut]
    complaint: ComplaintOut | None


class ComplaintIn(Strict):
    contact_id: str = Field(min_length=1, max_length=40)
    note: str = Field(default="", max_length=NOTE_MAX)


class ScoreLineOut(BaseModel):
    key: str = Field(description="the agent's or the team's id")
    month: str
    reviews: int
    mean: float = Field(description="mean review total, 0-100")


def _sample_out(s: quality.QueuedSample) -> SampleOut:
    return SampleOut(
        month=s.month, seed=s.seed, contact_id=s.contact_id, agent_id=s.agent_id,
        team_id=s.team_id, channel=s.channel, week=s.week, contact_at=s.contact_at,
        stratified=s.stratified, complaint=s.complaint, reason=s.reason,
    )  # fmt: skip


def _complaint_out(c: quality.Complaint) -> ComplaintOut:
    return ComplaintOut(
        contact_id=c.contact_id, source=c.source, note=c.note, flagged_by=c.flagged_by,
        flagged_at=c.flagged_at,
    )  # fmt: skip


@router.post(
    "/qa/samples",
    response_model=SampleRunOut,
    **access(*SUPERVISORS),
)
def run_sampler(
    body: SampleIn, user: CurrentUser, uow: UowDep, now: NowDep, zone: ZoneDep
) -> SampleRunOut:
    """Sample the month: 8 conversations per agent stratified over channels and ISO weeks,
    plus every complained-about one, queued for review. The same month and seed again queue
    nothing twice (supervisors, admins)."""
    run = quality.run_sampler(uow, user, parse_month(body.month), body.seed, zone, now)
    agents = [
        AgentSampleOut(
            agent_id=a.agent_id,
            name=run.names.get(a.agent_id, ""),
            team_id=run.teams.get(a.agent_id),
            conversations=a.conversations,
            sampled=a.sampled,
            complaints=a.complaints,
        )
        for a in run.sample.agents
    ]
    s = run.sample
    return SampleRunOut(
        month=str(s.month), seed=s.seed, zone=s.zone, added=run.added, agents=agents
    )


@router.get(
    "/qa/samples",
    response_model=list[SampleOut],
    **access(*STAFF),
)
def review_queue(
    user: CurrentUser,
    uow: UowDep,
    month: MonthQuery,
    seed: Annotated[int | None, Query(ge=0, le=SEED_MAX)] = None,
    agent_id: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    team_id: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
) -> list[SampleOut]:
    """The month's review queue, by agent and time (an agent sees their own)."""
    rows = quality.review_queue(uow, user, parse_month(month), seed, agent_id, team_id)
    return [_sample_out(r) for r in rows]


@router.get(
    "/qa/samples/{contact_id}",
    response_model=SampleDetailOut,
    **access(*STAFF),
)
def sample_detail(contact_id: str, user: CurrentUser, uow: UowDep) -> SampleDetailOut:
    """One queued conversation for the reviewer: why it was picked, the recording reference
    with hold and mute segments flagged, and the transcript (internal notes included)."""
    d = quality.sample_detail(uow, user, contact_id)
    return SampleDetailOut(
        contact_id=contact_id,
        samples=[_sample_out(s) for s in d.samples],
        conversation_id=d.conversation_id,
        recording_reference=d.recording_reference,
        recording_seconds=d.recording_seconds,
        flagged_segments=[
            SegmentOut(kind=g.kind, start=g.start, end=g.end) for g in d.flagged_segments
        ],
        transcript=[
            TranscriptLineOut(
                seq=t.seq,
                author_kind=t.author_kind,
                author_id=t.author_id,
                channel=t.channel,
                body=t.body,
                internal=t.internal,
                at=t.at,
            )
            for t in d.transcript
        ],
        complaint=_complaint_out(d.complaint) if d.complaint else None,
    )


@router.post(
    "/qa/complaints",
    response_model=ComplaintOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF),
)
def flag_complaint(
    body: ComplaintIn, user: CurrentUser, uow: UowDep, now: NowDep, zone: ZoneDep
) -> ComplaintOut:
    """The customer complained about this handled conversation: it joins the review queue of
    its month at once (every complaint is reviewed). Flagging it again changes nothing (staff)."""
    complaint = quality.flag_complaint(uow, user, body.contact_id, "staff", body.note, zone, now)
    return _complaint_out(complaint)


@router.get(
    "/qa/scores",
    response_model=list[ScoreLineOut],
    **access(*STAFF),
)
def qa_scores(
    user: CurrentUser,
    uow: UowDep,
    since: Annotated[str, Query(alias="from", pattern=MONTH, description="first month, YYYY-MM")],
    until: Annotated[str, Query(alias="to", pattern=MONTH, description="last month, YYYY-MM")],
    by: Annotated[Literal["agent", "team"], Query(description="per agent or per team")] = "agent",
    key: Annotated[
        str | None, Query(min_length=1, max_length=40, description="one agent's or team's id")
    ] = None,
) -> list[ScoreLineOut]:
    """Mean review totals per agent or team for each month from `from` to `to`: the trend
    (supervisors and admins; an agent gets their own)."""
    months = _months(parse_month(since), parse_month(until))
    lines = reviews.scores(uow, user, by, months, key)
    return [ScoreLineOut(key=x.key, month=x.month, reviews=x.reviews, mean=x.mean) for x in lines]


def _months(first: Month, last: Month) -> list[Month]:
    if last < first:
        raise InvalidInput("to", "the last month comes after the first")
    months = [first]
    while months[-1] < last:
        months.append(months[-1].next)
        if len(months) > TREND_MONTHS_MAX:
            raise InvalidInput("to", f"a trend spans at most {TREND_MONTHS_MAX} months")
    return months
