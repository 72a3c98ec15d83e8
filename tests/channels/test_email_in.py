"""Inbound mail through the real SMTP server (aiosmtpd, sent with smtplib) into the customer's
thread; the agent's reply leaves through a real relay with threading headers, and the
customer's answer to it comes back into the same thread."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from teamline.channels.email_in import MAX_MAIL_BYTES, inbound_server
from teamline.channels.email_out import SmtpRelay
from teamline.domain.enums import Channel
from teamline.domain.users import User
from teamline.routing.workflow import default_workflow
from teamline.services.conversations import post_message
from teamline.services.mail import fix_message_id, receive_email
from teamline.services.outbound import deliver_pending
from teamline.services.replies import CHANNEL_REPLY_HOOKS
from teamline.services.router import Router
from teamline.store.tables import ContactRow, MessageRow, OutboundMessageRow
from teamline.store.uow import UnitOfWork

from conftest import NOW
from support.servers import free_port
from support.smtp import Relay

NewUow = Callable[[], UnitOfWork]
DOMAIN = "teamline.example"
MARIA = "cus-00001"
MARIA_EMAIL = "maria.rossi@example.com"


@pytest.fixture
def router(new_uow: NewUow) -> Router:
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    return router


@pytest.fixture
def inbound(new_uow: NewUow, router: Router) -> Iterator[int]:
    """The inbound server on a free port; yields the port."""
    port = free_port()
    server = inbound_server(
        lambda mail, now: receive_email(new_uow(), router, mail, now),
        DOMAIN, lambda: NOW, "127.0.0.1", port,
    )  # fmt: skip
    server.start()
    try:
        yield port
    finally:
        server.stop()


def mail(
    sender: str = f"Maria Rossi <{MARIA_EMAIL.upper()}>",
    message_id: str = "<m1@mail.example.com>",
    subject: str = "My bill is wrong",
    body: str = "I was charged twice this month.",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"care@{DOMAIN}"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def send(port: int, message: EmailMessage, to: str = f"care@{DOMAIN}") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message, to_addrs=[to])


def messages(new_uow: NewUow, external_id: str | None = None) -> list[MessageRow]:
    with new_uow() as uow:
        # the demo's history holds older mail: only what arrived in the test counts
        query = select(MessageRow).where(
            MessageRow.channel == "email", MessageRow.created_at == NOW
        )
        if external_id is not None:
            query = query.where(MessageRow.external_id == external_id)
        rows = list(uow.session.scalars(query.order_by(MessageRow.id)))
        uow.session.expunge_all()
        return rows


def test_a_customers_mail_joins_their_thread_as_async_work(new_uow: NewUow, inbound: int) -> None:
    send(inbound, mail())

    [stored] = messages(new_uow, "<m1@mail.example.com>")
    assert stored.body == "I was charged twice this month."
    assert stored.author_kind == "customer"
    with new_uow() as uow:
        conversation = uow.conversations.get(stored.conversation_id)
        contacts = uow.session.execute(
            select(ContactRow.channel, ContactRow.conversation_id, ContactRow.state).where(
                ContactRow.customer_id == MARIA, ContactRow.created_at == NOW
            )
        ).all()
    assert conversation is not None and conversation.customer_id == MARIA
    [(channel, conversation_id, state)] = contacts
    assert channel == "email" and conversation_id == stored.conversation_id
    assert state in ("queued", "offered", "assigned")


def test_a_mail_delivered_twice_is_stored_once(new_uow: NewUow, inbound: int) -> None:
    send(inbound, mail())
    send(inbound, mail())

    assert len(messages(new_uow, "<m1@mail.example.com>")) == 1


def test_a_mail_from_an_unknown_sender_is_refused_with_550(new_uow: NewUow, inbound: int) -> None:
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(inbound, mail(sender="someone@nowhere.example"))

    assert refused.value.smtp_code == 550
    assert b"write from the address on your account" in refused.value.smtp_error
    assert messages(new_uow) == []


def test_mail_for_another_domain_is_refused_at_rcpt(inbound: int) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(inbound, mail(), to="care@elsewhere.example")

    assert refused.value.recipients["care@elsewhere.example"][0] == 550


def test_a_mail_larger_than_the_limit_is_refused(new_uow: NewUow, inbound: int) -> None:
    with pytest.raises(smtplib.SMTPException) as refused:
        send(inbound, mail(body="x" * (MAX_MAIL_BYTES + 1000)))

    assert "552" in str(refused.value) or getattr(refused.value, "smtp_code", 0) == 552
    assert messages(new_uow) == []


def test_a_reply_from_another_address_threads_by_its_headers(new_uow: NewUow, inbound: int) -> None:
    send(inbound, mail())
    send(
        inbound,
        mail(
            sender="Luca <luca@family.example>", message_id="<m2@family.example>",
            subject="Re: My bill is wrong", body="Maria's husband here: still charged twice.",
            In_Reply_To="<m1@mail.example.com>", References="<m1@mail.example.com>",
        ),
    )  # fmt: skip

    first, second = messages(new_uow)
    assert second.conversation_id == first.conversation_id
    assert second.seq == first.seq + 1


def test_the_agents_reply_leaves_threaded_and_the_answer_comes_back(
    new_uow: NewUow, inbound: int, router: Router, relay: Relay, users: dict[str, User]
) -> None:
    send(inbound, mail())
    reply = post_message(
        new_uow(), router, users["agent"], MARIA, "We refunded the second charge.", NOW,
        channel=Channel.EMAIL, reply_hooks=CHANNEL_REPLY_HOOKS,
    )  # fmt: skip

    report = deliver_pending(
        new_uow, "email", SmtpRelay(relay.host, relay.port, f"care@{DOMAIN}"), NOW,
        prepare=fix_message_id(DOMAIN),
    )  # fmt: skip

    assert len(report.sent) == 1
    [sent] = relay.received
    assert sent.rcpt_tos == [MARIA_EMAIL]
    assert sent.message["In-Reply-To"] == "<m1@mail.example.com>"
    assert sent.message["References"] == "<m1@mail.example.com>"
    assert sent.message["Subject"] == "Re: My bill is wrong"
    assert str(sent.message["Message-ID"]).endswith(f"@{DOMAIN}>")
    assert sent.message.get_content().strip() == "We refunded the second charge."

    send(
        inbound,
        mail(
            message_id="<m3@mail.example.com>", subject="Re: Re: My bill is wrong",
            body="Thank you!\n\nOn Tue, Care wrote:\n> We refunded the second charge.",
            In_Reply_To=str(sent.message["Message-ID"]),
        ),
    )  # fmt: skip
    [answer] = messages(new_uow, "<m3@mail.example.com>")
    assert answer.conversation_id == reply.conversation_id
    assert answer.body == "Thank you!"


def test_an_internal_note_or_an_app_thread_sends_no_mail(
    new_uow: NewUow, inbound: int, router: Router, users: dict[str, User]
) -> None:
    send(inbound, mail())
    post_message(
        new_uow(), router, users["agent"], MARIA, "Customer seems upset.", NOW,
        channel=Channel.EMAIL, internal=True, reply_hooks=CHANNEL_REPLY_HOOKS,
    )  # fmt: skip
    post_message(
        new_uow(), router, users["customer"], users["customer"].customer_id or "", "From the app",
        NOW, channel=Channel.ASYNC,
    )  # fmt: skip
    post_message(
        new_uow(), router, users["agent"], users["customer"].customer_id or "", "Seen in the app",
        NOW, channel=Channel.ASYNC, reply_hooks=CHANNEL_REPLY_HOOKS,
    )  # fmt: skip

    with new_uow() as uow:
        replies = uow.session.scalar(
            select(func.count())
            .select_from(OutboundMessageRow)
            .where(OutboundMessageRow.headers["In-Reply-To"].is_not(None))
        )
    assert not replies


def test_an_html_mail_without_message_id_is_read_and_stored_once(
    new_uow: NewUow, inbound: int
) -> None:
    message = EmailMessage()
    message["From"] = MARIA_EMAIL
    message["Subject"] = "No signal"
    message.set_content("<p>No <b>signal</b> at home</p><script>x()</script>", subtype="html")

    send(inbound, message)
    send(inbound, message)

    [stored] = messages(new_uow)
    assert stored.body == "No signal at home"
    assert str(stored.external_id).endswith("@no-message-id.invalid>")
