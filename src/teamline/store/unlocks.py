"""Unlock requests as rows, and back (`domain/unlocks.py`); the overdue bills good standing reads.

A step is saved only over the state it was read in: two agents sending the code at once cannot
both do it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from teamline.domain.errors import Conflict
from teamline.domain.unlock_rules import (
    Travel,
    results_of,
    summary,
)
from teamline.domain.unlocks import (
    Delivery,
    UnlockRequest,
    UnlockState,
)
from teamline.store.tables import BillRow
from teamline.store.tables_unlock import UnlockRequestRow

WAITING = [s.value for s in UnlockState if s.waiting]
OPEN = [s.value for s in UnlockState if not s.closed]


def _changes(request: UnlockRequest) -> dict[str, Any]:
    return {
        "state": request.state.value,
        "tier": request.tier,
        "by_law": request.by_law,
        "results": summary(request.results),
        "explanation": request.explanation,
        "decided_at": request.decided_at,
        "delivery": request.delivery.value if request.delivery else None,
        "closed_by": request.closed_by,
        "closed_at": request.closed_at,
        "refusal_reason": request.refusal_reason,
        "updated_at": request.updated_at or request.created_at,
    }


def _request(row: UnlockRequestRow) -> UnlockRequest:
    travel = None
    if row.travel_destination is not None and row.travel_departs is not None:
        travel = Travel(row.travel_destination, row.travel_departs, row.travel_returns)
    return UnlockRequest(
        row.id,
        row.customer_id,
        row.account_number,
        row.imei,
        travel,
        row.requested_by,
        row.created_at,
        row.deadline_at,
        UnlockState(row.state),
        row.tier,
        row.by_law,
        results_of(row.results),
        row.explanation,
        row.decided_at,
        Delivery(row.delivery) if row.delivery else None,
        row.closed_by,
        row.closed_at,
        row.refusal_reason,
        row.updated_at,
    )


class UnlockRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, request: UnlockRequest) -> None:
        trip = request.travel
        self._s.add(
            UnlockRequestRow(
                id=request.id,
                customer_id=request.customer_id,
                account_number=request.account_number,
                imei=request.imei,
                travel_destination=trip.destination if trip else None,
                travel_departs=trip.departs if trip else None,
                travel_returns=trip.returns if trip else None,
                requested_by=request.requested_by,
                created_at=request.created_at,
                deadline_at=request.deadline_at,
                **_changes(request),
            )
        )
        self._s.flush()

    def get(self, request_id: str, *, for_update: bool = False) -> UnlockRequest | None:
        query = select(UnlockRequestRow).where(UnlockRequestRow.id == request_id)
        row = self._s.scalar(query.with_for_update() if for_update else query)
        return _request(row) if row else None

    def save(self, request: UnlockRequest, read_in: UnlockState) -> None:
        done = self._s.execute(
            update(UnlockRequestRow)
            .where(UnlockRequestRow.id == request.id, UnlockRequestRow.state == read_in.value)
            .values(**_changes(request))
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"unlock request {request.id} changed meanwhile; read it again")

    def open_for_device(self, imei: str) -> str | None:
        """The id of a request for this device that is not closed yet."""
        return self._s.scalar(
            select(UnlockRequestRow.id)
            .where(UnlockRequestRow.imei == imei, UnlockRequestRow.state.in_(OPEN))
            .limit(1)
        )

    def of_customer(self, customer_id: str, limit: int = 100) -> list[UnlockRequest]:
        rows = self._s.scalars(
            select(UnlockRequestRow)
            .where(UnlockRequestRow.customer_id == customer_id)
            .order_by(UnlockRequestRow.created_at.desc(), UnlockRequestRow.id)
            .limit(limit)
        )
        return [_request(r) for r in rows]

    def overdue(self, now: datetime, limit: int = 100) -> list[UnlockRequest]:
        """Requests past their deadline while the company owes the next step, oldest first."""
        rows = self._s.scalars(
            select(UnlockRequestRow)
            .where(UnlockRequestRow.deadline_at < now, UnlockRequestRow.state.in_(WAITING))
            .order_by(UnlockRequestRow.deadline_at, UnlockRequestRow.id)
            .limit(limit)
        )
        return [_request(r) for r in rows]

    def oldest_overdue_bill(self, account_number: str, today: date) -> date | None:
        """The due date of the account's oldest bill still unpaid after its due date."""
        return self._s.scalar(
            select(BillRow.due_on)
            .where(
                BillRow.account_number == account_number,
                BillRow.paid_on.is_(None),
                BillRow.due_on < today,
            )
            .order_by(BillRow.due_on)
            .limit(1)
        )
