"""Email notifications of replies to customers who are not looking (DOMAIN.md section 1:
"the team's answer waits for them"; the rule of who is online is in domain/notifications.py).

The notification is queued in `outbound_messages` inside the transaction that posts the reply,
so it exists exactly when the reply does; the mail sender delivers it. A customer without an
email identity gets none: the reply still waits in their thread.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from teamline.domain.customers import Customer
from teamline.domain.enums import IdentityKind
from teamline.domain.notifications import is_online, reply_notice
from teamline.store.uow import UnitOfWork


class Reply(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def body(self) -> str: ...


def notify_if_offline(uow: UnitOfWork, customer: Customer, reply: Reply, now: datetime) -> bool:
    """Inside the open unit of work that posts `reply`: queue its email notification when the
    customer is offline and has an email address. Whether one was queued."""
    if is_online(uow.conversations.last_seen(customer.id, now), now):
        return False
    recipient = customer.identity(IdentityKind.EMAIL)
    if recipient is None:
        return False
    team = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
    notice = reply_notice(customer.language, team.name if team else "", reply.body)
    uow.conversations.queue_notification(reply.id, recipient, notice.subject, notice.body, now)
    return True
