"""The channels a staff reply can leave by, as `post_message` reply hooks (issue 5, 6-7).

Whoever posts a staff reply passes `reply_hooks=CHANNEL_REPLY_HOOKS`: inside the reply's own
transaction, the hook reads where the customer's latest words came from (once, for every
channel) and, by email or a social network, queues the reply there (an `outbound_messages`
row). When it does not, `post_message` falls back to its email notification for a customer who
is not looking.
"""

from __future__ import annotations

from datetime import datetime

from teamline.services.conversations import MessageView, ReplyHook
from teamline.services.mail import email_reply_to
from teamline.services.social import social_reply_to
from teamline.store.uow import UnitOfWork


def reply_where_customer_wrote(uow: UnitOfWork, message: MessageView, now: datetime) -> int | None:
    """Queue an agent's reply by the channel of the customer's latest message in the thread;
    the outbound row's id, or None (an internal note, or the customer wrote some other way)."""
    if message.internal or message.author_kind != "agent":
        return None
    last = uow.threads.last_from_customer(message.conversation_id)
    return email_reply_to(uow, message, last, now) or social_reply_to(uow, message, last, now)


CHANNEL_REPLY_HOOKS: tuple[ReplyHook, ...] = (reply_where_customer_wrote,)
