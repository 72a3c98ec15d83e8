"""Callback jobs as rows, and the queries the job runner and the booking of scheduled calls ask.

Rows only: `domain/callbacks.py` says what a job's states mean. The runner finds work by joining
jobs to their contacts, because the router writes a contact `assigned` in the same transaction
as the decision that says "dial the customer now": the contact row is the durable trace of
DIAL_CALLBACK, so a crash between the decision and the call loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from teamline.domain.callbacks import CallbackJob, JobState
from teamline.domain.contacts import ContactState
from teamline.domain.scheduled_calls import Booking
from teamline.store.tables import CallbackJobRow, ContactRow, CustomerRow, TeamRow

_CLOSED = tuple(s.value for s in ContactState if not s.is_open)


def _job(row: CallbackJobRow) -> CallbackJob:
    return CallbackJob(
        row.id,
        row.contact_id,
        row.customer_id,
        row.phone,
        row.due_at,
        row.max_attempts,
        row.updated_at,
        JobState(row.state),
        row.attempts,
        row.outcome,
        row.preferred_agent_id,
    )


def _values(job: CallbackJob) -> dict[str, object]:
    return {
        "contact_id": job.contact_id,
        "customer_id": job.customer_id,
        "phone": job.phone,
        "due_at": job.due_at,
        "state": job.state.value,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "outcome": job.outcome,
        "preferred_agent_id": job.preferred_agent_id,
        "updated_at": job.updated_at,
    }


class CallbackJobRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, job: CallbackJob) -> None:
        self._s.flush()  # its contact is usually new in this unit of work: parents first, by hand
        self._s.add(CallbackJobRow(id=job.id, **_values(job)))

    def get(self, job_id: str) -> CallbackJob | None:
        row = self._s.get(CallbackJobRow, job_id)
        return _job(row) if row is not None else None

    def of_contact(self, contact_id: str) -> CallbackJob | None:
        row = self._s.scalar(select(CallbackJobRow).where(CallbackJobRow.contact_id == contact_id))
        return _job(row) if row is not None else None

    def save(self, job: CallbackJob, was: JobState) -> bool:
        """Write the job if it is still in state `was` (False: someone moved it first)."""
        moved = self._s.execute(
            update(CallbackJobRow)
            .where(CallbackJobRow.id == job.id, CallbackJobRow.state == was.value)
            .values(**_values(job))
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(moved, "rowcount", 0) == 1)

    def _waiting_on(self, contact_states: tuple[str, ...], limit: int) -> list[CallbackJob]:
        rows = self._s.scalars(
            select(CallbackJobRow)
            .join(ContactRow, ContactRow.id == CallbackJobRow.contact_id)
            .where(
                CallbackJobRow.state == JobState.WAITING.value,
                ContactRow.state.in_(contact_states),
            )
            .order_by(CallbackJobRow.due_at, CallbackJobRow.id)
            .limit(limit)
        )
        return [_job(r) for r in rows]

    def ready_to_dial(self, limit: int = 50) -> list[CallbackJob]:
        """Waiting jobs whose contact an agent has taken: the router said DIAL_CALLBACK."""
        return self._waiting_on((ContactState.ASSIGNED.value,), limit)

    def orphaned(self, limit: int = 50) -> list[CallbackJob]:
        """Waiting jobs whose contact ended without anyone calling (cancelled, linked...)."""
        return self._waiting_on(_CLOSED, limit)

    def due_retries(self, now: datetime, limit: int = 50) -> list[CallbackJob]:
        rows = self._s.scalars(
            select(CallbackJobRow)
            .where(CallbackJobRow.state == JobState.RETRY.value, CallbackJobRow.due_at <= now)
            .order_by(CallbackJobRow.due_at, CallbackJobRow.id)
            .limit(limit)
        )
        return [_job(r) for r in rows]

    def stuck_dialling(self, before: datetime, limit: int = 50) -> list[CallbackJob]:
        """Jobs claimed before `before` that never heard an outcome (a crash mid-call, or a
        status callback that never came)."""
        rows = self._s.scalars(
            select(CallbackJobRow)
            .where(
                CallbackJobRow.state == JobState.DIALLING.value,
                CallbackJobRow.updated_at < before,
            )
            .order_by(CallbackJobRow.updated_at, CallbackJobRow.id)
            .limit(limit)
        )
        return [_job(r) for r in rows]

    def place_of(self, contact_id: str) -> tuple[str, datetime] | None:
        """An attempt's channel and its place in line (virtual start), for the next attempt."""
        row = self._s.get(ContactRow, contact_id)
        if row is None:
            return None
        return row.channel, row.virtual_start or row.created_at

    def lock_team_bookings(self, team_id: str) -> None:
        """Serialise bookings of one team's slots until commit (PostgreSQL row lock; SQLite has
        one writer at a time anyway)."""
        self._s.execute(select(TeamRow.id).where(TeamRow.id == team_id).with_for_update())

    def bookings(self, team_id: str, start: datetime, end: datetime) -> list[Booking]:
        """Scheduled calls still to make for customers of `team_id`, due in [start, end)."""
        rows = self._s.execute(
            select(ContactRow.scheduled_for, CallbackJobRow.preferred_agent_id)
            .join(ContactRow, ContactRow.id == CallbackJobRow.contact_id)
            .join(CustomerRow, CustomerRow.id == CallbackJobRow.customer_id)
            .where(
                CustomerRow.home_team_id == team_id,
                ContactRow.kind == "scheduled",
                CallbackJobRow.state.in_([s.value for s in JobState if s.is_open]),
                ContactRow.scheduled_for >= start,
                ContactRow.scheduled_for < end,
            )
        )
        return [Booking(at, agent) for at, agent in rows if at is not None]
