"""Rows of security and privacy (issue 9): login throttling state and the record of erasures.

`login_throttles` keeps one row per (account, source) that has failed to sign in, and one per
source over all accounts (account `*`), so a guesser is slowed where they guess from while the
true owner signing in from elsewhere is not. `erasures` remembers which customer records were
erased on request (GDPR), so the record is never filled again by a late webhook.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import ID, Base


class LoginThrottleRow(Base):
    __tablename__ = "login_throttles"
    account: Mapped[str] = mapped_column(String(254), primary_key=True)  # email, or '*'
    source: Mapped[str] = mapped_column(String(64), primary_key=True)  # the client's address
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]


class ErasureRow(Base):
    __tablename__ = "erasures"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    erased_at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(ID)
