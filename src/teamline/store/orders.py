"""Service orders as rows, and back (`domain/orders.py`).

A step is saved only over the state it was read in, so two people advancing one order at once
cannot both move it: the second is told it changed meanwhile.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from teamline.domain.errors import Conflict
from teamline.domain.orders import (
    CLOSED,
    Document,
    OrderKind,
    OrderSource,
    OrderState,
    ServiceOrder,
)
from teamline.store.tables import ServiceOrderRow


def _changes(order: ServiceOrder) -> dict[str, Any]:
    return {
        "state": order.state.value,
        "scheduled_for": order.scheduled_for,
        "installer": order.installer,
        "documents": sorted(d.value for d in order.documents),
        "cancel_reason": order.cancel_reason,
        "updated_at": order.updated_at or order.created_at,
        "closed_at": order.closed_at,
    }


def _order(row: ServiceOrderRow) -> ServiceOrder:
    return ServiceOrder(
        row.number,
        row.customer_id,
        OrderKind(row.kind),
        OrderSource(row.source),
        row.address,
        row.note,
        row.taken_by,
        row.created_at,
        row.due_at,
        OrderState(row.state),
        row.scheduled_for,
        row.installer,
        frozenset(Document(d) for d in row.documents),
        row.updated_at,
        row.closed_at,
        row.cancel_reason,
    )


class OrderRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, order: ServiceOrder) -> None:
        self._s.add(
            ServiceOrderRow(
                number=order.number,
                customer_id=order.customer_id,
                kind=order.kind.value,
                source=order.source.value,
                address=order.address,
                note=order.note,
                taken_by=order.taken_by,
                due_at=order.due_at,
                created_at=order.created_at,
                **_changes(order),
            )
        )
        self._s.flush()

    def get(self, number: str, *, for_update: bool = False) -> ServiceOrder | None:
        """`for_update` locks the row (PostgreSQL) while a step is taken."""
        query = select(ServiceOrderRow).where(ServiceOrderRow.number == number)
        row = self._s.scalar(query.with_for_update() if for_update else query)
        return _order(row) if row else None

    def save(self, order: ServiceOrder, read_in: OrderState) -> None:
        """Write the order's step, unless it left `read_in` meanwhile."""
        done = self._s.execute(
            update(ServiceOrderRow)
            .where(ServiceOrderRow.number == order.number, ServiceOrderRow.state == read_in.value)
            .values(**_changes(order))
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"order {order.number} changed meanwhile; read it again")

    def of_customer(self, customer_id: str, limit: int = 100) -> list[ServiceOrder]:
        """The customer's orders, newest first."""
        rows = self._s.scalars(
            select(ServiceOrderRow)
            .where(ServiceOrderRow.customer_id == customer_id)
            .order_by(ServiceOrderRow.created_at.desc(), ServiceOrderRow.number)
            .limit(limit)
        )
        return [_order(r) for r in rows]

    def breached(self, now: datetime, limit: int = 100) -> list[ServiceOrder]:
        """Open orders past their due instant, the longest overdue first."""
        rows = self._s.scalars(
            select(ServiceOrderRow)
            .where(
                ServiceOrderRow.due_at < now,
                ServiceOrderRow.state.not_in([s.value for s in CLOSED]),
            )
            .order_by(ServiceOrderRow.due_at, ServiceOrderRow.number)
            .limit(limit)
        )
        return [_order(r) for r in rows]
