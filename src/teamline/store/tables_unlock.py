"""Unlock requests (DOMAIN.md 5; issue 6 item 6; `domain/unlocks.py`): each a case with its
state, deadline, the rule results that decided it, and how the code was sent (never the code)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import Base

# the states of a request not closed yet (`UnlockState.closed` is False), as SQL
OPEN_DEVICE = "state IN ('requested', 'eligible', 'ineligible')"


class UnlockRequestRow(Base):
    __tablename__ = "unlock_requests"
    __table_args__ = (
        Index("ix_unlock_requests_imei_state", "imei", "state"),
        # one open request per device, even when two customers ask at the same instant
        Index(
            "ux_unlock_requests_open_device",
            "imei",
            unique=True,
            postgresql_where=text(OPEN_DEVICE),
            sqlite_where=text(OPEN_DEVICE),
        ),
    )
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    account_number: Mapped[str] = mapped_column(ForeignKey("accounts.number"))
    imei: Mapped[str] = mapped_column(String(15))
    travel_destination: Mapped[str | None] = mapped_column(String(2))
    travel_departs: Mapped[date | None] = mapped_column(Date)
    travel_returns: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), index=True)
    tier: Mapped[int | None] = mapped_column(Integer)
    by_law: Mapped[bool] = mapped_column(Boolean, default=False)
    results: Mapped[list[Any]] = mapped_column(JSON)  # [{"rule", "kind", "passed", "text"...}]
    explanation: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    deadline_at: Mapped[datetime] = mapped_column(index=True)
    decided_at: Mapped[datetime | None]
    delivery: Mapped[str | None] = mapped_column(String(20))
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
