"""Async messaging over HTTP: post to the customer's thread, read a conversation from a
sequence number on, list a customer's conversations, and log store and field contacts
(issue 5, items 1, 2 and 8). POSTs honour `Idempotency-Key` (api/idempotency.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import Field

from teamline.api.access_policy import EVERYONE, STAFF, access
from teamline.api.contacts import RouterDep
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.api.schemas import FromDomain, Strict
from teamline.domain.contacts import MAX_MESSAGE_LENGTH
from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput
from teamline.domain.users import User
from teamline.services import conversations, logged_contacts
from teamline.services.replies import CHANNEL_REPLY_HOOKS
from teamline.services.unit_of_work import UnitOfWork

router = APIRouter()

SEQ_MAX = 2**31 - 1  # the width of messages.seq


class MessageIn(Strict):
    body: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    customer_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="Whose thread. A customer may leave it out (their own); staff name the "
        "customer, or the conversation.",
    )
    conversation_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="One of the customer's conversations; by default their thread.",
    )
    internal: bool = Field(default=False, description="A staff note, never shown to customers.")
    subject: str = Field(default="", max_length=200)


class MessageOut(FromDomain):
    id: int
    conversation_id: str
    customer_id: str
    seq: int
    author_kind: str
    author_id: str | None
    channel: str
    body: str
    internal: bool
    created_at: datetime


class ConversationOut(FromDomain):
    id: str
    customer_id: str
    subject: str
    created_at: datetime
    last_seq: int
    last_message_at: datetime | None
    current: bool


class LoggedContactIn(Strict):
    channel: Literal["store", "field"]
    note: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    subject: str = Field(default="", max_length=200)


class LoggedContactOut(FromDomain):
    id: str
    customer_id: str
    channel: str
    state: str
    subject: str
    created_at: datetime
    note: MessageOut


def _customer_of(uow: UnitOfWork, user: User, body: MessageIn) -> str:
    if body.customer_id is not None:
        return body.customer_id
    if user.customer_id is not None:
        return user.customer_id
    if body.conversation_id is not None:
        return conversations.get_conversation(uow, user, body.conversation_id).customer_id
    raise InvalidInput("customer_id", "staff name the customer (or the conversation) they write to")


@router.post(
    "/messages",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
    tags=["messages"],
    **access(*EVERYONE),
)
def post_message(
    body: MessageIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    live: RouterDep,
    now: NowDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """A customer writes to their team and leaves; staff reply, or write an internal note.
    The customer's message is routed to their home team as async work. A staff reply also
    leaves the way the customer last wrote (an email or social reply); otherwise, to a
    customer not seen for 5 minutes, as an email notification."""
    customer_id = _customer_of(uow, user, body)
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: conversations.post_message(
            uow, live, user, customer_id, body.body, now, channel=Channel.ASYNC,
            internal=body.internal, conversation_id=body.conversation_id,
            subject=body.subject, reply_hooks=CHANNEL_REPLY_HOOKS, idempotency=claim,
        ),
        out=MessageOut.model_validate,
        replay=lambda message_id: conversations.message_view(uow, user, int(message_id)),
        # the message, its key and its answer commit together; replies leave only through
        # the outbox: a repeat fails whole on the key
        optimistic=True,
    )  # fmt: skip


@router.get(
    "/conversations/{conversation_id}/messages",
    response_model=list[MessageOut],
    tags=["messages"],
    **access(*EVERYONE, scope="customer"),
)
def messages_after(
    conversation_id: str,
    user: CurrentUser,
    uow: UowDep,
    after_seq: Annotated[int, Query(ge=0, le=SEQ_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=conversations.PAGE_MAX)] = conversations.PAGE_MAX,
) -> list[MessageOut]:
    """The messages after `after_seq`, oldest first: pass the last `seq` you saw to get
    exactly what you missed. Sequence numbers have gaps for customers (notes are hidden)."""
    views = conversations.messages_after(uow, user, conversation_id, after_seq, limit)
    return [MessageOut.model_validate(v) for v in views]


@router.get(
    "/customers/{customer_id}/conversations",
    response_model=list[ConversationOut],
    tags=["messages"],
    **access(*EVERYONE, scope="customer"),
)
def conversations_of(customer_id: str, user: CurrentUser, uow: UowDep) -> list[ConversationOut]:
    """The customer's conversations, newest first; `current` marks their thread."""
    views = conversations.conversations_of(uow, user, customer_id)
    return [ConversationOut.model_validate(v) for v in views]


@router.post(
    "/customers/{customer_id}/contacts/logged",
    response_model=LoggedContactOut,
    status_code=status.HTTP_201_CREATED,
    tags=["contacts"],
    **access(*STAFF, scope="customer"),
)
def log_contact(
    customer_id: str,
    body: LoggedContactIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Staff in a store or in the field log a contact that already happened: it joins the
    customer's timeline with its note and is not routed."""
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: logged_contacts.log_contact(
            uow, user, customer_id, Channel(body.channel), body.note, now,
            subject=body.subject, idempotency=claim,
        ),
        out=LoggedContactOut.model_validate,
    )  # fmt: skip
