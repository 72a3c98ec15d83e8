"""Conversations and their messages as the messaging use cases write and read them: the
per-customer lock, the sequence counter, messages after a sequence number, and what tells
whether a customer is looking (issue 5, items 1-2).

Concurrency: every writer of a customer's threads first takes `lock_customer`; on PostgreSQL a
row lock (SELECT ... FOR UPDATE), on SQLite the database's one write lock, taken by a write that
changes nothing. The lock is held to commit, so creating the customer's thread, numbering a
message and opening the customer's one async contact are decided by one writer at a time.
`next_seq` increments with UPDATE ... RETURNING, safe even without that lock; the unique
constraint (conversation_id, seq) is the last guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, false, func, select, update
from sqlalchemy.orm import Session

from teamline.domain.contacts import AuthorKind, Message
from teamline.store.routing import OPEN_STATES
from teamline.store.tables import (
    ContactRow,
    ConversationRow,
    CustomerRow,
    MessageRow,
    OutboundMessageRow,
    SessionRow,
    UserRow,
)


@dataclass(frozen=True, slots=True)
class StoredMessage:
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


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: str
    customer_id: str
    created_at: datetime
    subject: str
    last_seq: int
    # the newest message the reader may see (None: none yet)
    last_message_seq: int | None = None
    last_message_at: datetime | None = None


def _messages() -> Select[MessageRow, str]:
    return select(MessageRow, ConversationRow.customer_id).join(
        ConversationRow, MessageRow.conversation_id == ConversationRow.id
    )


def _stored(row: MessageRow, customer_id: str) -> StoredMessage:
    return StoredMessage(
        row.id,
        row.conversation_id,
        customer_id,
        row.seq,
        row.author_kind,
        row.author_id,
        row.channel,
        row.body,
        row.internal,
        row.created_at,
    )


def _record(row: ConversationRow) -> ConversationRecord:
    return ConversationRecord(row.id, row.customer_id, row.created_at, row.subject, row.last_seq)


class ConversationRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # ---- writing ------------------------------------------------------------------------------

    def lock_customer(self, customer_id: str) -> str | None:
        """Hold the customer's row until commit (see the module docstring). Returns the
        customer they were merged into, if any, as read under the lock (one round trip)."""
        if self._s.get_bind().dialect.name == "postgresql":
            return self._s.scalar(
                select(CustomerRow.merged_into_id)
                .where(CustomerRow.id == customer_id)
                .with_for_update()
            )
        # pysqlite opens its transaction at the first write: this one takes the lock, and
        # every read after it sees the latest commit
        return self._s.scalar(
            update(CustomerRow)
            .where(CustomerRow.id == customer_id)
            .values(tier=CustomerRow.tier)
            .returning(CustomerRow.merged_into_id)
            .execution_options(synchronize_session=False)
        )

    def add(self, conversation_id: str, customer_id: str, subject: str, now: datetime) -> None:
        self._s.add(
            ConversationRow(
                id=conversation_id, customer_id=customer_id, created_at=now, last_seq=0,
                subject=subject,
            )
        )  # fmt: skip
        self._s.flush()  # the counter below updates the row with SQL

    def set_subject(self, conversation_id: str, subject: str) -> None:
        self._s.execute(
            update(ConversationRow)
            .where(ConversationRow.id == conversation_id)
            .values(subject=subject)
            .execution_options(synchronize_session="fetch")
        )

    def next_seq(self, conversation_id: str) -> int:
        """Take the conversation's next sequence number (atomic: UPDATE ... RETURNING)."""
        return int(
            self._s.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(last_seq=ConversationRow.last_seq + 1)
                .returning(ConversationRow.last_seq)
                # a conversation this session loaded learns its new counter
                .execution_options(synchronize_session="fetch")
            ).scalar_one()
        )

    def add_message(self, message: Message, external_id: str | None) -> int:
        row = MessageRow(
            conversation_id=message.conversation_id,
            seq=message.seq,
            author_kind=message.author_kind.value,
            author_id=message.author_id,
            channel=message.channel.value,
            body=message.body,
            internal=message.internal,
            created_at=message.created_at,
            external_id=external_id,
        )
        self._s.add(row)
        self._s.flush()
        return row.id

    def queue_notification(
        self, message_id: int, recipient: str, subject: str, body: str, now: datetime
    ) -> None:
        """An email telling the customer about `message_id`, pending for the mail sender.
        RFC 3834: an automatic message says so, so that auto-responders do not answer it."""
        self._s.add(
            OutboundMessageRow(
                channel="email", message_id=message_id, recipient=recipient, subject=subject,
                body=body, headers={"Auto-Submitted": "auto-generated"}, state="pending",
                attempts=0, created_at=now, sent_at=None,
            )
        )  # fmt: skip

    # ---- reading ------------------------------------------------------------------------------

    def get(self, conversation_id: str) -> ConversationRecord | None:
        row = self._s.get(ConversationRow, conversation_id)
        return _record(row) if row else None

    def current_id(self, customer_id: str) -> str | None:
        """The customer's thread: their newest conversation."""
        return self._s.scalar(
            select(ConversationRow.id)
            .where(ConversationRow.customer_id == customer_id)
            .order_by(ConversationRow.created_at.desc(), ConversationRow.id.desc())
            .limit(1)
        )

    def of_customer(self, customer_id: str, include_internal: bool) -> list[ConversationRecord]:
        """The customer's conversations, newest first, each with its newest visible message."""
        last = select(
            MessageRow.conversation_id,
            func.max(MessageRow.seq).label("seq"),
            func.max(MessageRow.created_at).label("at"),
        ).join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
        last = last.where(ConversationRow.customer_id == customer_id)
        if not include_internal:
            last = last.where(MessageRow.internal == false())
        newest = last.group_by(MessageRow.conversation_id).subquery()
        rows = self._s.execute(
            select(ConversationRow, newest.c.seq, newest.c.at)
            .outerjoin(newest, newest.c.conversation_id == ConversationRow.id)
            .where(ConversationRow.customer_id == customer_id)
            .order_by(ConversationRow.created_at.desc(), ConversationRow.id.desc())
        )
        return [
            ConversationRecord(c.id, c.customer_id, c.created_at, c.subject, c.last_seq, seq, at)
            for c, seq, at in rows
        ]

    def message(self, message_id: int) -> StoredMessage | None:
        row = self._s.execute(_messages().where(MessageRow.id == message_id)).first()
        return _stored(row[0], row[1]) if row else None

    def by_external_id(self, external_id: str) -> StoredMessage | None:
        row = self._s.execute(_messages().where(MessageRow.external_id == external_id)).first()
        return _stored(row[0], row[1]) if row else None

    def after(
        self, conversation_id: str, after_seq: int, limit: int, include_internal: bool
    ) -> list[StoredMessage]:
        """Messages with a sequence number above `after_seq`, in sequence order."""
        query = _messages().where(
            MessageRow.conversation_id == conversation_id, MessageRow.seq > after_seq
        )
        if not include_internal:
            query = query.where(MessageRow.internal == false())
        rows = self._s.execute(query.order_by(MessageRow.seq).limit(limit))
        return [_stored(m, customer_id) for m, customer_id in rows]

    def open_contact_id(self, customer_id: str, channels: list[str]) -> str | None:
        """One of the customer's open contacts on one of `channels`, if any."""
        return self._s.scalar(
            select(ContactRow.id)
            .where(
                ContactRow.customer_id == customer_id,
                ContactRow.channel.in_(channels),
                ContactRow.state.in_(OPEN_STATES),
            )
            .limit(1)
        )

    def last_seen(self, customer_id: str, now: datetime) -> datetime | None:
        """When the customer last did something we can see: signed in (a session still
        valid) or wrote a message."""
        signed_in = self._s.scalar(
            select(func.max(SessionRow.created_at))
            .join(UserRow, SessionRow.user_id == UserRow.id)
            .where(UserRow.customer_id == customer_id, SessionRow.expires_at > now)
        )
        wrote = self._s.scalar(
            select(func.max(MessageRow.created_at))
            .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
            .where(
                ConversationRow.customer_id == customer_id,
                MessageRow.author_kind == AuthorKind.CUSTOMER.value,
            )
        )
        seen = [t for t in (signed_in, wrote) if t is not None]
        return max(seen) if seen else None
