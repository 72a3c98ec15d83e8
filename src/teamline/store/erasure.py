"""Erasing a customer's personal data from every table (issue 9 item 6; services/erasure.py).

Two passes, both inside the caller's transaction:
1. Known places, by key: identities are deleted; the customer's name, messages, subjects,
   call recordings, callback phones, outgoing mail and order addresses are blanked.
2. Every other place, by content: each text and JSON column of every table in the schema
   (including tables added after this module was written) is searched for the customer's
   personal strings (name, phones, emails, handles), which are replaced by `ERASED`; and every
   free-text column (`Text`) of any table with a `customer_id` column is blanked for the
   customer's rows. Append-only tables are left alone: their writers keep personal data out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, String, Table, Text, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from teamline.store.schema import Base
from teamline.store.tables import (
    CallbackJobRow,
    ContactRow,
    ConversationRow,
    CustomerRow,
    IdentityRow,
    MessageRow,
    OutboundMessageRow,
    RecordingRow,
    ServiceOrderRow,
    SessionRow,
    UserRow,
)

ERASED = "[erased]"
ERASED_NAME = "Erased customer"
# triggers refuse changes to these (the audit log, the ledger): their writers store ids only
APPEND_ONLY = frozenset({"audit_log", "ledger_entries"})
MIN_TERM = 4  # shorter strings (a 3-letter name) would blank unrelated text everywhere


def personal_terms(session: Session, customer_id: str) -> list[str]:
    """The strings that identify the customer: name and every identity value."""
    name = session.scalar(select(CustomerRow.display_name).where(CustomerRow.id == customer_id))
    owned = IdentityRow.customer_id == customer_id
    values = session.scalars(select(IdentityRow.value).where(owned))
    terms = {t for t in [name or "", *values] if len(t) >= MIN_TERM and t not in (ERASED_NAME,)}
    return sorted(terms, key=len, reverse=True)  # longest first: "Maria Lopez" before "Maria"


def erase_known_places(session: Session, customer_id: str, user_ids: list[str]) -> None:
    conversations = select(ConversationRow.id).where(ConversationRow.customer_id == customer_id)
    contacts = select(ContactRow.id).where(ContactRow.customer_id == customer_id)
    messages = select(MessageRow.id).where(MessageRow.conversation_id.in_(conversations))
    session.execute(delete(IdentityRow).where(IdentityRow.customer_id == customer_id))
    session.execute(
        update(CustomerRow).where(CustomerRow.id == customer_id).values(display_name=ERASED_NAME)
    )
    session.execute(
        update(OutboundMessageRow)
        .where(OutboundMessageRow.message_id.in_(messages))
        .values(recipient=ERASED, subject="", body=ERASED, headers={})
    )
    session.execute(
        update(MessageRow)
        .where(MessageRow.conversation_id.in_(conversations))
        .values(body=ERASED, external_id=None)
    )
    session.execute(
        update(ConversationRow).where(ConversationRow.customer_id == customer_id).values(subject="")
    )
    session.execute(
        update(ContactRow).where(ContactRow.customer_id == customer_id).values(subject="")
    )
    # the media stays with the provider; without the reference it can no longer be fetched
    session.execute(delete(RecordingRow).where(RecordingRow.contact_id.in_(contacts)))
    session.execute(
        update(CallbackJobRow).where(CallbackJobRow.customer_id == customer_id).values(phone="")
    )
    session.execute(
        update(ServiceOrderRow)
        .where(ServiceOrderRow.customer_id == customer_id)
        .values(address=ERASED, note="", cancel_reason="")
    )
    for user_id in user_ids:  # the customer's own login: gone, and unable to sign in
        session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
        session.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(
                email=f"erased-{user_id}@erased.invalid",
                display_name=ERASED_NAME,
                active=False,
                password_hash=ERASED,
            )
        )


def _tables() -> Iterable[Table]:
    return (t for t in Base.metadata.sorted_tables if t.name not in APPEND_ONLY)


def blank_free_text(session: Session, customer_id: str) -> None:
    """Free text (`Text` columns) of the customer's rows in any table: notes, reasons, bodies."""
    for table in _tables():
        if "customer_id" not in table.c or table.name == "customers":
            continue
        texts = [c for c in table.c if isinstance(c.type, Text) and not c.primary_key]
        if texts:
            session.execute(
                update(table)
                .where(table.c.customer_id == customer_id)
                .values({c.name: ERASED for c in texts})
            )


def replace_everywhere(session: Session, terms: list[str]) -> None:
    """Replace each term in every text and JSON column of every (not append-only) table."""
    if not terms:
        return
    for table in _tables():
        strings = [c for c in table.c if isinstance(c.type, String | Text) and not c.foreign_keys]
        for column in strings:
            if column.primary_key:
                continue
            for term in terms:
                session.execute(
                    update(table)
                    .where(column.contains(term, autoescape=True))
                    .values({column.name: func.replace(column, term, ERASED)})
                )
        for column in (c for c in table.c if isinstance(c.type, JSON)):
            _replace_in_json(session, table, column.name, terms)


def _replace_in_json(session: Session, table: Table, name: str, terms: list[str]) -> None:
    column = table.c[name]
    as_text = cast(column, String)
    # JSON text may spell "María" as "Mar\\u00eda": look for both spellings
    spellings = {form for t in terms for form in (t, json.dumps(t)[1:-1])}
    hits = session.execute(
        select(*table.primary_key.columns, column).where(
            or_(*(as_text.contains(t, autoescape=True) for t in spellings))
        )
    ).all()
    keys = [c.name for c in table.primary_key.columns]
    for hit in hits:
        cleaned = _scrub(hit[-1], terms)
        where = [table.c[k] == hit[i] for i, k in enumerate(keys)]
        session.execute(update(table).where(*where).values({name: cleaned}))


def _scrub(value: Any, terms: list[str]) -> Any:
    if isinstance(value, str):
        for term in terms:
            value = value.replace(term, ERASED)
        return value
    if isinstance(value, list):
        return [_scrub(v, terms) for v in value]
    if isinstance(value, dict):
        return {_scrub(k, terms): _scrub(v, terms) for k, v in value.items()}
    return value
