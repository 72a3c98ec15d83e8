"""Service orders as use cases (DOMAIN.md 6; issue 6 item 9; rules in `domain/orders.py`).

Staff take an order for any customer from the hotline, a store or the field and are credited
with it; a customer places their own from the website. The order number is the acknowledgement;
with an `Idempotency-Key` the website's double submit records one order. Staff advance an order
step by step and cancel it; supervisors list the breached ones. Every change writes its event
(and an audit row) in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from teamline.domain.billing_plans import PlanChangeKind, check_plan_change, confirm_plan_change
from teamline.domain.enums import Role
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.orders import (
    DEFAULT_DUE_DAYS,
    OrderKind,
    OrderSource,
    ServiceOrder,
    Step,
)
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff, require_supervisor
from teamline.services.idempotency import Claim
from teamline.store.uow import UnitOfWork

LIST_MAX = 100


@dataclass(frozen=True)
class OrderDraft:
    kind: OrderKind
    source: OrderSource
    address: str
    note: str = ""
    customer_id: str | None = None  # staff name the customer; a customer orders for themself
    # an upgrade ends a grandfathered plan: it goes ahead only once that warning is acknowledged
    acknowledged: bool = False


@dataclass(frozen=True)
class OrderView:
    order: ServiceOrder
    taken_by_name: str | None  # the agent credited with it
    breached: bool  # past due and not active, at the moment of reading


def new_order_number() -> str:
    """A number a customer can read out: "SO-" and 12 hexadecimal digits."""
    return f"SO-{uuid.uuid4().hex[:12].upper()}"


def _view(uow: UnitOfWork, order: ServiceOrder, now: datetime) -> OrderView:
    name = None
    if order.taken_by is not None:
        user = uow.users.get(order.taken_by)
        name = user.display_name if user else order.taken_by
    return OrderView(order, name, order.breached(now))


def _access_order(uow: UnitOfWork, actor: User, number: str, *, lock: bool = False) -> ServiceOrder:
    order = uow.orders.get(number, for_update=lock)
    if order is None or not actor.may_see_customer(order.customer_id):
        raise NotFound(f"order {number!r} not found")
    return order


def _record(uow: UnitOfWork, actor: User, order: ServiceOrder, action: str, now: datetime) -> None:
    for event in order.events:
        uow.journal.record(event)
    detail = {"state": order.state.value, "customer_id": order.customer_id}
    uow.journal.audit(now, actor.id, action, "service_order", order.number, detail)


def place_order(
    uow: UnitOfWork,
    actor: User,
    customer_id: str,
    draft: OrderDraft,
    taken_by: str | None,
    now: datetime,
    due_days: int = DEFAULT_DUE_DAYS,
) -> ServiceOrder:
    """Inside an open unit of work: receive and store an order with its event and audit row
    (`create_order`, and other use cases that order something, e.g. a free microcell)."""
    order = ServiceOrder.receive(
        new_order_number(),
        customer_id,
        draft.kind,
        draft.source,
        draft.address,
        draft.note,
        taken_by,
        now,
        due_days,
    )
    uow.orders.add(order)
    _record(uow, actor, order, "order.create", now)
    return order


def create_order(
    uow: UnitOfWork,
    actor: User,
    draft: OrderDraft,
    now: datetime,
    due_days: int = DEFAULT_DUE_DAYS,
    idempotency: Claim[OrderView] | None = None,
) -> OrderView:
    """Record an order once and acknowledge it with its number."""
    if actor.role is Role.CUSTOMER:
        if draft.source is not OrderSource.WEBSITE:
            raise InvalidInput("source", "a customer places an order through the website")
        customer_id = draft.customer_id or actor.customer_id
        taken_by = None
    elif actor.is_staff:
        if draft.customer_id is None:
            raise InvalidInput("customer_id", "name the customer the order is for")
        customer_id = draft.customer_id
        taken_by = actor.id
    else:
        raise PermissionDenied("only staff and customers place orders")
    assert customer_id is not None  # a customer login always links its customer record
    if draft.kind is OrderKind.MICROCELL:
        raise InvalidInput("kind", "a free microcell is issued by a coverage investigation")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        note = _upgrade_warning_heeded(uow, customer.id, draft)
        if note:
            draft = replace(draft, note=f"{draft.note} {note}".strip())
        order = place_order(uow, actor, customer.id, draft, taken_by, now, due_days)
        view = _view(uow, order, now)
        if idempotency is not None:  # the key commits with the order, or neither does
            idempotency.record(uow, order.number, now, view)
        uow.commit()
        return view


def _upgrade_warning_heeded(uow: UnitOfWork, customer_id: str, draft: OrderDraft) -> str:
    """An upgrade order on a grandfathered plan is refused, naming `acknowledged`, with the
    billing rule's warning (DOMAIN.md 5, `domain/billing_plans.py`) until it is acknowledged;
    then the order's note records what was given up."""
    if draft.kind is not OrderKind.UPGRADE:
        return ""
    lost = []
    for account in uow.customers.accounts_of(customer_id):
        check = check_plan_change(
            account.plan, account.grandfathered, PlanChangeKind.DEVICE_UPGRADE, account.plan
        )
        if check.needs_acknowledgement:
            confirm_plan_change(check, draft.acknowledged)  # raises while unacknowledged
            lost.append(f"{account.number} ({account.plan})")
    if not lost:
        return ""
    return f"Acknowledged: the upgrade ends the grandfathered plan of {', '.join(lost)}."


def get_order(uow: UnitOfWork, actor: User, number: str, now: datetime) -> OrderView:
    """An order (staff, or the customer it is for)."""
    with uow:
        return _view(uow, _access_order(uow, actor, number), now)


def advance_order(
    uow: UnitOfWork, actor: User, number: str, step: Step, now: datetime
) -> OrderView:
    """Take the order's next step with its data (staff)."""
    require_staff(actor, "advance orders")
    with uow:
        order = _access_order(uow, actor, number, lock=True)
        read_in = order.state
        order.advance(step, now)
        uow.orders.save(order, read_in)
        _record(uow, actor, order, f"order.{order.state.value}", now)
        view = _view(uow, order, now)
        uow.commit()
        return view


def cancel_order(
    uow: UnitOfWork, actor: User, number: str, reason: str, now: datetime
) -> OrderView:
    """Cancel an open order, saying why (staff, or the customer it is for)."""
    with uow:
        order = _access_order(uow, actor, number, lock=True)
        read_in = order.state
        order.cancel(reason, now)
        uow.orders.save(order, read_in)
        _record(uow, actor, order, "order.cancel", now)
        view = _view(uow, order, now)
        uow.commit()
        return view


def customer_orders(
    uow: UnitOfWork, actor: User, customer_id: str | None, now: datetime
) -> list[OrderView]:
    """A customer's orders, newest first (staff name the customer; a customer sees theirs)."""
    customer_id = customer_id or actor.customer_id
    if customer_id is None:
        raise InvalidInput("customer_id", "name the customer whose orders to list")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        return [_view(uow, o, now) for o in uow.orders.of_customer(customer.id, LIST_MAX)]


def breached_orders(uow: UnitOfWork, actor: User, now: datetime) -> list[OrderView]:
    """Open orders past due, the longest overdue first (supervisors, admins)."""
    require_supervisor(actor, "list breached orders")
    with uow:
        return [_view(uow, o, now) for o in uow.orders.breached(now, LIST_MAX)]
