"""Service orders over HTTP (DOMAIN.md 6; issue 6 item 9).

Staff take an order for any customer (hotline, store, field agent) and are credited with it; a
customer places their own through the website. `Idempotency-Key` makes a double submit record
one order. Staff advance an order one step at a time with that step's data, staff or the
customer cancel an open one, and supervisors list the breached ones (`?breached=true`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from teamline.api.access_policy import EVERYONE, STAFF, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.api.schemas import Strict
from teamline.domain.orders import (
    ADDRESS_MAX,
    INSTALLER_MAX,
    NOTE_MAX,
    REASON_MAX,
    Document,
    OrderKind,
    OrderSource,
    OrderState,
    Step,
)
from teamline.services import orders
from teamline.services.orders import OrderView

router = APIRouter(tags=["service orders"])


class OrderIn(Strict):
    kind: OrderKind
    source: OrderSource = Field(description="a customer's own order comes from the website")
    address: str = Field(min_length=1, max_length=ADDRESS_MAX)
    note: str = Field(default="", max_length=NOTE_MAX)
    customer_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="required for staff"
    )
    acknowledged: bool = Field(
        default=False,
        description="an upgrade ends a grandfathered plan: true once the customer has heard the "
        "warning (without it such an upgrade answers 422 naming this field, with the warning)",
    )


class AdvanceIn(Strict):
    to: OrderState = Field(description="the next state; 'cancelled' goes through /cancel")
    scheduled_for: date | None = Field(default=None, description="for 'scheduled'")
    installer: str | None = Field(
        default=None, min_length=1, max_length=INSTALLER_MAX, description="for 'installer_assigned'"
    )
    documents: list[Document] = Field(
        default_factory=list,
        max_length=3,
        description="the whole package for 'documents_delivered'",
    )


class CancelIn(Strict):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class OrderOut(BaseModel):
    number: str
    customer_id: str
    kind: OrderKind
    source: OrderSource
    address: str
    note: str
    state: OrderState
    next_state: OrderState | None
    taken_by: str | None = Field(description="the user id of the agent credited with it")
    taken_by_name: str | None
    created_at: datetime
    due_at: datetime
    breached: bool = Field(description="past due and not active, when read")
    scheduled_for: date | None
    installer: str | None
    documents: list[Document]
    cancel_reason: str
    closed_at: datetime | None

    @classmethod
    def of(cls, view: OrderView) -> OrderOut:
        o = view.order
        return cls(
            number=o.number,
            customer_id=o.customer_id,
            kind=o.kind,
            source=o.source,
            address=o.address,
            note=o.note,
            state=o.state,
            next_state=o.next_state,
            taken_by=o.taken_by,
            taken_by_name=view.taken_by_name,
            created_at=o.created_at,
            due_at=o.due_at,
            breached=view.breached,
            scheduled_for=o.scheduled_for,
            installer=o.installer,
            documents=sorted(o.documents),
            cancel_reason=o.cancel_reason,
            closed_at=o.closed_at,
        )


@router.post(
    "/orders",
    response_model=OrderOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def create_order(
    body: OrderIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a new connection, move or upgrade once; the answer's `number` acknowledges it.
    Due in 3 days. Staff name the customer and are credited; a customer orders from the website."""
    draft = orders.OrderDraft(
        body.kind, body.source, body.address, body.note, body.customer_id, body.acknowledged
    )
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: orders.create_order(uow, user, draft, now, idempotency=claim),
        out=OrderOut.of,
    )  # fmt: skip


@router.get(
    "/orders",
    response_model=list[OrderOut],
    **access(*EVERYONE),
)
def list_orders(
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    breached: Annotated[
        bool, Query(description="true: open orders past due (supervisors, admins)")
    ] = False,
    customer_id: Annotated[
        str | None, Query(min_length=1, max_length=40, description="whose orders (staff)")
    ] = None,
) -> list[OrderOut]:
    """Breached orders for supervisors, or one customer's orders, newest first."""
    if breached:
        return [OrderOut.of(v) for v in orders.breached_orders(uow, user, now)]
    return [OrderOut.of(v) for v in orders.customer_orders(uow, user, customer_id, now)]


@router.get(
    "/orders/{number}",
    response_model=OrderOut,
    **access(*EVERYONE, scope="customer"),
)
def get_order(number: str, user: CurrentUser, uow: UowDep, now: NowDep) -> OrderOut:
    """An order with its state and due date (staff, or the customer it is for)."""
    return OrderOut.of(orders.get_order(uow, user, number, now))


@router.post(
    "/orders/{number}/advance",
    response_model=OrderOut,
    **access(*STAFF, scope="customer"),
)
def advance_order(
    number: str, body: AdvanceIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> OrderOut:
    """Take the next step with its data: `scheduled_for` to schedule, `installer` to assign,
    all three `documents` to deliver the package; `active` only after the package (staff)."""
    step = Step(body.to, body.scheduled_for, body.installer, frozenset(body.documents))
    return OrderOut.of(orders.advance_order(uow, user, number, step, now))


@router.post(
    "/orders/{number}/cancel",
    response_model=OrderOut,
    **access(*EVERYONE, scope="customer"),
)
def cancel_order(
    number: str, body: CancelIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> OrderOut:
    """Cancel an open order, saying why (staff, or the customer it is for)."""
    return OrderOut.of(orders.cancel_order(uow, user, number, body.reason, now))
