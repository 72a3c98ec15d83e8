"""Who acts when the outside world writes in: the one place inbound channels get their actor.

An email or a social post has no signed-in user behind it. The channel adapter has found the
customer it comes from (by thread or identity), so the use cases run with that customer's
rights and no more: a customer login of that customer, built on the fly and never stored. It
can post into that customer's thread and nowhere else, exactly like the customer in the app.
Its id names the channel, so the audit trail says the words came by mail or social.
"""

from __future__ import annotations

from teamline.domain.enums import Channel, Role
from teamline.domain.users import User

CHANNEL_ACTOR_DOMAIN = "channels.teamline.invalid"  # .invalid: never a deliverable address


def inbound_actor(channel: Channel, customer_id: str) -> User:
    """The customer `customer_id` speaking through `channel` (email, social)."""
    return User(
        id=f"{channel.value}:{customer_id}",
        email=f"{channel.value}+{customer_id.lower()}@{CHANNEL_ACTOR_DOMAIN}",
        role=Role.CUSTOMER,
        display_name=f"{channel.value} intake",
        customer_id=customer_id,
    )
