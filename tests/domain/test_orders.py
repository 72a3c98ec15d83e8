"""The service-order state machine (issue 6 item 9): one step at a time, each with its data,
never active before the document package, breached when past due and not active."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.orders import (
    DOCUMENT_PACKAGE,
    Document,
    OrderAdvanced,
    OrderCancelled,
    OrderKind,
    OrderReceived,
    OrderSource,
    OrderState,
    ServiceOrder,
    Step,
)

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
S = OrderState
STEPS = {
    S.SCHEDULED: Step(S.SCHEDULED, scheduled_for=date(2026, 11, 26)),
    S.INSTALLER_ASSIGNED: Step(S.INSTALLER_ASSIGNED, installer="Ana Lima"),
    S.INSTALLED: Step(S.INSTALLED),
    S.DOCUMENTS_DELIVERED: Step(S.DOCUMENTS_DELIVERED, documents=DOCUMENT_PACKAGE),
    S.ACTIVE: Step(S.ACTIVE),
}
ORDER = [S.RECEIVED, *STEPS]


def order_in(state: OrderState) -> ServiceOrder:
    order = ServiceOrder.receive(
        "SO-1",
        "cus-1",
        OrderKind.NEW_CONNECTION,
        OrderSource.HOTLINE,
        "1 Main St",
        "",
        "usr-1",
        NOW,
    )
    for target in ORDER[1 : ORDER.index(state) + 1]:
        order.advance(STEPS[target], NOW)
    return order


def test_an_order_is_received_due_in_three_days_and_credited_to_its_taker() -> None:
    order = order_in(S.RECEIVED)
    assert order.state is S.RECEIVED and order.taken_by == "usr-1"
    assert order.due_at == NOW + timedelta(days=3)
    assert [type(e) for e in order.events] == [OrderReceived]


def test_the_whole_way_to_active_records_each_step() -> None:
    order = order_in(S.ACTIVE)
    assert order.state is S.ACTIVE and order.closed_at == NOW
    assert order.installer == "Ana Lima" and order.scheduled_for == date(2026, 11, 26)
    assert order.documents == DOCUMENT_PACKAGE
    assert [e.state for e in order.events if isinstance(e, OrderAdvanced)] == list(STEPS)


@pytest.mark.parametrize(
    ("state", "target"),
    [
        (s, t)
        for s in ORDER
        for t in STEPS
        if ORDER.index(t) != ORDER.index(s) + 1
        and not (t is S.ACTIVE and s is not S.DOCUMENTS_DELIVERED)
    ],
)
def test_only_the_next_step_is_allowed(state: OrderState, target: OrderState) -> None:
    order = order_in(state)
    with pytest.raises(InvalidTransition) as refused:
        order.advance(STEPS[target], NOW)
    assert (refused.value.current, refused.value.target) == (state.value, target.value)
    assert order.state is state


@pytest.mark.parametrize("state", [S.RECEIVED, S.SCHEDULED, S.INSTALLER_ASSIGNED, S.INSTALLED])
def test_cannot_become_active_before_the_documents_are_delivered(state: OrderState) -> None:
    order = order_in(state)
    with pytest.raises(InvalidTransition, match="document package is not delivered"):
        order.advance(Step(S.ACTIVE), NOW)
    assert order.state is state and order.closed_at is None


@pytest.mark.parametrize(
    ("state", "step", "field", "message"),
    [
        (S.RECEIVED, Step(S.SCHEDULED), "scheduled_for", "installation date"),
        (
            S.RECEIVED,
            Step(S.SCHEDULED, scheduled_for=date(2026, 11, 23)),
            "scheduled_for",
            "before",
        ),
        (S.SCHEDULED, Step(S.INSTALLER_ASSIGNED), "installer", "their name"),
        (S.SCHEDULED, Step(S.INSTALLER_ASSIGNED, installer="  "), "installer", "empty"),
        (S.SCHEDULED, Step(S.INSTALLER_ASSIGNED, installer="x" * 101), "installer", "at most"),
        (S.INSTALLED, Step(S.DOCUMENTS_DELIVERED), "documents", "incomplete"),
        (
            S.INSTALLED,
            Step(S.DOCUMENTS_DELIVERED, documents=frozenset({Document.CONTRACT})),
            "documents",
            "online_credentials, settings_sheet missing",
        ),
        (S.RECEIVED, Step(S.CANCELLED), "to", "cancel an order with its reason"),
    ],
)
def test_a_step_without_its_data_is_refused_naming_the_field(
    state: OrderState, step: Step, field: str, message: str
) -> None:
    order = order_in(state)
    with pytest.raises(InvalidInput) as refused:
        order.advance(step, NOW)
    assert refused.value.field == field and message in refused.value.message
    assert order.state is state


def test_the_wrong_data_for_a_step_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        order_in(S.SCHEDULED).advance(
            Step(S.INSTALLER_ASSIGNED, scheduled_for=date(2026, 12, 1), installer="Ana"), NOW
        )
    assert refused.value.field == "scheduled_for"
    with pytest.raises(InvalidInput) as refused:
        order_in(S.RECEIVED).advance(
            Step(S.SCHEDULED, scheduled_for=date(2026, 12, 1), documents=DOCUMENT_PACKAGE), NOW
        )
    assert refused.value.field == "documents"


@pytest.mark.parametrize("state", ORDER[:-1])
def test_an_open_order_can_be_cancelled_with_a_reason(state: OrderState) -> None:
    order = order_in(state)
    order.cancel("moved abroad", NOW)
    assert order.state is S.CANCELLED and order.cancel_reason == "moved abroad"
    assert isinstance(order.events[-1], OrderCancelled)
    assert order.events[-1].previous_state == state.value


def test_a_closed_order_cannot_be_cancelled_or_advanced() -> None:
    active = order_in(S.ACTIVE)
    with pytest.raises(InvalidTransition):
        active.cancel("too late", NOW)
    cancelled = order_in(S.SCHEDULED)
    cancelled.cancel("changed her mind", NOW)
    with pytest.raises(InvalidTransition):
        cancelled.cancel("again", NOW)
    with pytest.raises(InvalidTransition):
        cancelled.advance(STEPS[S.INSTALLER_ASSIGNED], NOW)


def test_a_cancellation_needs_a_reason() -> None:
    with pytest.raises(InvalidInput) as refused:
        order_in(S.RECEIVED).cancel(" ", NOW)
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    ("state", "later", "breached"),
    [
        (S.RECEIVED, timedelta(days=3), False),  # due exactly now: not yet late
        (S.RECEIVED, timedelta(days=3, seconds=1), True),
        (S.DOCUMENTS_DELIVERED, timedelta(days=4), True),
        (S.ACTIVE, timedelta(days=30), False),
        (S.INSTALLED, timedelta(days=1), False),
    ],
)
def test_an_order_past_due_and_not_active_is_breached(
    state: OrderState, later: timedelta, breached: bool
) -> None:
    assert order_in(state).breached(NOW + later) is breached


def test_a_cancelled_order_is_closed_not_breached() -> None:
    order = order_in(S.RECEIVED)
    order.cancel("duplicate", NOW)
    assert not order.breached(NOW + timedelta(days=10))


@pytest.mark.parametrize(
    ("source", "taken_by", "address", "due_days", "field"),
    [
        (OrderSource.STORE, None, "1 Main St", 3, "source"),
        (OrderSource.WEBSITE, None, " ", 3, "address"),
        (OrderSource.WEBSITE, None, "1 Main St", 0, "due_days"),
    ],
)
def test_a_bad_order_is_refused_naming_the_field(
    source: OrderSource, taken_by: str | None, address: str, due_days: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        ServiceOrder.receive(
            "SO-2", "cus-1", OrderKind.MOVE, source, address, "", taken_by, NOW, due_days
        )
    assert refused.value.field == field


def test_a_website_order_is_credited_to_nobody_and_a_due_date_can_be_given() -> None:
    order = ServiceOrder.receive(
        "SO-3", "cus-1", OrderKind.UPGRADE, OrderSource.WEBSITE, "1 Main St", "", None, NOW, 5
    )
    assert order.taken_by is None and order.due_at == NOW + timedelta(days=5)
