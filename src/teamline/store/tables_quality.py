"""Rows of quality review and CSAT (issue 7 items 3-4; `domain/quality.py`, `domain/scorecards.py`,
`domain/csat.py`): complaints, sampling runs and their picks (the review queue), scorecards,
reviews, calibration sessions and satisfaction surveys. Staff data only: no customer-facing
query reads these tables except a customer's own survey."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import ID, Base


class QaComplaintRow(Base):
    """The customer complained about this contact: it is reviewed, always (DOMAIN.md 7)."""

    __tablename__ = "qa_complaints"
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # staff, csat, regulator
    note: Mapped[str] = mapped_column(Text, default="")
    flagged_by: Mapped[str | None] = mapped_column(ID)  # a user id; None for an import
    flagged_at: Mapped[datetime]


class QaSampleRunRow(Base):
    """One run of the sampler over a month with a seed: who ran it and what it found."""

    __tablename__ = "qa_sample_runs"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    seed: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    zone: Mapped[str] = mapped_column(String(64))
    agents: Mapped[int] = mapped_column(Integer)
    conversations: Mapped[int] = mapped_column(Integer)
    sampled: Mapped[int] = mapped_column(Integer)
    complaints: Mapped[int] = mapped_column(Integer)
    ran_by: Mapped[str | None] = mapped_column(ID)
    ran_at: Mapped[datetime]


class QaSampleRow(Base):
    """A conversation in the review queue of a run, and why it is there."""

    __tablename__ = "qa_samples"
    __table_args__ = (
        Unique("month", "seed", "contact_id", name="uq_qa_samples_month_seed_contact_id"),
        Index("ix_qa_samples_month_agent_id", "month", "agent_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    month: Mapped[str] = mapped_column(String(7))
    seed: Mapped[int] = mapped_column(BigInteger)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[str | None] = mapped_column(ID)  # the agent's team when sampled
    channel: Mapped[str] = mapped_column(String(20))
    week: Mapped[str] = mapped_column(String(8))
    contact_at: Mapped[datetime]
    stratified: Mapped[bool] = mapped_column(Boolean)
    complaint: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ScorecardRow(Base):
    """Configurable criteria as data: [{"key", "name", "weight", "scale"}, ...]."""

    __tablename__ = "qa_scorecards"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))  # None: every team
    criteria: Mapped[list[Any]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(ID)
    created_at: Mapped[datetime]


class CalibrationRow(Base):
    """Several reviewers score one conversation with one scorecard; agreement is measured."""

    __tablename__ = "qa_calibrations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    scorecard_id: Mapped[str] = mapped_column(ForeignKey("qa_scorecards.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class ReviewRow(Base):
    """A reviewer's scores of one conversation; `context` is 'review' or the calibration's id,
    so a reviewer reviews a conversation once, and once more in each calibration."""

    __tablename__ = "qa_reviews"
    __table_args__ = (
        Unique("contact_id", "reviewer_id", "context", name="uq_qa_reviews_contact_id_reviewer"),
        Index("ix_qa_reviews_month_agent_id", "month", "agent_id"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[str | None] = mapped_column(ID)
    month: Mapped[str] = mapped_column(String(7))  # the conversation's month, for trends
    scorecard_id: Mapped[str] = mapped_column(ForeignKey("qa_scorecards.id"))
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    context: Mapped[str] = mapped_column(String(40))
    calibration_id: Mapped[str | None] = mapped_column(ForeignKey("qa_calibrations.id"))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    total: Mapped[float]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class CsatSurveyRow(Base):
    """The one question sent about one resolved contact, and the customer's one answer."""

    __tablename__ = "csat_surveys"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[str | None] = mapped_column(ID)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None]
