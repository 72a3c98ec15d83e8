"""Conversations: the customer's long-lived thread and the messages in it; async messaging from
the app and the web (issue 5, items 1-2; DOMAIN.md sections 1-2).

One thread per customer. Whatever the channel (app, live chat, email, social, a store's note),
a message without an explicit conversation joins the customer's thread: their newest
conversation, created on their first message. Each message keeps its own channel, so a reply
can leave the way the customer wrote. A caller that threads by itself (email by its headers)
names the conversation; it must be that customer's. Older conversations (a merged duplicate's
thread, the transcripts of past contacts) stay readable, and the timeline shows every message
of every conversation in time order.

Messages are numbered per conversation without gaps (`seq`): internal notes take numbers too,
so a customer, who never sees notes, sees gaps; clients resume with the last `seq` they saw
(`messages_after`), never by counting.

A customer's message opens a contact routed to the home team when none of that kind is open
(async work for app, email, social and web forms, which multitask; a chat seat for live chat),
so every written word reaches a person; later messages join the open contact. A staff reply to
a customer who is not looking queues an email notification (services/notifications.py).

Writing is one transaction: the message, its `message.posted` outbox event, the contact, the
notification and the idempotency key commit together or not at all. The contact is handed to
the router after the commit; if the router cannot take it then, its sweep routes it later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.contacts import AuthorKind, Message, check_body
from teamline.domain.enums import Channel, Role
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TeamlineError
from teamline.domain.events import MessagePosted
from teamline.domain.users import User
from teamline.services.access import access_conversation, access_customer
from teamline.services.contacts import record_contact
from teamline.services.idempotency import Claim
from teamline.services.ids import new_id
from teamline.services.notifications import notify_if_offline
from teamline.services.router import Router
from teamline.store.conversations import StoredMessage
from teamline.store.uow import UnitOfWork

log = logging.getLogger("teamline.conversations")

PAGE_MAX = 200
MAX_SUBJECT = 200  # the width of conversations.subject
MAX_EXTERNAL_ID = 255  # the width of messages.external_id
# channels whose customer messages are work for an agent; calls, store visits and field
# visits are contacts in their own right
WRITTEN = frozenset({Channel.ASYNC, Channel.CHAT, Channel.EMAIL, Channel.SOCIAL, Channel.WEB_FORM})


@dataclass(frozen=True)
class MessageView:
    id: int
    conversation_id: str
    customer_id: str
    seq: int
    author_kind: str  # customer, agent or system
    author_id: str | None  # the customer's id, the agent's (or the staff user's), or None
    channel: str
    body: str
    internal: bool
    created_at: datetime


@dataclass(frozen=True)
class ConversationView:
    id: str
    customer_id: str
    subject: str
    created_at: datetime
    last_seq: int  # of the newest message the reader may see; 0 when there is none
    last_message_at: datetime | None
    current: bool  # the customer's thread: where a new message goes


# A channel's hook that delivers a staff reply inside the transaction that posts it (email
# queues it as an outbound mail); it returns the outbound row's id, or None if it did not.
ReplyHook = Callable[[UnitOfWork, MessageView, datetime], int | None]


def _view(m: StoredMessage) -> MessageView:
    return MessageView(
        m.id, m.conversation_id, m.customer_id, m.seq, m.author_kind, m.author_id, m.channel,
        m.body, m.internal, m.created_at,
    )  # fmt: skip


def _author(actor: User) -> tuple[AuthorKind, str | None]:
    if actor.role is Role.CUSTOMER:
        return AuthorKind.CUSTOMER, actor.customer_id
    return AuthorKind.AGENT, actor.agent_id or actor.id


def check_subject(subject: str, field: str = "subject") -> str:
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(field, f"a subject is at most {MAX_SUBJECT} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in subject):
        raise InvalidInput(field, "a subject is one line without control characters")
    return subject.strip()


def post_message(
    uow: UnitOfWork,
    router: Router,
    actor: User,
    customer_id: str,
    body: str,
    now: datetime,
    *,
    channel: Channel,
    internal: bool = False,
    conversation_id: str | None = None,
    external_id: str | None = None,
    subject: str = "",
    reply_hooks: Sequence[ReplyHook] = (),
    idempotency: Claim[MessageView] | None = None,
) -> MessageView:
    """Append a message to the customer's thread (or to `conversation_id`, theirs).

    A customer writes to their own thread; staff reply to any customer, or write an internal
    note (`internal`). `external_id` is the outside world's id of the message: one already
    stored (a duplicate delivery) returns the stored message and changes nothing. When no
    `reply_hooks` delivered a staff reply, an offline customer gets an email notification."""
    check_body(body)
    subject = check_subject(subject)
    if internal and not actor.is_staff:
        raise PermissionDenied("only staff write internal notes")
    if external_id is not None and not 0 < len(external_id) <= MAX_EXTERNAL_ID:
        raise InvalidInput("external_id", f"an external id has 1 to {MAX_EXTERNAL_ID} characters")
    author_kind, author_id = _author(actor)
    with uow:
        customer = access_customer(uow, actor, customer_id)
        known = _known(uow, external_id, customer.id)
        if known is not None:
            return known
        if (survivor := uow.conversations.lock_customer(customer.id)) is not None:
            raise Conflict(f"customer {customer.id} was merged into {survivor}: write there")
        known = _known(uow, external_id, customer.id)  # it may have arrived while we waited
        if known is not None:
            return known
        thread = thread_for(uow, customer.id, conversation_id, subject, now)
        view = append_message(
            uow, thread, customer.id, author_kind, author_id, channel, body, now,
            internal=internal, external_id=external_id,
        )  # fmt: skip
        contact_id = None
        if author_kind is AuthorKind.CUSTOMER and channel in WRITTEN:
            kinds = [c.value for c in Channel if c.capacity_class is channel.capacity_class]
            if uow.conversations.open_contact_id(customer.id, kinds) is None:
                contact = record_contact(
                    uow, customer, channel, now, first_words=body, conversation_id=thread
                )
                contact_id = contact.id
        if author_kind is AuthorKind.AGENT and not internal:
            delivered = [hook(uow, view, now) for hook in reply_hooks]
            if all(d is None for d in delivered):
                notify_if_offline(uow, customer, view, now)
        if idempotency is not None:
            idempotency.record(uow, str(view.id), now, view)
        uow.commit()
    if contact_id is not None:
        _route(router, contact_id, now)
    return view


def _known(uow: UnitOfWork, external_id: str | None, customer_id: str) -> MessageView | None:
    if external_id is None:
        return None
    stored = uow.conversations.by_external_id(external_id)
    if stored is None:
        return None
    if stored.customer_id != customer_id:
        raise Conflict(f"external id {external_id!r} names another customer's message")
    return _view(stored)


def thread_for(
    uow: UnitOfWork, customer_id: str, conversation_id: str | None, subject: str, now: datetime
) -> str:
    """Inside an open unit of work holding the customer's lock: the conversation a message
    goes to, created when the customer has none. A subject names a thread that had none."""
    if conversation_id is not None:
        found = uow.conversations.get(conversation_id)
        if found is None or found.customer_id != customer_id:
            raise NotFound(f"conversation {conversation_id!r} not found")
        if subject and not found.subject:
            uow.conversations.set_subject(found.id, subject)
        return found.id
    current = uow.conversations.current_id(customer_id)
    if current is None:
        current = new_id("cnv")
        uow.conversations.add(current, customer_id, subject, now)
    elif subject:
        found = uow.conversations.get(current)
        if found is not None and not found.subject:
            uow.conversations.set_subject(current, subject)
    return current


def append_message(
    uow: UnitOfWork,
    conversation_id: str,
    customer_id: str,
    author_kind: AuthorKind,
    author_id: str | None,
    channel: Channel,
    body: str,
    now: datetime,
    *,
    internal: bool = False,
    external_id: str | None = None,
) -> MessageView:
    """Inside an open unit of work holding the customer's lock: number and store a message and
    record its `message.posted` event (the live hub and the notifications read it)."""
    seq = uow.conversations.next_seq(conversation_id)
    message = Message(conversation_id, seq, author_kind, author_id, channel, body, now, internal)
    message_id = uow.conversations.add_message(message, external_id)
    uow.journal.record(
        MessagePosted(
            at=now, conversation_id=conversation_id, customer_id=customer_id, seq=seq,
            message_id=message_id, author_kind=author_kind.value, channel=channel.value,
            internal=internal,
        )
    )  # fmt: skip
    return MessageView(
        message_id, conversation_id, customer_id, seq, author_kind.value, author_id,
        channel.value, message.body, internal, now,  # masked: no card number in the answer
    )  # fmt: skip


def _route(router: Router, contact_id: str, now: datetime) -> None:
    try:
        router.submit(contact_id, now)
    except TeamlineError:
        # the message and its contact are committed (acknowledged); the router's sweep routes
        # contacts that never reached it, so the customer is not lost, only routed later
        log.warning("contact %s waits for the router's sweep", contact_id, exc_info=True)


def messages_after(
    uow: UnitOfWork, actor: User, conversation_id: str, after_seq: int, limit: int = PAGE_MAX
) -> list[MessageView]:
    """Up to `limit` messages with a sequence number above `after_seq`, oldest first; customers
    never see internal notes."""
    if after_seq < 0:
        raise InvalidInput("after_seq", "a sequence number is 0 or more")
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("limit", f"a page holds 1 to {PAGE_MAX} messages")
    with uow:
        access_conversation(uow, actor, conversation_id)
        stored = uow.conversations.after(
            conversation_id, after_seq, limit, actor.sees_internal_notes
        )
    return [_view(m) for m in stored]


def message_view(uow: UnitOfWork, actor: User, message_id: int) -> MessageView:
    """One message, for whoever may see it."""
    with uow:
        stored = uow.conversations.message(message_id)
    if (
        stored is None
        or not actor.may_see_customer(stored.customer_id)
        or (stored.internal and not actor.sees_internal_notes)
    ):
        raise NotFound(f"message {message_id} not found")
    return _view(stored)


def conversations_of(uow: UnitOfWork, actor: User, customer_id: str) -> list[ConversationView]:
    """The customer's conversations, newest first; the first is their thread."""
    with uow:
        access_customer(uow, actor, customer_id)
        records = uow.conversations.of_customer(customer_id, actor.sees_internal_notes)
    return [
        ConversationView(
            r.id,
            r.customer_id,
            r.subject,
            r.created_at,
            r.last_message_seq or 0,
            r.last_message_at,
            current=index == 0,
        )
        for index, r in enumerate(records)
    ]


def get_conversation(uow: UnitOfWork, actor: User, conversation_id: str) -> ConversationView:
    """One conversation (its customer, its newest visible message), for whoever may see it."""
    with uow:
        found = access_conversation(uow, actor, conversation_id)
    return next(c for c in conversations_of(uow, actor, found.customer_id) if c.id == found.id)
