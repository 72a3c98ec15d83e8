"""Where a customer's case stands, written on their timeline (DOMAIN.md 1: never repeat yourself;
DOMAIN.md 5: a case with a visible status, not a black box).

A status note is a system message in the customer's current thread, visible to the customer and
to whoever on the team answers next. It says what happened and what comes next; it never holds
a secret (an unlock code is not stored at all).
"""

from __future__ import annotations

from datetime import datetime

from teamline.domain.contacts import AuthorKind
from teamline.domain.enums import Channel
from teamline.services.conversations import append_message, thread_for
from teamline.store.uow import UnitOfWork


def post_status_note(uow: UnitOfWork, customer_id: str, body: str, now: datetime) -> int:
    """Inside an open unit of work: append the note to the customer's thread (created when they
    have none). Returns the message id."""
    uow.conversations.lock_customer(customer_id)
    thread = thread_for(uow, customer_id, None, "", now)
    view = append_message(
        uow, thread, customer_id, AuthorKind.SYSTEM, None, Channel.ASYNC, body, now
    )
    return view.id
