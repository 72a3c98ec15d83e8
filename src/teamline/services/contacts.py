"""Contacts through the router: open one, agents' presence, offers, completion, and what a
customer sees while waiting (DOMAIN.md sections 1 and 8); callbacks are `callbacks.py`'s.

Permissions first (`access_*`), then the contact row is written and committed, then the router
decides and writes its decisions: a contact is never acknowledged before it is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teamline.domain.contacts import Contact, ContactState
from teamline.domain.customers import Customer
from teamline.domain.enums import AgentLevel, Channel, Direction
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.events import ContactOpened
from teamline.domain.human_request import detect_human_request
from teamline.domain.users import User
from teamline.routing.estimate import WaitEstimate
from teamline.routing.model import Activity, ContactKind, Decision
from teamline.services.access import access_customer
from teamline.services.idempotency import Claim
from teamline.services.ids import new_id
from teamline.services.router import Router
from teamline.store.routing import OpenContact
from teamline.store.uow import UnitOfWork

# the routing vocabulary the outer layers speak, so they need not import the engine
__all__ = ["Activity", "ContactKind", "ContactStatus", "Decision", "WaitEstimate"]


@dataclass(frozen=True)
class ContactStatus:
    id: str
    customer_id: str
    channel: str
    state: str
    agent_id: str | None
    estimate: WaitEstimate | None


def open_contact(
    uow: UnitOfWork,
    router: Router,
    actor: User,
    customer_id: str,
    channel: Channel,
    now: datetime,
    *,
    first_words: str = "",
    level: AgentLevel = AgentLevel.FRONTLINE,
    kind: ContactKind = ContactKind.INBOUND,
    scheduled_for: datetime | None = None,
    virtual_start: datetime | None = None,
    idempotency: Claim[ContactStatus] | None = None,
) -> ContactStatus:
    """Record a contact and route it. `first_words` (what the customer said or typed first) is
    checked for a request for a human in the customer's language. With `idempotency`, the
    request's key is stored with the contact (services/idempotency.py)."""
    if kind is ContactKind.SCHEDULED and (scheduled_for is None or scheduled_for <= now):
        raise InvalidInput("scheduled_for", "a scheduled call needs a time in the future")
    if level is not AgentLevel.FRONTLINE and not actor.is_staff:
        raise PermissionDenied("only staff may escalate a contact")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        contact = record_contact(
            uow, customer, channel, now, first_words=first_words, level=level, kind=kind,
            scheduled_for=scheduled_for, virtual_start=virtual_start,
        )  # fmt: skip
        if idempotency is not None:  # the answer comes after routing: a claim for now
            idempotency.record(uow, contact.id, now)
        uow.commit()
    router.submit(contact.id, now)
    return contact_status(uow, router, actor, contact.id, now)


def record_contact(
    uow: UnitOfWork,
    customer: Customer,
    channel: Channel,
    now: datetime,
    *,
    first_words: str = "",
    level: AgentLevel = AgentLevel.FRONTLINE,
    kind: ContactKind = ContactKind.INBOUND,
    scheduled_for: datetime | None = None,
    virtual_start: datetime | None = None,
    conversation_id: str | None = None,
    external_ref: str | None = None,
    preferred_agent_id: str | None = None,
) -> Contact:
    """Inside an open unit of work: write a new contact for the router (state new) and its
    `contact.opened` event. The caller commits, then hands the contact to the router.
    `external_ref`: the provider's id (a call's CallSid), unique per channel."""
    human = bool(first_words) and detect_human_request(first_words, customer.language).is_request
    contact = Contact(
        new_id("con"), customer.id, channel, Direction.INBOUND, now, ContactState.NEW,
        conversation_id=conversation_id, human_required=human, team_id=customer.home_team_id,
        external_ref=external_ref,
    )  # fmt: skip
    uow.timeline.add_contact(
        contact,
        virtual_start=virtual_start or now,
        tier=customer.tier,
        language=customer.language,
        level=level.value,
        kind=kind.value,
        scheduled_for=scheduled_for,
        preferred_agent_id=preferred_agent_id,
    )
    uow.journal.record(
        ContactOpened(at=now, contact_id=contact.id, customer_id=customer.id,
                      channel=channel.value, human_required=human)
    )  # fmt: skip
    return contact


def _open_row(uow: UnitOfWork, actor: User, contact_id: str) -> OpenContact | None:
    contact = uow.timeline.contact(contact_id)
    if contact is None or not actor.may_see_customer(contact.customer_id):
        raise NotFound(f"contact {contact_id!r} not found")
    rows = uow.routing.open_contacts(contact_id)
    return rows[0] if rows else None


def contact_status(
    uow: UnitOfWork, router: Router, actor: User, contact_id: str, now: datetime
) -> ContactStatus:
    """Where the contact stands; while it waits: the estimated wait, position and whether to
    offer a callback instead of holding."""
    with uow:
        contact = uow.timeline.contact(contact_id)
        if contact is None or not actor.may_see_customer(contact.customer_id):
            raise NotFound(f"contact {contact_id!r} not found")
    estimate = router.estimate(contact_id, now) if contact.state is ContactState.QUEUED else None
    return ContactStatus(
        contact.id, contact.customer_id, contact.channel.value, contact.state.value,
        contact.agent_id, estimate,
    )  # fmt: skip


def hang_up(
    uow: UnitOfWork, router: Router, actor: User, contact_id: str, now: datetime
) -> list[Decision]:
    """The customer gave up before reaching anyone (they keep their place for 60 s)."""
    with uow:
        _open_row(uow, actor, contact_id)
    return router.abandon(contact_id, now)


def _my_agent(actor: User) -> str:
    if not actor.is_staff or actor.agent_id is None:
        raise PermissionDenied("only a login linked to an agent takes contacts")
    return actor.agent_id


def set_my_activity(router: Router, actor: User, activity: Activity, now: datetime) -> None:
    router.set_activity(_my_agent(actor), activity, now)


def accept_offer(router: Router, actor: User, contact_id: str, now: datetime) -> list[Decision]:
    return router.accept(contact_id, _my_agent(actor), now)


def reject_offer(router: Router, actor: User, contact_id: str, now: datetime) -> list[Decision]:
    return router.reject(contact_id, _my_agent(actor), now)


def complete_contact(router: Router, actor: User, contact_id: str, now: datetime) -> list[Decision]:
    return router.complete(contact_id, now, agent_id=_my_agent(actor))
