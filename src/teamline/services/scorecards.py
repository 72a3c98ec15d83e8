"""Scorecards, reviews, calibrations and scores as use cases (DOMAIN.md 7; issue 7 item 3;
the rules in `domain/scorecards.py`).

Supervisors and admins keep the scorecards (criteria as data), review sampled conversations,
run calibration sessions (several reviewers, one conversation, agreement measured) and read
scores and trends per agent and team, month by month. An agent reads their own reviews and
scores; nobody else's, and a customer none: those answer "not found" or "forbidden".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from teamline.domain.errors import Conflict, InvalidInput, NotFound
from teamline.domain.quality import Month, month_of
from teamline.domain.scorecards import (
    DEFAULT_CRITERIA,
    Agreement,
    Criterion,
    ScoreLine,
    agreement,
    check_comment,
    check_criteria,
    check_name,
    mean_by,
    score_total,
)
from teamline.domain.users import User
from teamline.services.access import require_staff
from teamline.services.quality import access_queued, is_reviewer, require_reviewer
from teamline.store.quality import Calibration, Review, Scorecard
from teamline.store.uow import UnitOfWork

__all__ = [
    "Calibration",
    "CalibrationView",
    "Review",
    "Scorecard",
    "access_review",
    "create_calibration",
    "create_scorecard",
    "ensure_default_scorecard",
    "get_calibration",
    "get_review",
    "list_reviews",
    "list_scorecards",
    "scores",
    "set_scorecard_active",
    "submit_review",
]

DEFAULT_SCORECARD_NAME = "Conversation review"
REVIEWS_MAX = 1000


@dataclass(frozen=True)
class CalibrationView:
    calibration: Calibration
    reviews: list[Review]
    agreement: Agreement | None  # None until someone has scored it


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_scorecard(
    uow: UnitOfWork,
    actor: User,
    name: str,
    criteria: list[Criterion],
    team_id: str | None,
    now: datetime,
) -> Scorecard:
    require_reviewer(actor, "keep scorecards")
    card = Scorecard(_new_id("qsc"), check_name(name), team_id, check_criteria(criteria), True, now)
    with uow:
        if team_id is not None and uow.organisation.team(team_id) is None:
            raise InvalidInput("team_id", f"no team {team_id!r}")
        uow.quality.add_scorecard(card, actor.id)
        uow.journal.audit(now, actor.id, "qa.scorecard.create", "qa_scorecard", card.id, {})
        uow.commit()
        return card


def ensure_default_scorecard(uow: UnitOfWork, now: datetime) -> Scorecard:
    """The company-wide scorecard a fresh installation reviews with (created once)."""
    with uow:
        existing = uow.quality.scorecards()
        if existing:
            return existing[0]
        card = Scorecard("qsc-default", DEFAULT_SCORECARD_NAME, None, DEFAULT_CRITERIA, True, now)
        uow.quality.add_scorecard(card, None)
        uow.commit()
        return card


def list_scorecards(uow: UnitOfWork, actor: User) -> list[Scorecard]:
    require_staff(actor, "read scorecards")
    with uow:
        return uow.quality.scorecards()


def set_scorecard_active(
    uow: UnitOfWork, actor: User, scorecard_id: str, active: bool, now: datetime
) -> Scorecard:
    """Retire a scorecard (its reviews stay) or bring it back."""
    require_reviewer(actor, "keep scorecards")
    with uow:
        if uow.quality.scorecard(scorecard_id) is None:
            raise NotFound(f"scorecard {scorecard_id!r} not found")
        uow.quality.set_active(scorecard_id, active)
        detail = {"active": active}
        uow.journal.audit(
            now, actor.id, "qa.scorecard.active", "qa_scorecard", scorecard_id, detail
        )
        uow.commit()
        card = uow.quality.scorecard(scorecard_id)
        assert card is not None
        return card


def _active_scorecard(uow: UnitOfWork, scorecard_id: str) -> Scorecard:
    card = uow.quality.scorecard(scorecard_id)
    if card is None:
        raise InvalidInput("scorecard_id", f"no scorecard {scorecard_id!r}")
    if not card.active:
        raise InvalidInput("scorecard_id", f"scorecard {scorecard_id!r} is retired")
    return card


def submit_review(
    uow: UnitOfWork,
    actor: User,
    contact_id: str,
    scorecard_id: str,
    scores: dict[str, int],
    comment: str,
    zone: ZoneInfo,
    now: datetime,
    calibration_id: str | None = None,
) -> Review:
    """Score a conversation from the review queue (or the conversation of a calibration).
    A reviewer reviews a conversation once, and once in each calibration of it."""
    require_reviewer(actor, "review conversations")
    check_comment(comment)
    with uow:
        if calibration_id is not None:
            calibration = uow.quality.calibration(calibration_id)
            if calibration is None:
                raise NotFound(f"calibration {calibration_id!r} not found")
            if calibration.contact_id != contact_id or calibration.scorecard_id != scorecard_id:
                raise InvalidInput("calibration_id", "a calibration scores its own conversation")
        else:
            access_queued(uow, actor, contact_id)
        handled = uow.quality.handled(contact_id)
        if handled is None:
            raise NotFound(f"no handled conversation {contact_id!r}")
        card = _active_scorecard(uow, scorecard_id)
        total = score_total(card.criteria, scores)
        if uow.quality.reviews(
            calibration_id=calibration_id, contact_id=contact_id, reviewer_id=actor.id
        ):
            raise Conflict(
                "you reviewed this conversation already"
                + (" in this calibration" if calibration_id else "")
            )
        review = Review(
            _new_id("qrv"),
            contact_id,
            handled.agent_id,
            uow.quality.teams_of([handled.agent_id]).get(handled.agent_id),
            str(month_of(handled.at, zone)),
            card.id,
            actor.id,
            calibration_id,
            dict(scores),
            total,
            comment,
            now,
        )
        uow.quality.add_review(review)
        detail = {"total": total, "agent_id": review.agent_id, "calibration_id": calibration_id}
        uow.journal.audit(now, actor.id, "qa.review", "qa_review", review.id, detail)
        uow.commit()
        return review


def access_review(uow: UnitOfWork, actor: User, review_id: str) -> Review:
    review = uow.quality.review(review_id) if actor.is_staff else None
    visible = review is not None and (
        is_reviewer(actor) or (actor.agent_id is not None and review.agent_id == actor.agent_id)
    )
    if review is None or not visible:
        raise NotFound(f"review {review_id!r} not found")
    return review


def get_review(uow: UnitOfWork, actor: User, review_id: str) -> Review:
    with uow:
        return access_review(uow, actor, review_id)


def list_reviews(
    uow: UnitOfWork,
    actor: User,
    month: Month | None,
    agent_id: str | None,
    team_id: str | None,
) -> list[Review]:
    """Reviews outside calibrations; an agent's own only, for an agent."""
    require_staff(actor, "read reviews")
    if not is_reviewer(actor):
        if actor.agent_id is None or agent_id not in (None, actor.agent_id):
            return []
        agent_id = actor.agent_id
    with uow:
        return uow.quality.reviews(
            agent_id=agent_id,
            team_id=team_id,
            month=str(month) if month else None,
            limit=REVIEWS_MAX,
        )


