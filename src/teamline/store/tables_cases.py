"""Cases, their SLA clocks, their history and their contacts as rows (issue 7 items 1-2;
`domain/cases.py`). Created by migration 0009.

`cases.next_alert_at` is the earliest instant any running clock of the case next needs the sweep
(a warning or a breach not yet raised), indexed so the sweep reads only the cases that are due.
`cases.version` lets a change be saved only over the version it was read in. Durations are whole
microseconds, so a clock read back is the clock that was saved.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import ID, Base


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    priority: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    level: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    home_team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    assignee_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    regulator_id: Mapped[str | None] = mapped_column(String(40))
    card_issuer: Mapped[str | None] = mapped_column(String(100))
    filed_request: Mapped[str] = mapped_column(Text)
    resolution: Mapped[str] = mapped_column(Text)
    next_alert_at: Mapped[datetime | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CaseClockRow(Base):
    """One SLA clock of a case; at most one of each kind."""

    __tablename__ = "case_clocks"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    target_us: Mapped[int] = mapped_column(BigInteger)
    spent_us: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime]
    running_since: Mapped[datetime | None]
    warn_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    stopped_at: Mapped[datetime | None]
    warned: Mapped[bool] = mapped_column(Boolean)
    breached: Mapped[bool] = mapped_column(Boolean)


class CaseStepRow(Base):
    """One step of a case's history; `customer_id` so the timeline reads it by customer."""

    __tablename__ = "case_steps"
    __table_args__ = (Index("ix_case_steps_customer_at", "customer_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    from_level: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    assignee_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    note: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(String(200))


class CaseContactRow(Base):
    """A contact about the case's problem; a contact belongs to at most one case."""

    __tablename__ = "case_contacts"
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    linked_at: Mapped[datetime]
