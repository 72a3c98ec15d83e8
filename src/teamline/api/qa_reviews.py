"""Scorecards, reviews and calibration sessions over HTTP (DOMAIN.md 7; issue 7 item 3).

Supervisors and admins keep scorecards (criteria with weights and scales, as data), review
queued conversations and calibrate: several reviewers score one conversation and the answer
says how far they agree (`domain/scorecards.py`: mean absolute deviation, agreement 0-1). An
agent reads their own reviews; customers nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from teamline.api.access_policy import STAFF, SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.quality import MONTH, ZoneDep
from teamline.api.schemas import Strict
from teamline.domain.quality import parse_month
from teamline.domain.scorecards import (
    COMMENT_MAX,
    CRITERIA_MAX,
    KEY_MAX,
    NAME_MAX,
    SCALE_MAX,
    SCALE_MIN,
    WEIGHT_MAX,
    Criterion,
)
from teamline.services import scorecards as svc
from teamline.services.scorecards import Calibration, Review, Scorecard

router = APIRouter(tags=["quality review"])
Id = Annotated[str, Field(min_length=1, max_length=40)]
Scores = Annotated[
    dict[Annotated[str, Field(max_length=KEY_MAX)], Annotated[int, Field(ge=0, le=100)]],
    Field(max_length=CRITERIA_MAX, description="criterion key -> score, 1 to its scale"),
]


class CriterionIO(Strict):
    key: str = Field(min_length=1, max_length=KEY_MAX, pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    weight: int = Field(default=1, ge=1, le=WEIGHT_MAX)
    scale: int = Field(default=5, ge=SCALE_MIN, le=SCALE_MAX, description="scored 1..scale")


class ScorecardIn(Strict):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    team_id: Id | None = Field(default=None, description="empty: every team")
    criteria: list[CriterionIO] = Field(min_length=1, max_length=CRITERIA_MAX)


class ScorecardPatch(Strict):
    active: bool


class ScorecardOut(BaseModel):
    id: str
    name: str
    team_id: str | None
    active: bool
    criteria: list[CriterionIO]
    created_at: datetime


class ReviewIn(Strict):
    contact_id: Id
    scorecard_id: Id
    scores: Scores
    comment: str = Field(default="", max_length=COMMENT_MAX)


class CalibrationReviewIn(Strict):
    scores: Scores
    comment: str = Field(default="", max_length=COMMENT_MAX)


class ReviewOut(BaseModel):
    id: str
    contact_id: str
    agent_id: str
    team_id: str | None
    month: str
    scorecard_id: str
    reviewer_id: str
    calibration_id: str | None
    scores: dict[str, int]
    total: float = Field(description="weighted, 0-100")
    comment: str
    created_at: datetime


class CalibrationIn(Strict):
    contact_id: Id
    scorecard_id: Id
    note: str = Field(default="", max_length=COMMENT_MAX)


class AgreementOut(BaseModel):
    reviewers: int
    mean_absolute_deviation: float = Field(description="normalised 0-1 scores, over criteria")
    agreement: float = Field(description="1 - 2 x MAD: 1 all agree, 0 split to the ends")
    total_spread: float = Field(description="highest minus lowest total, points of 100")
    per_criterion: dict[str, float]


class CalibrationOut(BaseModel):
    id: str
    contact_id: str
    scorecard_id: str
    note: str
    created_by: str
    created_at: datetime
    reviews: list[ReviewOut]
    agreement: AgreementOut | None = Field(description="null until scored")


def _card_out(c: Scorecard) -> ScorecardOut:
    criteria = [
        CriterionIO(key=x.key, name=x.name, weight=x.weight, scale=x.scale) for x in c.criteria
    ]
    return ScorecardOut(
        id=c.id, name=c.name, team_id=c.team_id, active=c.active, criteria=criteria,
        created_at=c.created_at,
    )  # fmt: skip


def _review_out(r: Review) -> ReviewOut:
    return ReviewOut(
        id=r.id, contact_id=r.contact_id, agent_id=r.agent_id, team_id=r.team_id, month=r.month,
        scorecard_id=r.scorecard_id, reviewer_id=r.reviewer_id, calibration_id=r.calibration_id,
        scores=r.scores, total=r.total, comment=r.comment, created_at=r.created_at,
    )  # fmt: skip


def _calibration_out(c: Calibration, view: svc.CalibrationView | None = None) -> CalibrationOut:
    measured = view.agreement if view else None
    return CalibrationOut(
        id=c.id, contact_id=c.contact_id, scorecard_id=c.scorecard_id, note=c.note,
        created_by=c.created_by, created_at=c.created_at,
        reviews=[_review_out(r) for r in view.reviews] if view else [],
        agreement=AgreementOut(
            reviewers=measured.reviewers,
            mean_absolute_deviation=measured.mean_absolute_deviation,
            agreement=measured.agreement, total_spread=measured.total_spread,
            per_criterion=measured.per_criterion,
        ) if measured else None,
    )  # fmt: skip


@router.get(
    "/qa/scorecards",
    response_model=list[ScorecardOut],
    **access(*STAFF),
)
def list_scorecards(user: CurrentUser, uow: UowDep) -> list[ScorecardOut]:
    """Every scorecard, oldest first (staff)."""
    return [_card_out(c) for c in svc.list_scorecards(uow, user)]


@router.post(
    "/qa/scorecards",
    response_model=ScorecardOut,
    status_code=status.HTTP_201_CREATED,
    **access(*SUPERVISORS),
)
def create_scorecard(
    body: ScorecardIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> ScorecardOut:
    """A scorecard with its criteria (supervisors, admins)."""
    criteria = [Criterion(c.key, c.name, c.weight, c.scale) for c in body.criteria]
    return _card_out(svc.create_scorecard(uow, user, body.name, criteria, body.team_id, now))


@router.patch(
    "/qa/scorecards/{scorecard_id}",
    response_model=ScorecardOut,
    **access(*SUPERVISORS),
)
def set_scorecard_active(
    scorecard_id: str, body: ScorecardPatch, user: CurrentUser, uow: UowDep, now: NowDep
) -> ScorecardOut:
    """Retire a scorecard (its reviews stay) or bring it back (supervisors, admins)."""
    return _card_out(svc.set_scorecard_active(uow, user, scorecard_id, body.active, now))


@router.post(
    "/qa/reviews",
    response_model=ReviewOut,
    status_code=status.HTTP_201_CREATED,
    **access(*SUPERVISORS),
)
def submit_review(
    body: ReviewIn, user: CurrentUser, uow: UowDep, now: NowDep, zone: ZoneDep
) -> ReviewOut:
    """Score a conversation of the review queue against an active scorecard; once per
    reviewer (supervisors, admins)."""
    review = svc.submit_review(
        uow, user, body.contact_id, body.scorecard_id, dict(body.scores), body.comment, zone, now
    )
    return _review_out(review)


@router.get(
    "/qa/reviews",
    response_model=list[ReviewOut],
    **access(*STAFF),
)
def list_reviews(
    user: CurrentUser,
    uow: UowDep,
    month: Annotated[
        str | None, Query(pattern=MONTH, description="the conversation's month")
    ] = None,
    agent_id: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
    team_id: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
) -> list[ReviewOut]:
    """Reviews (not calibrations), oldest first; an agent sees their own."""
    parsed = parse_month(month) if month else None
    return [_review_out(r) for r in svc.list_reviews(uow, user, parsed, agent_id, team_id)]


@router.get(
    "/qa/reviews/{review_id}",
    response_model=ReviewOut,
    **access(*STAFF),
)
def get_review(review_id: str, user: CurrentUser, uow: UowDep) -> ReviewOut:
    return _review_out(svc.get_review(uow, user, review_id))


@router.post(
    "/qa/calibrations",
    response_model=CalibrationOut,
    status_code=status.HTTP_201_CREATED,
    **access(*SUPERVISORS),
)
def create_calibration(
    body: CalibrationIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> CalibrationOut:
    """Open a calibration session on one handled conversation (supervisors, admins)."""
    calibration = svc.create_calibration(
        uow, user, body.contact_id, body.scorecard_id, body.note, now
    )
    return _calibration_out(calibration)


@router.get(
    "/qa/calibrations/{calibration_id}",
    response_model=CalibrationOut,
    **access(*SUPERVISORS),
)
def get_calibration(calibration_id: str, user: CurrentUser, uow: UowDep) -> CalibrationOut:
    """The session's reviews and their agreement (supervisors, admins)."""
    view = svc.get_calibration(uow, user, calibration_id)
    return _calibration_out(view.calibration, view)


@router.post(
    "/qa/calibrations/{calibration_id}/reviews",
    response_model=CalibrationOut,
    status_code=status.HTTP_201_CREATED,
    **access(*SUPERVISORS),
)
def calibrate(
    calibration_id: str,
    body: CalibrationReviewIn,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    zone: ZoneDep,
) -> CalibrationOut:
    """One reviewer's scores in the session, once each; answers the session as it now stands."""
    view = svc.get_calibration(uow, user, calibration_id)
    c = view.calibration
    svc.submit_review(
        uow, user, c.contact_id, c.scorecard_id, dict(body.scores), body.comment, zone, now,
        calibration_id=c.id,
    )  # fmt: skip
    view = svc.get_calibration(uow, user, calibration_id)
    return _calibration_out(view.calibration, view)
