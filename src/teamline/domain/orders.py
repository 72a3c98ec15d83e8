"""Service orders that are never lost (DOMAIN.md 6; issue 6 item 9): the rules as a pure state
machine.

A new connection, a move or an upgrade is taken by hotline, store, a field agent or the website,
acknowledged with an order number, and tracked one step at a time:

    received -> scheduled -> installer_assigned -> installed -> documents_delivered -> active

Any open order may be cancelled (with a reason). An order is due 3 days after it was received
unless said otherwise; past its due instant and not yet active (nor cancelled) it is *breached*,
computed from `now`, never stored. It is credited to the agent who took it and the installer is
recorded by name for any claim. It cannot become active before the full document package
(contract, settings sheet, online-account credentials) is delivered. Every refusal names the
field or the move it refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.events import Event

MACHINE = "service order"
DEFAULT_DUE_DAYS = 3
ADDRESS_MAX = 300
NOTE_MAX = 1000
INSTALLER_MAX = 100
REASON_MAX = 500


class OrderKind(StrEnum):
    NEW_CONNECTION = "new_connection"
    MOVE = "move"
    UPGRADE = "upgrade"
    MICROCELL = "microcell"  # free, issued by a coverage investigation (domain/coverage.py)


class OrderSource(StrEnum):
    """Where the order was taken: only the website is open to customers themselves."""

    HOTLINE = "hotline"
    STORE = "store"
    FIELD_AGENT = "field_agent"
    WEBSITE = "website"


class OrderState(StrEnum):
    RECEIVED = "received"
    SCHEDULED = "scheduled"
    INSTALLER_ASSIGNED = "installer_assigned"
    INSTALLED = "installed"
    DOCUMENTS_DELIVERED = "documents_delivered"
    ACTIVE = "active"
    CANCELLED = "cancelled"


class Document(StrEnum):
    """The document package the customer receives at installation."""

    CONTRACT = "contract"
    SETTINGS_SHEET = "settings_sheet"
    ONLINE_CREDENTIALS = "online_credentials"


DOCUMENT_PACKAGE = frozenset(Document)
NEXT: dict[OrderState, OrderState] = {
    OrderState.RECEIVED: OrderState.SCHEDULED,
    OrderState.SCHEDULED: OrderState.INSTALLER_ASSIGNED,
    OrderState.INSTALLER_ASSIGNED: OrderState.INSTALLED,
    OrderState.INSTALLED: OrderState.DOCUMENTS_DELIVERED,
    OrderState.DOCUMENTS_DELIVERED: OrderState.ACTIVE,
}
CLOSED = frozenset({OrderState.ACTIVE, OrderState.CANCELLED})


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderReceived(Event):
    name: ClassVar[str] = "order.received"
    number: str
    customer_id: str
    kind: str
    source: str
    taken_by: str | None
    due_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderAdvanced(Event):
    name: ClassVar[str] = "order.advanced"
    number: str
    customer_id: str
    state: str
    scheduled_for: str | None = None
    installer: str | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelled(Event):
    name: ClassVar[str] = "order.cancelled"
    number: str
    customer_id: str
    previous_state: str
    reason: str


@dataclass(frozen=True)
class Step:
    """One move forward and the data it needs: `scheduled_for` to schedule, `installer` to
    assign one, `documents` (the whole package) to deliver them."""

    to: OrderState
    scheduled_for: date | None = None
    installer: str | None = None
    documents: frozenset[Document] = frozenset()


def _text(field_name: str, value: str, maximum: int, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(field_name, "must not be empty")
    if len(value) > maximum:
        raise InvalidInput(field_name, f"at most {maximum} characters")
    return value


@dataclass
class ServiceOrder:
    number: str
    customer_id: str
    kind: OrderKind
    source: OrderSource
    address: str
    note: str
    taken_by: str | None  # the agent's user id it is credited to; None for a customer's own
    created_at: datetime
    due_at: datetime
    state: OrderState = OrderState.RECEIVED
    scheduled_for: date | None = None
    installer: str | None = None
    documents: frozenset[Document] = frozenset()
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    cancel_reason: str = ""
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def receive(
        cls,
        number: str,
        customer_id: str,
        kind: OrderKind,
        source: OrderSource,
        address: str,
        note: str,
        taken_by: str | None,
        now: datetime,
        due_days: int = DEFAULT_DUE_DAYS,
    ) -> ServiceOrder:
        """A new order, due `due_days` after `now`. Staff orders are credited to the taker;
        a customer's own (website) order to nobody."""
        if now.tzinfo is None:
            raise InvalidInput("now", "an instant must carry its time zone")
        if not 1 <= due_days <= 90:
            raise InvalidInput("due_days", "an order is due within 1 to 90 days")
        if source is not OrderSource.WEBSITE and taken_by is None:
            raise InvalidInput("source", f"a {source.value} order is taken by an agent")
        order = cls(
            number,
            customer_id,
            kind,
            source,
            _text("address", address, ADDRESS_MAX, required=True),
            _text("note", note, NOTE_MAX, required=False),
            taken_by,
            now,
            now + timedelta(days=due_days),
            updated_at=now,
        )
        order.events.append(
            OrderReceived(
                at=now,
                number=number,
                customer_id=customer_id,
                kind=kind.value,
                source=source.value,
                taken_by=taken_by,
                due_at=order.due_at,
            )
        )
        return order

    def breached(self, now: datetime) -> bool:
        """Past due and not yet active (a cancelled order is closed, not late)."""
        return self.state not in CLOSED and now > self.due_at

    @property
    def next_state(self) -> OrderState | None:
        return NEXT.get(self.state)

    def advance(self, step: Step, now: datetime) -> None:
        """Move one step forward with the data that step needs, or refuse naming why."""
        if step.to is OrderState.CANCELLED:
            raise InvalidInput("to", "cancel an order with its reason, not by advancing it")
        if step.to is OrderState.ACTIVE and DOCUMENT_PACKAGE - self.documents:
            missing = ", ".join(sorted(d.value for d in DOCUMENT_PACKAGE - self.documents))
            raise InvalidTransition(
                MACHINE,
                self.state.value,
                f"{step.to.value} (the document package is not delivered: {missing} missing)",
            )
        if self.next_state is not step.to:
            raise InvalidTransition(MACHINE, self.state.value, step.to.value)
        if step.to is OrderState.SCHEDULED:
            if step.scheduled_for is None:
                raise InvalidInput("scheduled_for", "scheduling needs the installation date")
            if step.scheduled_for < self.created_at.date():
                raise InvalidInput("scheduled_for", "the date is before the order was received")
            self.scheduled_for = step.scheduled_for
        elif step.scheduled_for is not None:
            raise InvalidInput("scheduled_for", "only the step to 'scheduled' takes a date")
        if step.to is OrderState.INSTALLER_ASSIGNED:
            if step.installer is None:
                raise InvalidInput("installer", "assigning an installer needs their name")
            self.installer = _text("installer", step.installer, INSTALLER_MAX, required=True)
        elif step.installer is not None:
            raise InvalidInput("installer", "only the step to 'installer_assigned' takes a name")
        if step.to is OrderState.DOCUMENTS_DELIVERED:
            missing_docs = DOCUMENT_PACKAGE - step.documents
            if missing_docs:
                names = ", ".join(sorted(d.value for d in missing_docs))
                raise InvalidInput("documents", f"the package is incomplete: {names} missing")
            self.documents = DOCUMENT_PACKAGE
        elif step.documents:
            raise InvalidInput("documents", "only the step to 'documents_delivered' takes them")
        self.state = step.to
        self.updated_at = now
        if step.to is OrderState.ACTIVE:
            self.closed_at = now
        self.events.append(
            OrderAdvanced(
                at=now,
                number=self.number,
                customer_id=self.customer_id,
                state=step.to.value,
                scheduled_for=self.scheduled_for.isoformat()
                if step.to is OrderState.SCHEDULED and self.scheduled_for
                else None,
                installer=self.installer if step.to is OrderState.INSTALLER_ASSIGNED else None,
                documents=tuple(sorted(d.value for d in self.documents))
                if step.to is OrderState.DOCUMENTS_DELIVERED
                else (),
            )
        )

    def cancel(self, reason: str, now: datetime) -> None:
        """Any open order may be cancelled, saying why; a closed one may not."""
        if self.state in CLOSED:
            raise InvalidTransition(MACHINE, self.state.value, OrderState.CANCELLED.value)
        reason = _text("reason", reason, REASON_MAX, required=True)
        previous = self.state
        self.state = OrderState.CANCELLED
        self.cancel_reason = reason
        self.updated_at = now
        self.closed_at = now
        self.events.append(
            OrderCancelled(
                at=now,
                number=self.number,
                customer_id=self.customer_id,
                previous_state=previous.value,
                reason=reason,
            )
        )
