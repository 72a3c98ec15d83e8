"""Quality review as rows, and back (`domain/quality.py`, `domain/scorecards.py`): the handled
conversations of a month as the sampler reads them, complaints, sampling runs and the review
queue, scorecards, reviews and calibrations.

A run's picks are written with `INSERT` of only what is missing for (month, seed): running
the sampler again with the same seed adds nothing, and a complaint flagged after a run joins
every run of its month without disturbing the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from teamline.domain.quality import HANDLED_STATES, Handled, Pick
from teamline.domain.scorecards import Criterion
from teamline.store.tables import AgentRow, ContactRow, MessageRow
from teamline.store.tables_quality import (
    CalibrationRow,
    QaComplaintRow,
    QaSampleRow,
    QaSampleRunRow,
    ReviewRow,
    ScorecardRow,
)


@dataclass(frozen=True, slots=True)
class QueuedSample:
    """A row of the review queue."""

    id: int
    month: str
    seed: int
    contact_id: str
    agent_id: str
    team_id: str | None
    channel: str
    week: str
    contact_at: datetime
    stratified: bool
    complaint: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Scorecard:
    id: str
    name: str
    team_id: str | None
    criteria: tuple[Criterion, ...]
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Review:
    id: str
    contact_id: str
    agent_id: str
    team_id: str | None
    month: str
    scorecard_id: str
    reviewer_id: str
    calibration_id: str | None
    scores: dict[str, int]
    total: float
    comment: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Calibration:
    id: str
    contact_id: str
    scorecard_id: str
    note: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    seq: int
    author_kind: str
    author_id: str | None
    channel: str
    body: str
    internal: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Complaint:
    contact_id: str
    source: str
    note: str
    flagged_by: str | None
    flagged_at: datetime


def _queued(r: QaSampleRow) -> QueuedSample:
    return QueuedSample(
        r.id, r.month, r.seed, r.contact_id, r.agent_id, r.team_id, r.channel, r.week,
        r.contact_at, r.stratified, r.complaint, r.reason,
    )  # fmt: skip


def _scorecard(r: ScorecardRow) -> Scorecard:
    criteria = tuple(Criterion(c["key"], c["name"], c["weight"], c["scale"]) for c in r.criteria)
    return Scorecard(r.id, r.name, r.team_id, criteria, r.active, r.created_at)


def _review(r: ReviewRow) -> Review:
    return Review(
        r.id, r.contact_id, r.agent_id, r.team_id, r.month, r.scorecard_id, r.reviewer_id,
        r.calibration_id, {k: int(v) for k, v in r.scores.items()}, r.total, r.comment,
        r.created_at,
    )  # fmt: skip


def _handled_query() -> Select[str, str | None, str, datetime, str]:
    return (
        select(
            ContactRow.id,
            ContactRow.agent_id,
            ContactRow.channel,
            ContactRow.created_at,
            QaComplaintRow.contact_id,
        )
        .outerjoin(QaComplaintRow, QaComplaintRow.contact_id == ContactRow.id)
        .where(ContactRow.agent_id.is_not(None), ContactRow.state.in_(sorted(HANDLED_STATES)))
    )


class QualityRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # ---- what the sampler reads ---------------------------------------------------------------

    def handled_between(self, start: datetime, end: datetime) -> list[Handled]:
        """Every handled conversation that arrived in [start, end), with its complaint mark."""
        rows = self._s.execute(
            _handled_query().where(ContactRow.created_at >= start, ContactRow.created_at < end)
        )
        return [
            Handled(cid, agent or "", ch, at, flagged is not None)
            for cid, agent, ch, at, flagged in rows
        ]

    def handled(self, contact_id: str) -> Handled | None:
        row = self._s.execute(_handled_query().where(ContactRow.id == contact_id)).first()
        if row is None:
            return None
        cid, agent, channel, at, flagged = row
        return Handled(cid, agent or "", channel, at, flagged is not None)

    def teams_of(self, agent_ids: Sequence[str]) -> dict[str, str]:
        rows = self._s.execute(
            select(AgentRow.id, AgentRow.team_id).where(AgentRow.id.in_(list(agent_ids)))
        )
        return {agent: team for agent, team in rows}

    def names_of(self, agent_ids: Sequence[str]) -> dict[str, str]:
        rows = self._s.execute(
            select(AgentRow.id, AgentRow.first_name, AgentRow.last_name).where(
                AgentRow.id.in_(list(agent_ids))
            )
        )
        return {agent: f"{first} {last}" for agent, first, last in rows}

    def transcript(self, contact_id: str, limit: int) -> list[TranscriptLine]:
        """The contact's part of its conversation: messages from its arrival until the next
        contact of the same thread arrived (a thread outlives its contacts)."""
        contact = self._s.get(ContactRow, contact_id)
        if contact is None or contact.conversation_id is None:
            return []
        following = self._s.scalar(
            select(ContactRow.created_at)
            .where(
                ContactRow.conversation_id == contact.conversation_id,
                ContactRow.created_at > contact.created_at,
            )
            .order_by(ContactRow.created_at)
            .limit(1)
        )
        query = select(MessageRow).where(
            MessageRow.conversation_id == contact.conversation_id,
            MessageRow.created_at >= contact.created_at,
        )
        if following is not None:
            query = query.where(MessageRow.created_at < following)
        rows = self._s.scalars(query.order_by(MessageRow.seq).limit(limit))
        return [
            TranscriptLine(
                r.seq, r.author_kind, r.author_id, r.channel, r.body, r.internal, r.created_at
            )
            for r in rows
        ]

    # ---- complaints ---------------------------------------------------------------------------

    def complaint(self, contact_id: str) -> Complaint | None:
        r = self._s.get(QaComplaintRow, contact_id)
        return Complaint(r.contact_id, r.source, r.note, r.flagged_by, r.flagged_at) if r else None

    def add_complaint(self, complaint: Complaint) -> None:
        self._s.add(
            QaComplaintRow(
                contact_id=complaint.contact_id, source=complaint.source, note=complaint.note,
                flagged_by=complaint.flagged_by, flagged_at=complaint.flagged_at,
            )
        )  # fmt: skip
        self._s.flush()

    # ---- runs and the review queue ------------------------------------------------------------

    def runs_of(self, month: str) -> list[int]:
        """The seeds the month was sampled with."""
        return list(
            self._s.scalars(select(QaSampleRunRow.seed).where(QaSampleRunRow.month == month))
        )

    def save_run(
        self,
        month: str,
        seed: int,
        zone: str,
        figures: dict[str, int],
        ran_by: str | None,
        ran_at: datetime,
    ) -> None:
        """Record the run (a repeat records its latest runner; the audit log keeps each)."""
        self._s.merge(
            QaSampleRunRow(
                month=month, seed=seed, zone=zone, ran_by=ran_by, ran_at=ran_at, **figures
            )
        )

    def add_missing(
        self, month: str, seed: int, picks: Sequence[Pick], teams: dict[str, str], now: datetime
    ) -> int:
        """Queue the picks not queued yet for (month, seed); how many were added."""
        have = set(
            self._s.scalars(
                select(QaSampleRow.contact_id).where(
                    QaSampleRow.month == month, QaSampleRow.seed == seed
                )
            )
        )
        added = 0
        for p in picks:
            if p.contact_id in have:
                continue
            have.add(p.contact_id)
            self._s.add(
                QaSampleRow(
                    month=month, seed=seed, contact_id=p.contact_id, agent_id=p.agent_id,
                    team_id=teams.get(p.agent_id), channel=p.channel, week=p.week,
                    contact_at=p.at, stratified=p.stratified, complaint=p.complaint,
                    reason=p.reason, created_at=now,
                )
            )  # fmt: skip
            added += 1
        self._s.flush()
        return added

    def mark_complaint(self, contact_id: str) -> None:
        """A complaint flagged after the conversation was drawn: its queue rows say so."""
        for row in self._s.scalars(select(QaSampleRow).where(QaSampleRow.contact_id == contact_id)):
            if not row.complaint:
                row.complaint = True
                row.reason = f"{row.reason}; complaint" if row.reason else "complaint"

    def queue(
        self, month: str, seed: int | None, agent_id: str | None, team_id: str | None, limit: int
    ) -> list[QueuedSample]:
        query = select(QaSampleRow).where(QaSampleRow.month == month)
        if seed is not None:
            query = query.where(QaSampleRow.seed == seed)
        if agent_id is not None:
            query = query.where(QaSampleRow.agent_id == agent_id)
        if team_id is not None:
            query = query.where(QaSampleRow.team_id == team_id)
        rows = self._s.scalars(
            query.order_by(QaSampleRow.agent_id, QaSampleRow.contact_at, QaSampleRow.id).limit(
                limit
            )
        )
        return [_queued(r) for r in rows]

    def queue_of(self, contact_id: str) -> list[QueuedSample]:
        """The queue rows of one conversation, one per run that picked it."""
        rows = self._s.scalars(
            select(QaSampleRow)
            .where(QaSampleRow.contact_id == contact_id)
            .order_by(QaSampleRow.month, QaSampleRow.seed)
        )
        return [_queued(r) for r in rows]

    # ---- scorecards ---------------------------------------------------------------------------

    def add_scorecard(self, card: Scorecard, created_by: str | None) -> None:
        criteria: list[Any] = [
            {"key": c.key, "name": c.name, "weight": c.weight, "scale": c.scale}
            for c in card.criteria
        ]
        self._s.add(
            ScorecardRow(
                id=card.id, name=card.name, team_id=card.team_id, criteria=criteria,
                active=card.active, created_by=created_by, created_at=card.created_at,
            )
        )  # fmt: skip
        self._s.flush()

    def scorecard(self, scorecard_id: str) -> Scorecard | None:
        row = self._s.get(ScorecardRow, scorecard_id)
        return _scorecard(row) if row else None

    def scorecards(self) -> list[Scorecard]:
        rows = self._s.scalars(
            select(ScorecardRow).order_by(ScorecardRow.created_at, ScorecardRow.id)
        )
        return [_scorecard(r) for r in rows]

    def set_active(self, scorecard_id: str, active: bool) -> None:
        row = self._s.get(ScorecardRow, scorecard_id)
        if row is not None:
            row.active = active

    # ---- reviews and calibrations -------------------------------------------------------------

    def add_review(self, review: Review) -> None:
        self._s.add(
            ReviewRow(
                id=review.id, contact_id=review.contact_id, agent_id=review.agent_id,
                team_id=review.team_id, month=review.month, scorecard_id=review.scorecard_id,
                reviewer_id=review.reviewer_id, context=review.calibration_id or "review",
                calibration_id=review.calibration_id, scores=dict(review.scores),
                total=review.total, comment=review.comment, created_at=review.created_at,
            )
        )  # fmt: skip
        self._s.flush()

    def review(self, review_id: str) -> Review | None:
        row = self._s.get(ReviewRow, review_id)
        return _review(row) if row else None

    def reviews(
        self,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        month: str | None = None,
        calibration_id: str | None = None,
        contact_id: str | None = None,
        reviewer_id: str | None = None,
        limit: int = 1000,
    ) -> list[Review]:
        """Reviews outside calibrations unless `calibration_id` names one, oldest first."""
        query = select(ReviewRow)
        if calibration_id is None:
            query = query.where(ReviewRow.calibration_id.is_(None))
        else:
            query = query.where(ReviewRow.calibration_id == calibration_id)
        for column, value in (
            (ReviewRow.agent_id, agent_id),
            (ReviewRow.team_id, team_id),
            (ReviewRow.month, month),
            (ReviewRow.contact_id, contact_id),
            (ReviewRow.reviewer_id, reviewer_id),
        ):
            if value is not None:
                query = query.where(column == value)
        rows = self._s.scalars(query.order_by(ReviewRow.created_at, ReviewRow.id).limit(limit))
        return [_review(r) for r in rows]

    def add_calibration(self, calibration: Calibration) -> None:
        self._s.add(
            CalibrationRow(
                id=calibration.id, contact_id=calibration.contact_id,
                scorecard_id=calibration.scorecard_id, note=calibration.note,
                created_by=calibration.created_by, created_at=calibration.created_at,
            )
        )  # fmt: skip
        self._s.flush()

    def calibration(self, calibration_id: str) -> Calibration | None:
        r = self._s.get(CalibrationRow, calibration_id)
        if r is None:
            return None
        return Calibration(r.id, r.contact_id, r.scorecard_id, r.note, r.created_by, r.created_at)
