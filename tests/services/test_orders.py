"""Service orders on SQLite and PostgreSQL (issue 6 item 9): recorded once per key, credited to
the agent who took it, advanced to active only after the document package, cancelled with a
reason, breached ones listed for supervisors, and every change in the event outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from teamline.domain.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from teamline.domain.orders import DOCUMENT_PACKAGE, OrderKind, OrderSource, OrderState, Step
from teamline.domain.users import User
from teamline.services.idempotency import Answer, Claim, IdempotentRequest
from teamline.services.orders import (
    OrderDraft,
    OrderView,
    advance_order,
    breached_orders,
    cancel_order,
    create_order,
    customer_orders,
    get_order,
)
from teamline.store.tables import OutboxRow, ServiceOrderRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
Users = dict[str, User]
MARIA = "cus-00001"  # the demo customer login's own record
S = OrderState


def hotline(customer_id: str | None = MARIA) -> OrderDraft:
    return OrderDraft(
        OrderKind.NEW_CONNECTION, OrderSource.HOTLINE, "12 Harbour Road", "", customer_id
    )


def outbox_names(new_uow: NewUow) -> list[str]:
    with new_uow() as uow:
        return list(uow.session.scalars(select(OutboxRow.name).order_by(OutboxRow.id)))


def test_an_order_goes_from_received_to_active_credited_to_its_agent(
    new_uow: NewUow, users: Users
) -> None:
    agent, supervisor = users["agent"], users["supervisor"]
    before = len(outbox_names(new_uow))
    view = create_order(new_uow(), agent, hotline(), NOW)
    number = view.order.number
    assert number.startswith("SO-") and view.order.state is S.RECEIVED
    assert view.order.taken_by == agent.id and view.taken_by_name == agent.display_name
    assert view.order.due_at == NOW + timedelta(days=3) and not view.breached
    steps = [
        Step(S.SCHEDULED, scheduled_for=date(2026, 11, 26)),
        Step(S.INSTALLER_ASSIGNED, installer="Ana Lima"),
        Step(S.INSTALLED),
    ]
    for step in steps:
        advance_order(new_uow(), agent, number, step, NOW)
    with pytest.raises(InvalidTransition, match="document package"):
        advance_order(new_uow(), agent, number, Step(S.ACTIVE), NOW)
    advance_order(
        new_uow(), supervisor, number, Step(S.DOCUMENTS_DELIVERED, documents=DOCUMENT_PACKAGE), NOW
    )
    done = advance_order(new_uow(), agent, number, Step(S.ACTIVE), NOW + timedelta(hours=1))
    assert done.order.state is S.ACTIVE and done.order.installer == "Ana Lima"
    assert done.order.taken_by == agent.id  # the bonus goes to who took it, not who closed it
    again = get_order(new_uow(), users["customer"], number, NOW)  # Maria sees her own
    assert again.order == done.order
    names = outbox_names(new_uow)[before:]
    assert names == ["order.received"] + ["order.advanced"] * 5


def test_a_customer_orders_their_own_from_the_website_only(new_uow: NewUow, users: Users) -> None:
    customer = users["customer"]
    draft = OrderDraft(OrderKind.MOVE, OrderSource.WEBSITE, "3 New Street")
    view = create_order(new_uow(), customer, draft, NOW)
    assert view.order.customer_id == MARIA and view.order.taken_by is None
    with pytest.raises(InvalidInput) as refused:
        create_order(new_uow(), customer, OrderDraft(OrderKind.MOVE, OrderSource.STORE, "x"), NOW)
    assert refused.value.field == "source"
    with pytest.raises(NotFound):  # another customer's record does not exist for her
        create_order(
            new_uow(),
            customer,
            OrderDraft(OrderKind.MOVE, OrderSource.WEBSITE, "x", customer_id="cus-00002"),
            NOW,
        )
    with pytest.raises(PermissionDenied):
        advance_order(
            new_uow(), customer, view.order.number, Step(S.SCHEDULED, date(2026, 11, 26)), NOW
        )
    assert [v.order.number for v in customer_orders(new_uow(), customer, None, NOW)] == [
        view.order.number
    ]


def test_staff_name_the_customer(new_uow: NewUow, users: Users) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_order(new_uow(), users["agent"], hotline(None), NOW)
    assert refused.value.field == "customer_id"


def test_another_customers_order_is_not_found(new_uow: NewUow, users: Users) -> None:
    number = create_order(new_uow(), users["agent"], hotline("cus-00002"), NOW).order.number
    with pytest.raises(NotFound):
        get_order(new_uow(), users["customer"], number, NOW)
    with pytest.raises(NotFound):
        cancel_order(new_uow(), users["customer"], number, "not mine", NOW)


def test_breached_orders_are_listed_for_supervisors(new_uow: NewUow, users: Users) -> None:
    agent = users["agent"]
    late = create_order(new_uow(), agent, hotline(), NOW).order.number
    done = create_order(new_uow(), agent, hotline(), NOW).order.number
    cancelled = create_order(new_uow(), agent, hotline(), NOW).order.number
    cancel_order(new_uow(), users["customer"], cancelled, "found another provider", NOW)
    for step in [
        Step(S.SCHEDULED, scheduled_for=date(2026, 11, 25)),
        Step(S.INSTALLER_ASSIGNED, installer="Ana Lima"),
        Step(S.INSTALLED),
        Step(S.DOCUMENTS_DELIVERED, documents=DOCUMENT_PACKAGE),
        Step(S.ACTIVE),
    ]:
        advance_order(new_uow(), agent, done, step, NOW)
    assert breached_orders(new_uow(), users["supervisor"], NOW + timedelta(days=3)) == []
    later = NOW + timedelta(days=3, minutes=1)
    found = breached_orders(new_uow(), users["supervisor"], later)
    assert [v.order.number for v in found] == [late] and found[0].breached
    assert get_order(new_uow(), agent, late, later).breached
    with pytest.raises(PermissionDenied):
        breached_orders(new_uow(), agent, later)


def test_a_key_records_the_order_once(new_uow: NewUow, users: Users) -> None:
    customer = users["customer"]
    draft = OrderDraft(OrderKind.NEW_CONNECTION, OrderSource.WEBSITE, "12 Harbour Road")
    request = IdempotentRequest.of(customer.id, "web-1", "POST", "/api/v1/orders", {"a": 1})

    def claim() -> Claim[OrderView]:
        return Claim(request, lambda v: Answer(201, {"number": v.order.number}))

    create_order(new_uow(), customer, draft, NOW, idempotency=claim())
    with pytest.raises(Conflict):  # the second commit hits the unique key: nothing is written
        create_order(new_uow(), customer, draft, NOW, idempotency=claim())
    with new_uow() as uow:
        count = uow.session.scalar(
            select(func.count())
            .select_from(ServiceOrderRow)
            .where(ServiceOrderRow.customer_id == MARIA)
        )
    assert count == 1
