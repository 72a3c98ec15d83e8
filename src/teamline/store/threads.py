"""Messages as the outside world knows them: by the id it gave them (an email's Message-ID, a
social post's id), and what a reply needs to know about its thread (issue 5, items 6-7)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, Select, select, update
from sqlalchemy.orm import Session

from teamline.store.routing import OPEN_STATES
from teamline.store.tables import ContactRow, ConversationRow, MessageRow


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    id: int
    conversation_id: str
    customer_id: str
    seq: int
    channel: str
    author_kind: str
    external_id: str | None


def _select() -> Select[int, str, str, int, str, str, str | None]:
    return select(
        MessageRow.id,
        MessageRow.conversation_id,
        ConversationRow.customer_id,
        MessageRow.seq,
        MessageRow.channel,
        MessageRow.author_kind,
        MessageRow.external_id,
    ).join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)


def _thread(row: Row[int, str, str, int, str, str, str | None]) -> ThreadMessage:
    return ThreadMessage(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


class ThreadRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def first_known(self, external_ids: list[str]) -> ThreadMessage | None:
        """The message of the first id in `external_ids` that names one of ours."""
        if not external_ids:
            return None
        rows = self._s.execute(_select().where(MessageRow.external_id.in_(external_ids)))
        found = {r.external_id: _thread(r) for r in rows}
        return next((found[i] for i in external_ids if i in found), None)

    def external_ids(self, conversation_id: str, channel: str) -> list[str]:
        """The outside ids of a conversation's messages on one channel, oldest first."""
        return [
            i
            for i in self._s.scalars(
                select(MessageRow.external_id)
                .where(
                    MessageRow.conversation_id == conversation_id,
                    MessageRow.channel == channel,
                    MessageRow.external_id.is_not(None),
                )
                .order_by(MessageRow.seq)
            )
            if i
        ]

    def last_from_customer(self, conversation_id: str) -> ThreadMessage | None:
        """The customer's latest message in the conversation: its channel is where to answer."""
        row = self._s.execute(
            _select()
            .where(
                MessageRow.conversation_id == conversation_id,
                MessageRow.author_kind == "customer",
            )
            .order_by(MessageRow.seq.desc())
            .limit(1)
        ).first()
        return _thread(row) if row else None

    def subject(self, conversation_id: str) -> str:
        return (
            self._s.scalar(
                select(ConversationRow.subject).where(ConversationRow.id == conversation_id)
            )
            or ""
        )

    def latest_subject(self, conversation_id: str) -> str:
        """What the conversation is about now: the subject of its newest contact that has one
        (a mail's subject names the contact it opened), else the conversation's own."""
        subject = self._s.scalar(
            select(ContactRow.subject)
            .where(ContactRow.conversation_id == conversation_id, ContactRow.subject != "")
            .order_by(ContactRow.created_at.desc(), ContactRow.id.desc())
            .limit(1)
        )
        return subject or self.subject(conversation_id)

    def name_open_contacts(self, conversation_id: str, subject: str) -> None:
        """The conversation's open contacts are about `subject` (the latest mail's)."""
        self._s.execute(
            update(ContactRow)
            .where(
                ContactRow.conversation_id == conversation_id,
                ContactRow.state.in_(OPEN_STATES),
            )
            .values(subject=subject)
        )

    def set_external_id(self, message_id: int, external_id: str) -> None:
        """Name a message as the outside world will (our reply's Message-ID); the first name
        given stays, so every mail about one message threads the same way."""
        self._s.execute(
            update(MessageRow)
            .where(MessageRow.id == message_id, MessageRow.external_id.is_(None))
            .values(external_id=external_id)
        )