def create_calibration(
    uow: UnitOfWork, actor: User, contact_id: str, scorecard_id: str, note: str, now: datetime
) -> Calibration:
    """Open a calibration session on a handled conversation."""
    require_reviewer(actor, "run calibration sessions")
    check_comment(note)
    with uow:
        if uow.quality.handled(contact_id) is None:
            raise InvalidInput("contact_id", f"no handled conversation {contact_id!r}")
        _active_scorecard(uow, scorecard_id)
        calibration = Calibration(_new_id("qcl"), contact_id, scorecard_id, note, actor.id, now)
        uow.quality.add_calibration(calibration)
        detail = {"contact_id": contact_id}
        uow.journal.audit(now, actor.id, "qa.calibration", "qa_calibration", calibration.id, detail)
        uow.commit()
        return calibration


def get_calibration(uow: UnitOfWork, actor: User, calibration_id: str) -> CalibrationView:
    """The session's reviews and how far they agree (supervisors and admins only)."""
    with uow:
        calibration = uow.quality.calibration(calibration_id) if is_reviewer(actor) else None
        if calibration is None:
            raise NotFound(f"calibration {calibration_id!r} not found")
        reviews = uow.quality.reviews(calibration_id=calibration_id)
        card = uow.quality.scorecard(calibration.scorecard_id)
        measured = (
            agreement(card.criteria, [r.scores for r in reviews]) if card and reviews else None
        )
        return CalibrationView(calibration, reviews, measured)


def scores(
    uow: UnitOfWork,
    actor: User,
    by: str,
    months: list[Month],
    key: str | None,
) -> list[ScoreLine]:
    """Mean review totals per agent or team and month, the trend over `months` (reviews
    outside calibrations). An agent gets their own line only."""
    require_staff(actor, "read QA scores")
    if by not in ("agent", "team"):
        raise InvalidInput("by", "scores are by 'agent' or by 'team'")
    if not is_reviewer(actor):
        if by != "agent" or actor.agent_id is None or key not in (None, actor.agent_id):
            return []
        key = actor.agent_id
    wanted = {str(m) for m in months}
    with uow:
        rows: list[tuple[str, str, float]] = []
        for month in sorted(wanted):
            for r in uow.quality.reviews(
                agent_id=key if by == "agent" else None,
                team_id=key if by == "team" else None,
                month=month,
                limit=100_000,
            ):
                group = r.agent_id if by == "agent" else r.team_id or ""
                rows.append((group, month, r.total))
        return mean_by(rows)
