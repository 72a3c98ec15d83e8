"""Email as a channel: inbound mail joins the customer's thread; replies leave with threading
headers (issue 5, item 6; DOMAIN.md sections 1-2: every channel lands in one timeline).

Threading, in order:
1. by headers: the first id of In-Reply-To, then References newest first, that names a message
   of ours (an earlier mail, or our reply: its Message-ID is its `external_id`) puts the mail
   in that message's thread, unless the sender's address belongs to ANOTHER customer (then it
   is that customer's mail: one customer's words never land in another's record);
2. by sender: the customer whose email identity is the From address (case-insensitive);
3. otherwise the mail is refused (SMTP 550) with a sentence telling the sender how to reach us.
   We do not create a customer per unknown sender: From is unauthenticated, so an open intake
   that creates records would turn spam into customers, and a customer needs a region to get
   their team (DOMAIN.md 1), which an email does not say. The sender learns it at once from
   their own mail server; nothing is silently dropped.

A mail delivered twice (same Message-ID) is stored once: the id is the message's unique
`external_id`. A reply to a customer whose latest words came by email is queued as an
outbound row in the same transaction as the reply itself (`email_reply_to`, called by
`services/replies.py`).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.contacts import MAX_MESSAGE_LENGTH
from teamline.domain.enums import Channel, IdentityKind
from teamline.domain.errors import InvalidInput, TeamlineError
from teamline.domain.identities import Identity
from teamline.domain.mail import (
    header_text,
    reply_references,
    reply_subject,
    thread_candidates,
)
from teamline.services.channel_actors import inbound_actor
from teamline.services.conversations import MessageView, post_message
from teamline.services.customers import find_customer_id
from teamline.services.outbound import Outbound, Prepare
from teamline.services.router import Router
from teamline.store.threads import ThreadMessage
from teamline.store.uow import UnitOfWork

EMAIL = Channel.EMAIL.value


class UnknownSender(TeamlineError):
    """No thread and no customer matches the mail: it is refused, never guessed."""


@dataclass(frozen=True, slots=True)
class InboundEmail:
    """A received mail, already parsed by the channel (MIME is the adapter's business)."""

    message_id: str  # canonical `<...>` form; a stand-in hash when the mail had none
    sender: str  # the From address
    sender_name: str
    subject: str
    body: str
    in_reply_to: str | None = None
    references: str | None = None
    # the envelope's recipients, lower-case: mail to the executive office's own inbox opens an
    # executive-care case (issue 7 item 2; `services/executive_mail.py`)
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MailReceipt:
    customer_id: str
    conversation_id: str
    message_id: int
    threaded_by: str  # "headers", "sender" or "duplicate"


def _sender_customer(uow: UnitOfWork, address: str) -> str | None:
    try:
        identity = Identity.of(IdentityKind.EMAIL, address)
    except InvalidInput:
        return None
    return find_customer_id(uow, identity)


def receive_email(
    uow: UnitOfWork, router: Router, mail: InboundEmail, now: datetime
) -> MailReceipt:
    """Put an inbound mail in its customer's thread and route it as async work."""
    with uow:
        known = uow.threads.first_known([mail.message_id])
        if known is not None:  # the same mail again: stored once
            return MailReceipt(known.customer_id, known.conversation_id, known.id, "duplicate")
        parent = uow.threads.first_known(thread_candidates(mail.in_reply_to, mail.references))
        sender = _sender_customer(uow, mail.sender)
    if parent is not None and sender in (None, parent.customer_id):
        customer_id, conversation_id, how = parent.customer_id, parent.conversation_id, "headers"
    elif sender is not None:
        customer_id, conversation_id, how = sender, None, "sender"
    else:
        raise UnknownSender(
            f"{mail.sender} is not the address of a customer: write from the address on your "
            "account, or reach your team in the app"
        )
    body = mail.body.replace("\x00", "").strip() or "(no text)"
    if len(body) > MAX_MESSAGE_LENGTH:
        body = body[: MAX_MESSAGE_LENGTH - 20].rstrip() + "\n[... cut here]"
    subject = header_text(mail.subject)
    posted = post_message(
        uow, router, inbound_actor(Channel.EMAIL, customer_id), customer_id, body, now,
        channel=Channel.EMAIL, conversation_id=conversation_id,
        external_id=mail.message_id, subject=subject,
    )  # fmt: skip
    if subject:
        # the reply's subject must be the customer's (mail clients thread on it too); the
        # message has no subject column, so the open contact the mail joined carries it
        with uow:
            uow.threads.name_open_contacts(posted.conversation_id, subject)
            uow.commit()
    return MailReceipt(customer_id, posted.conversation_id, posted.id, how)


def email_reply_to(
    uow: UnitOfWork, message: MessageView, last: ThreadMessage | None, now: datetime
) -> int | None:
    """Inside the open unit of work that posts `message`, an agent's reply: queue it as an
    email when the customer's latest words in the thread (`last`) came by email.
    Returns the outbound row's id, or None when the reply does not go by email.

    In-Reply-To names the customer's latest mail; References lists the thread's mail ids
    (theirs and our earlier replies). The reply's own Message-ID is fixed by the sender when it
    first claims the row (it needs the mail domain), then becomes the message's external_id.
    Replies go only to an address on file, never to whoever last wrote.
    """
    if last is None or last.channel != EMAIL or not last.external_id:
        return None
    customer = uow.customers.get(message.customer_id)
    recipient = customer.identity(IdentityKind.EMAIL) if customer else None
    if customer is None or recipient is None:
        return None
    team = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
    thread = uow.threads.external_ids(message.conversation_id, EMAIL)
    headers = {
        "In-Reply-To": last.external_id,
        "References": " ".join(reply_references(thread)),
        "To-Name": header_text(customer.display_name),
        "From-Name": header_text(team.name if team else "Customer care"),
    }
    subject = reply_subject(uow.threads.latest_subject(message.conversation_id))
    return uow.outbound.add(EMAIL, message.id, recipient, subject, message.body, headers, now)


def new_message_id(mail_domain: str) -> str:
    return f"<{uuid.uuid4().hex}@{mail_domain}>"


def fix_message_id(mail_domain: str) -> Prepare:
    """The `prepare` step of email delivery: give the reply its Message-ID once, on its first
    attempt, and record it as the message's external_id so the customer's answer threads."""

    def prepare(uow: UnitOfWork, item: Outbound) -> Outbound:
        if item.headers.get("Message-ID"):
            return item  # a retry keeps the id it was first sent with
        message_id = new_message_id(mail_domain)
        headers = {**item.headers, "Message-ID": message_id}
        uow.outbound.set_headers(item.id, headers)
        if item.message_id is not None:
            uow.threads.set_external_id(item.message_id, message_id)
        return dataclasses.replace(item, headers=headers)

    return prepare
