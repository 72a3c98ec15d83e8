"""Contacts logged by store staff and field installers (issue 5, item 8; DOMAIN.md section 2:
"contacts logged by a store or a field installer" join the one customer timeline).

The customer came into a store, or an installer met them at home: the contact already happened,
so it is recorded complete and never routed. Its note joins the customer's thread as a message
on the store or field channel, written by whoever logged it, so the next person on the team
reads it in the same place as everything else. It is not credited to an agent on the contact
(`agent_id` stays empty): continuity routing must not send the customer's next call to a store
clerk; who logged it is the note's author and in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teamline.domain.contacts import AuthorKind, Contact, ContactState, check_body
from teamline.domain.enums import Channel, Direction
from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.events import ContactLogged
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.services.conversations import (
    MessageView,
    append_message,
    check_subject,
    thread_for,
)
from teamline.services.idempotency import Claim
from teamline.services.ids import new_id
from teamline.store.uow import UnitOfWork

LOGGED_CHANNELS = (Channel.STORE, Channel.FIELD)


@dataclass(frozen=True)
class LoggedContact:
    id: str
    customer_id: str
    channel: str
    state: str
    subject: str
    created_at: datetime
    note: MessageView


def log_contact(
    uow: UnitOfWork,
    actor: User,
    customer_id: str,
    channel: Channel,
    note: str,
    now: datetime,
    *,
    subject: str = "",
    idempotency: Claim[LoggedContact] | None = None,
) -> LoggedContact:
    """Record a store visit or a field visit on the customer's timeline, with its note."""
    require_staff(actor, "log store and field contacts")
    if channel not in LOGGED_CHANNELS:
        raise InvalidInput("channel", "a logged contact happened in a store or in the field")
    try:
        check_body(note)
    except InvalidInput as exc:
        raise InvalidInput("note", exc.message) from exc
    subject = check_subject(subject)
    with uow:
        customer = access_customer(uow, actor, customer_id)
        if (survivor := uow.conversations.lock_customer(customer.id)) is not None:
            raise Conflict(f"customer {customer.id} was merged into {survivor}: log it there")
        thread = thread_for(uow, customer.id, None, "", now)
        contact = Contact(
            new_id("con"), customer.id, channel, Direction.INBOUND, now, ContactState.COMPLETED,
            conversation_id=thread, subject=subject,
        )  # fmt: skip
        uow.timeline.add_contact(
            contact, tier=customer.tier, language=customer.language, ended_at=now
        )
        message = append_message(
            uow, thread, customer.id, AuthorKind.AGENT, actor.agent_id or actor.id, channel,
            note, now,
        )  # fmt: skip
        uow.journal.record(
            ContactLogged(at=now, contact_id=contact.id, customer_id=customer.id,
                          channel=channel.value, logged_by=actor.id)
        )  # fmt: skip
        uow.journal.audit(
            now, actor.id, "contact.log", "contact", contact.id,
            {"customer_id": customer.id, "channel": channel.value},
        )  # fmt: skip
        logged = LoggedContact(
            contact.id, customer.id, channel.value, contact.state.value, subject, now, message
        )
        if idempotency is not None:
            idempotency.record(uow, contact.id, now, logged)
        uow.commit()
    return logged
