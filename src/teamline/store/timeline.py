"""Contacts, conversations, messages and case steps as rows; the timeline query with keyset
pagination."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, false, or_, select, update
from sqlalchemy.orm import Session

from teamline.domain.case_steps import STAFF_ONLY, CaseStep, StepKind, describe, seen_by_customer
from teamline.domain.contacts import Contact, ContactState, Conversation, Message
from teamline.domain.enums import Channel, Direction
from teamline.domain.escalation import Level
from teamline.domain.timeline import EntryKind, TimelineEntry, TimelinePosition, newest_first
from teamline.store.tables import ContactRow, ConversationRow, MessageRow
from teamline.store.tables_cases import CaseRow, CaseStepRow


def contact_row(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "customer_id": contact.customer_id,
        "channel": contact.channel.value,
        "direction": contact.direction.value,
        "state": contact.state.value,
        "created_at": contact.created_at,
        "conversation_id": contact.conversation_id,
        "human_required": contact.human_required,
        "team_id": contact.team_id,
        "agent_id": contact.agent_id,
        "external_ref": contact.external_ref,
        "subject": contact.subject,
    }


def conversation_row(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "customer_id": conversation.customer_id,
        "created_at": conversation.created_at,
        "last_seq": conversation.last_seq,
        "subject": conversation.subject,
    }


def message_row(message: Message) -> dict[str, Any]:
    return {
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "author_kind": message.author_kind.value,
        "author_id": message.author_id,
        "channel": message.channel.value,
        "body": message.body,
        "internal": message.internal,
        "created_at": message.created_at,
    }


def _contact(row: ContactRow) -> Contact:
    return Contact(
        row.id,
        row.customer_id,
        Channel(row.channel),
        Direction(row.direction),
        row.created_at,
        ContactState(row.state),
        row.conversation_id,
        row.human_required,
        row.team_id,
        row.agent_id,
        row.external_ref,
        row.subject,
    )


def _before(
    at_col: SQLColumnExpression[Any],
    key_col: SQLColumnExpression[Any],
    rank: int,
    cursor: TimelinePosition,
) -> ColumnElement[bool]:
    """Rows of one stream (all of kind `rank`) that sort strictly after `cursor`, newest first."""
    if rank < cursor.rank:
        return at_col <= cursor.at
    if rank > cursor.rank:
        return at_col < cursor.at
    key: Any = int(cursor.key) if rank != EntryKind.CONTACT.rank else cursor.key
    return or_(at_col < cursor.at, and_(at_col == cursor.at, key_col < key))


class TimelineRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add_contact(self, contact: Contact, **routing: Any) -> None:
        """`routing`: the router's columns (virtual_start, tier, language, level, kind...)."""
        self._s.add(ContactRow(**contact_row(contact), **routing))

    def contact(self, contact_id: str) -> Contact | None:
        row = self._s.get(ContactRow, contact_id)
        return _contact(row) if row else None

    def add_conversation(self, conversation: Conversation) -> None:
        self._s.add(ConversationRow(**conversation_row(conversation)))
        self._s.flush()  # rows are not linked by relationships: parents first, by hand
        self._s.add_all(MessageRow(**message_row(m)) for m in conversation.messages)

    def contact_ids_of(self, customer_id: str) -> list[str]:
        return list(
            self._s.scalars(select(ContactRow.id).where(ContactRow.customer_id == customer_id))
        )

    def conversation_ids_of(self, customer_id: str) -> list[str]:
        return list(
            self._s.scalars(
                select(ConversationRow.id).where(ConversationRow.customer_id == customer_id)
            )
        )

    def move_contacts(self, ids: Iterable[str], to_customer: str) -> None:
        ids = list(ids)
        if ids:
            self._s.execute(
                update(ContactRow).where(ContactRow.id.in_(ids)).values(customer_id=to_customer)
            )

    def move_conversations(self, ids: Iterable[str], to_customer: str) -> None:
        ids = list(ids)
        if ids:
            self._s.execute(
                update(ConversationRow)
                .where(ConversationRow.id.in_(ids))
                .values(customer_id=to_customer)
            )

    def page(
        self,
        customer_id: str,
        limit: int,
        after: TimelinePosition | None,
        include_internal: bool,
    ) -> list[TimelineEntry]:
        """Up to `limit` entries newest first, strictly after `after` when given.

        Each stream is read with its own bounded, indexed query and the two are merged: no
        UNION across differently typed tables, and the page costs O(limit) rows either way.
        """
        contact_q = select(ContactRow).where(ContactRow.customer_id == customer_id)
        message_q = (
            select(MessageRow)
            .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
            .where(ConversationRow.customer_id == customer_id)
        )
        if not include_internal:
            message_q = message_q.where(MessageRow.internal == false())
        if after is not None:
            contact_q = contact_q.where(
                _before(ContactRow.created_at, ContactRow.id, EntryKind.CONTACT.rank, after)
            )
            message_q = message_q.where(
                _before(MessageRow.created_at, MessageRow.id, EntryKind.MESSAGE.rank, after)
            )
        step_q = (
            select(CaseStepRow, CaseRow.subject)
            .join(CaseRow, CaseStepRow.case_id == CaseRow.id)
            .where(CaseStepRow.customer_id == customer_id)
        )
        if not include_internal:
            step_q = step_q.where(CaseStepRow.kind.not_in([k.value for k in STAFF_ONLY]))
        if after is not None:
            step_q = step_q.where(
                _before(CaseStepRow.at, CaseStepRow.id, EntryKind.CASE.rank, after)
            )
        steps = self._s.execute(
            step_q.order_by(CaseStepRow.at.desc(), CaseStepRow.id.desc()).limit(limit)
        )
        contacts = self._s.scalars(
            contact_q.order_by(ContactRow.created_at.desc(), ContactRow.id.desc()).limit(limit)
        )
        messages = self._s.scalars(
            message_q.order_by(MessageRow.created_at.desc(), MessageRow.id.desc()).limit(limit)
        )
        contact_entries = [
            TimelineEntry(
                EntryKind.CONTACT,
                c.id,
                c.created_at,
                c.channel,
                c.subject,
                conversation_id=c.conversation_id,
                state=c.state,
            )
            for c in contacts
        ]
        message_entries = [
            TimelineEntry(
                EntryKind.MESSAGE,
                str(m.id),
                m.created_at,
                m.channel,
                m.body,
                conversation_id=m.conversation_id,
                author_kind=m.author_kind,
                author_id=m.author_id,
                seq=m.seq,
                internal=m.internal,
            )
            for m in messages
        ]
        step_entries = [_step_entry(row, subject, include_internal) for row, subject in steps]
        return newest_first(contact_entries, message_entries, limit, step_entries)


def _step_entry(row: CaseStepRow, subject: str, include_internal: bool) -> TimelineEntry:
    """A case step on the timeline; a customer's copy carries no internal note."""
    step = CaseStep(row.at, StepKind(row.kind), Level(row.level), row.actor_id, row.note,
                    row.internal)  # fmt: skip
    shown = step if include_internal else seen_by_customer(step)
    assert shown is not None  # staff-only steps were left out by the query
    return TimelineEntry(
        EntryKind.CASE,
        str(row.id),
        row.at,
        "case",
        describe(shown, subject),
        state=row.kind,
        author_id=row.actor_id,
        internal=shown.internal,
        case_id=row.case_id,
    )
