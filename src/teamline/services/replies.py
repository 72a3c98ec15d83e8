"""The channels a staff reply can leave by, as `post_message` reply hooks (issue 5, 6-7).

Whoever posts a staff reply passes `reply_hooks=CHANNEL_REPLY_HOOKS`: inside the reply's own
transaction, each hook checks where the customer's latest words came from and, if that is its
channel, queues the reply there (an `outbound_messages` row). When none does, `post_message`
falls back to its email notification for a customer who is not looking.
"""

from __future__ import annotations

from teamline.services.conversations import ReplyHook
from teamline.services.mail import queue_email_reply
from teamline.services.social import queue_social_reply

CHANNEL_REPLY_HOOKS: tuple[ReplyHook, ...] = (queue_email_reply, queue_social_reply)
