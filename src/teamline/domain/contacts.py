"""Contacts and their state machine; conversations and messages (the customer's timeline).

A contact is one attempt by a customer (or by us) to reach the other side, on one channel. It is
routed (queued -> offered -> assigned), handled, and ends completed, abandoned or cancelled.
A conversation is a long-lived thread per customer (DOMAIN.md section 1: async messaging is a
thread, not a session that expires); messages carry a per-conversation sequence number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from teamline.domain.card_masking import mask_card_numbers
from teamline.domain.enums import Channel, Direction
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.hours import require_aware


class ContactState(StrEnum):
    NEW = "new"
    QUEUED = "queued"
    OFFERED = "offered"
    ASSIGNED = "assigned"
    WRAP_UP = "wrap_up"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    CANCELLED = "cancelled"
    LINKED = "linked"  # a second simultaneous contact of a customer, joined to the first

    @property
    def is_open(self) -> bool:
        return self not in _FINAL


_FINAL = frozenset(
    {ContactState.COMPLETED, ContactState.ABANDONED, ContactState.CANCELLED, ContactState.LINKED}
)

CONTACT_TRANSITIONS: dict[ContactState, frozenset[ContactState]] = {
    ContactState.NEW: frozenset(
        {
            ContactState.QUEUED,
            ContactState.ASSIGNED,
            ContactState.COMPLETED,
            ContactState.CANCELLED,
            ContactState.LINKED,
        }
    ),
    ContactState.QUEUED: frozenset(
        {
            ContactState.OFFERED,
            ContactState.ASSIGNED,
            ContactState.ABANDONED,
            ContactState.CANCELLED,
        }
    ),
    # a rejected or timed-out offer goes back to the queue, keeping its place
    ContactState.OFFERED: frozenset(
        {ContactState.ASSIGNED, ContactState.QUEUED, ContactState.ABANDONED, ContactState.CANCELLED}
    ),
    # a transfer re-queues an assigned contact
    ContactState.ASSIGNED: frozenset(
        {ContactState.WRAP_UP, ContactState.COMPLETED, ContactState.QUEUED, ContactState.ABANDONED}
    ),
    ContactState.WRAP_UP: frozenset({ContactState.COMPLETED}),
    ContactState.COMPLETED: frozenset(),
    ContactState.ABANDONED: frozenset(),
    ContactState.CANCELLED: frozenset(),
    ContactState.LINKED: frozenset(),
}


def check_contact_transition(current: ContactState, target: ContactState) -> None:
    if target not in CONTACT_TRANSITIONS[current]:
        raise InvalidTransition("contact", current.value, target.value)


@dataclass(slots=True)
class Contact:
    id: str
    customer_id: str
    channel: Channel
    direction: Direction
    created_at: datetime
    state: ContactState = ContactState.NEW
    conversation_id: str | None = None
    human_required: bool = False
    team_id: str | None = None
    agent_id: str | None = None
    external_ref: str | None = None  # provider's id (e.g. Twilio CallSid), for dedupe
    subject: str = ""

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")

    def move_to(self, target: ContactState) -> None:
        check_contact_transition(self.state, target)
        self.state = target


class AuthorKind(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"


MAX_MESSAGE_LENGTH = 20_000


def check_body(body: str) -> None:
    """A message holds some text, not too much, and no NUL (PostgreSQL text cannot store it)."""
    if not body.strip():
        raise InvalidInput("body", "a message needs text")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise InvalidInput("body", f"a message is at most {MAX_MESSAGE_LENGTH} characters")
    if "\x00" in body:
        raise InvalidInput("body", "a message cannot hold NUL characters")


@dataclass(frozen=True, slots=True)
class Message:
    """One timeline entry of a conversation; internal notes are never shown to customers."""

    conversation_id: str
    seq: int
    author_kind: AuthorKind
    author_id: str | None
    channel: Channel
    body: str
    created_at: datetime
    internal: bool = False

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")
        if self.seq < 1:
            raise InvalidInput("seq", "sequence numbers start at 1")
        check_body(self.body)
        # card numbers are masked on intake, whatever the channel (issue 9): the clear digits
        # never reach storage, the outbox, an answer or a log
        object.__setattr__(self, "body", mask_card_numbers(self.body))
        if self.internal and self.author_kind is AuthorKind.CUSTOMER:
            raise InvalidInput("internal", "customers cannot write internal notes")


@dataclass(slots=True)
class Conversation:
    """A long-lived thread with one customer; `last_seq` numbers its messages without gaps."""

    id: str
    customer_id: str
    created_at: datetime
    last_seq: int = 0
    subject: str = ""
    messages: list[Message] = field(default_factory=list)

    def append(
        self,
        author_kind: AuthorKind,
        author_id: str | None,
        channel: Channel,
        body: str,
        at: datetime,
        internal: bool = False,
    ) -> Message:
        message = Message(
            self.id, self.last_seq + 1, author_kind, author_id, channel, body, at, internal
        )
        self.last_seq = message.seq
        self.messages.append(message)
        return message

    def visible_to_customer(self) -> list[Message]:
        return [m for m in self.messages if not m.internal]
