"""Customer satisfaction over HTTP (issue 7 item 4; `domain/csat.py`).

Staff send the one question about a resolved contact (the sweep `send_due_surveys` does it for
every resolved contact); the customer reads their surveys and answers each once (the same
answer again is accepted once, another answer is 409); supervisors read results per agent,
team or reason for a month.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.quality import MONTH, ZoneDep
from teamline.api.schemas import Strict
from teamline.domain.csat import COMMENT_MAX, SCORE_MAX, SCORE_MIN, Answer, Reason, Survey, question
from teamline.domain.enums import Role
from teamline.domain.quality import parse_month
from teamline.services import csat

router = APIRouter(tags=["customer satisfaction"])


class SurveyIn(Strict):
    contact_id: str = Field(min_length=1, max_length=40, description="a resolved contact")


class AnswerIn(Strict):
    score: int = Field(ge=SCORE_MIN, le=SCORE_MAX, description="1 very dissatisfied .. 5 very")
    reason: Reason | None = None
    comment: str = Field(default="", max_length=COMMENT_MAX)
    complaint: bool = Field(default=False, description="a complaint: the conversation is reviewed")


class SurveyOut(BaseModel):
    id: str
    contact_id: str
    customer_id: str
    channel: str
    language: str
    question: str
    sent_at: datetime
    score: int | None
    reason: Reason | None
    comment: str
    complaint: bool
    answered_at: datetime | None


class CsatLineOut(BaseModel):
    key: str = Field(description="the agent's id, the team's id or the reason")
    answers: int
    mean: float
    satisfied_share: float = Field(description="share of answers scoring 4 or 5")


def _out(s: Survey) -> SurveyOut:
    a = s.answer
    return SurveyOut(
        id=s.id, contact_id=s.contact_id, customer_id=s.customer_id, channel=s.channel,
        language=s.language, question=question(s.language, ""), sent_at=s.sent_at,
        score=a.score if a else None, reason=a.reason if a else None,
        comment=a.comment if a else "", complaint=a.complaint if a else False,
        answered_at=s.answered_at,
    )  # fmt: skip


@router.post(
    "/csat/surveys",
    response_model=SurveyOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF),
)
def send_survey(body: SurveyIn, user: CurrentUser, uow: UowDep, now: NowDep) -> SurveyOut:
    """Send the question about a resolved contact on the customer's channel; one survey per
    contact, so sending again answers the first (staff)."""
    return _out(csat.send_survey(uow, user, body.contact_id, now))


@router.get(
    "/csat/surveys",
    response_model=list[SurveyOut],
    **access(*EVERYONE),
)
def list_surveys(
    user: CurrentUser,
    uow: UowDep,
    customer_id: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
) -> list[SurveyOut]:
    """A customer's surveys, newest first (a customer sees their own)."""
    return [_out(s) for s in csat.surveys_of(uow, user, customer_id)]


@router.get(
    "/csat/surveys/{survey_id}",
    response_model=SurveyOut,
    **access(*EVERYONE, scope="customer"),
)
def get_survey(survey_id: str, user: CurrentUser, uow: UowDep) -> SurveyOut:
    return _out(csat.get_survey(uow, user, survey_id))


@router.post(
    "/csat/surveys/{survey_id}/answer",
    response_model=SurveyOut,
    **access(Role.CUSTOMER, scope="customer"),
)
def answer_survey(
    survey_id: str, body: AnswerIn, user: CurrentUser, uow: UowDep, now: NowDep, zone: ZoneDep
) -> SurveyOut:
    """The customer's one answer (the same one again changes nothing; another is 409)."""
    answer = Answer(body.score, body.reason, body.comment, body.complaint)
    return _out(csat.answer_survey(uow, user, survey_id, answer, zone, now))


@router.get(
    "/csat/results",
    response_model=list[CsatLineOut],
    **access(*SUPERVISORS),
)
def csat_results(
    user: CurrentUser,
    uow: UowDep,
    zone: ZoneDep,
    month: Annotated[str, Query(pattern=MONTH, description="surveys sent in this month")],
    by: Annotated[Literal["agent", "team", "reason"], Query()] = "agent",
) -> list[CsatLineOut]:
    """Answers, mean score and the share satisfied per agent, team or reason (supervisors)."""
    lines = csat.csat_results(uow, user, parse_month(month), by, zone)
    return [
        CsatLineOut(key=x.key, answers=x.answers, mean=x.mean, satisfied_share=x.satisfied_share)
        for x in lines
    ]
