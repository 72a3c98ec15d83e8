"""Social media as a channel: public mentions and direct messages join the author's thread;
replies leave through an outbound adapter (issue 5, item 7; DOMAIN.md sections 2 and 4).

A post's author is matched to a customer by social identity (`platform:handle`). Each post is
stored once: its `external_id` is `platform:kind:post_id` (a DM id and a post id of one platform
may come from different number spaces, so the kind is part of the name).

Public mentions are flagged (`contacts.public_mention`) and prioritised: they are public, a
slow answer is seen by everyone, so companies answer them fast (DOMAIN.md 2). The contact they
open is marked human-required (a person answers, never an automated reply) and carries the
largest tier credit the routing engine gives (tier 5: it goes first as if it had come
`max_tier_credit_seconds` earlier; still bounded, so it never starves a call that has waited
longest). The customer's own tier is not touched: the credit is the contact's, not a grant.

An author who is no customer of ours (no identity matches) is acknowledged (the provider must
stop retrying) and written to the audit log as `social.unmatched` with the handle, the post id
and its URL, for social care to look at; no customer record is invented for them.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from teamline.domain.contacts import MAX_MESSAGE_LENGTH, AuthorKind
from teamline.domain.enums import Channel, IdentityKind
from teamline.domain.errors import Conflict, InvalidInput, NotFound, TeamlineError
from teamline.domain.identities import Identity
from teamline.domain.mail import header_text
from teamline.services.channel_actors import inbound_actor
from teamline.services.contacts import record_contact
from teamline.services.conversations import MessageView, append_message, post_message, thread_for
from teamline.services.customers import find_customer_id
from teamline.services.router import Router
from teamline.store.threads import ThreadMessage
from teamline.store.uow import UnitOfWork

log = logging.getLogger("teamline.social")

SOURCE = "social"  # webhook_deliveries.source
SOCIAL = Channel.SOCIAL.value
PRIORITY_TIER = 5  # the routing credit of a public mention (see the module docstring)


class SocialKind(StrEnum):
    MENTION = "mention"  # public: everyone sees the post and how long our answer takes
    DM = "dm"  # a direct message: private, like any async message


@dataclass(frozen=True, slots=True)
class SocialPost:
    platform: str
    kind: SocialKind
    author: str  # the handle, with or without '@'
    text: str
    post_id: str
    url: str | None = None

    @property
    def external_id(self) -> str:
        return f"{self.platform.lower()}:{self.kind.value}:{self.post_id}"


@dataclass(frozen=True, slots=True)
class SocialReceipt:
    status: str  # accepted, duplicate, unmatched
    customer_id: str | None = None
    conversation_id: str | None = None
    message_id: int | None = None


def parse_external_id(external_id: str) -> tuple[str, SocialKind, str] | None:
    """(platform, kind, post id) of a stored social message's external id."""
    platform, _, rest = external_id.partition(":")
    kind, _, post_id = rest.partition(":")
    if not platform or not post_id or kind not in SocialKind.__members__.values():
        return None
    return platform, SocialKind(kind), post_id


def _author(post: SocialPost) -> Identity:
    try:
        return Identity.of(IdentityKind.SOCIAL, f"{post.platform}:{post.author}")
    except InvalidInput as exc:
        raise InvalidInput("author", exc.message) from exc


def _record_delivery(uow: UnitOfWork, delivery_id: str, now: datetime) -> None:
    with uow:
        if not uow.deliveries.seen(SOURCE, delivery_id):
            uow.deliveries.record(SOURCE, delivery_id, now)
            # a concurrent twin may record it first: the same delivery, taken once
            with suppress(Conflict):
                uow.commit()


def receive_social(
    uow: UnitOfWork, router: Router, delivery_id: str, post: SocialPost, now: datetime
) -> SocialReceipt:
    """Take one verified webhook delivery: exactly one effect however often it comes.

    The delivery id answers repeats at once; the post's external id makes posting itself
    idempotent, so a delivery that crashed half-way (posted, not yet recorded) is finished
    by its retry without a second message.
    """
    identity = _author(post)
    with uow:
        if uow.deliveries.seen(SOURCE, delivery_id):
            return SocialReceipt("duplicate")
        known = uow.threads.first_known([post.external_id])
        customer_id = find_customer_id(uow, identity)
    if known is not None:
        _record_delivery(uow, delivery_id, now)
        return SocialReceipt("duplicate", known.customer_id, known.conversation_id, known.id)
    if customer_id is None:
        with uow:
            # the delivery row and the audit row commit together: a concurrent twin's commit
            # fails on the delivery's unique key, and its audit row goes with it
            uow.deliveries.record(SOURCE, delivery_id, now)
            uow.journal.audit(
                now, None, "social.unmatched", "social_post", post.external_id[:60],
                {"handle": identity.value, "kind": post.kind.value, "url": post.url or "",
                 "post_id": post.post_id},
            )  # fmt: skip
            try:
                uow.commit()
            except Conflict:
                return SocialReceipt("duplicate")
        return SocialReceipt("unmatched")
    body = post.text.replace("\x00", "").strip()[:MAX_MESSAGE_LENGTH] or "(no text)"
    subject = header_text(f"{post.platform} {post.kind.value} {post.url or post.post_id}")
    status = "accepted"
    if post.kind is SocialKind.MENTION:
        posted, fresh = _post_public_mention(uow, router, customer_id, post, body, subject, now)
        status = "accepted" if fresh else "duplicate"
    else:
        posted = post_message(
            uow, router, inbound_actor(Channel.SOCIAL, customer_id), customer_id, body, now,
            channel=Channel.SOCIAL, external_id=post.external_id, subject=subject,
        )  # fmt: skip
    _record_delivery(uow, delivery_id, now)
    return SocialReceipt(status, customer_id, posted.conversation_id, posted.id)


def _post_public_mention(
    uow: UnitOfWork,
    router: Router,
    customer_id: str,
    post: SocialPost,
    body: str,
    subject: str,
    now: datetime,
) -> tuple[MessageView, bool]:
    """A public mention joins the customer's thread like any message, but it is its own
    contact, flagged and prioritised, even while another contact of the customer is open:
    `post_message` would join it to that contact and its place in line, and a public post
    must not wait behind a private one. Built from the same blocks as `post_message`, in one
    transaction. Returns the message and whether this call stored it."""
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id!r} not found")
        uow.conversations.lock_customer(customer.id)
        stored = uow.conversations.by_external_id(post.external_id)
        if stored is not None:  # a concurrent delivery posted it while we waited for the lock
            return MessageView(
                stored.id, stored.conversation_id, stored.customer_id, stored.seq,
                stored.author_kind, stored.author_id, stored.channel, stored.body,
                stored.internal, stored.created_at,
            ), False  # fmt: skip
        thread = thread_for(uow, customer.id, None, subject, now)
        view = append_message(
            uow, thread, customer.id, AuthorKind.CUSTOMER, customer.id, Channel.SOCIAL, body,
            now, external_id=post.external_id,
        )  # fmt: skip
        contact = record_contact(
            uow, customer, Channel.SOCIAL, now, first_words=body, conversation_id=thread
        )
        uow.routing.set_contact(
            contact.id, public_mention=True, human_required=True, tier=PRIORITY_TIER
        )
        uow.commit()
    try:
        router.submit(contact.id, now)
    except TeamlineError:
        # committed, so acknowledged: the router's sweep routes contacts that never reached it
        log.warning("public mention %s waits for the router's sweep", contact.id, exc_info=True)
    return view, True


def social_reply_to(
    uow: UnitOfWork, message: MessageView, last: ThreadMessage | None, now: datetime
) -> int | None:
    """Inside the open unit of work that posts `message`, an agent's reply: queue it for the
    social network when the customer's latest words in the thread (`last`) came by social
    media. It answers that post: publicly under a mention, privately to a DM."""
    if last is None or last.channel != SOCIAL or not last.external_id:
        return None
    parsed = parse_external_id(last.external_id)
    customer = uow.customers.get(message.customer_id)
    if parsed is None or customer is None:
        return None
    platform, kind, post_id = parsed
    handle = next(
        (i.value for i in customer.identities
         if i.kind is IdentityKind.SOCIAL and i.value.startswith(f"{platform}:")),
        None,
    )  # fmt: skip
    if handle is None:
        return None
    headers = {"platform": platform, "kind": kind.value, "in_reply_to": post_id}
    return uow.outbound.add(SOCIAL, message.id, handle, "", message.body, headers, now)
