"""Replies leave by SMTP through a real relay: sent once, retried while the relay is away,
given up when it refuses, and never carrying a header smuggled in by a CR/LF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from teamline.channels.email_out import SmtpRelay
from teamline.services.outbound import DeliveryPolicy, deliver_pending
from teamline.store.uow import UnitOfWork

from conftest import NOW
from support.servers import free_port
from support.smtp import Relay

NewUow = Callable[[], UnitOfWork]
FROM = "care@teamline.example"


def queue(new_uow: NewUow, subject: str = "Re: my bill", **headers: str) -> int:
    with new_uow() as uow:
        outbound_id = uow.outbound.add(
            "email", None, "maria@example.com", subject, "Your credit is on its way.",
            {"Message-ID": "<r1@teamline.example>", "In-Reply-To": "<m1@example.com>",
             "References": "<m0@example.com> <m1@example.com>", **headers},
            NOW,
        )  # fmt: skip
        uow.commit()
    return outbound_id


def state_of(new_uow: NewUow, outbound_id: int) -> tuple[str, int]:
    with new_uow() as uow:
        item = uow.outbound.get(outbound_id)
    assert item is not None
    return item.state, item.attempts


def test_a_reply_is_sent_once_with_its_threading_headers(new_uow: NewUow, relay: Relay) -> None:
    outbound_id = queue(new_uow)
    transport = SmtpRelay(relay.host, relay.port, FROM)

    first = deliver_pending(new_uow, "email", transport, NOW)
    again = deliver_pending(new_uow, "email", transport, NOW + timedelta(hours=2))

    assert first.sent == [outbound_id] and again.sent == []
    assert len(relay.received) == 1
    mail = relay.received[0]
    assert mail.mail_from == FROM and mail.rcpt_tos == ["maria@example.com"]
    assert mail.message["Message-ID"] == "<r1@teamline.example>"
    assert mail.message["In-Reply-To"] == "<m1@example.com>"
    assert mail.message["References"] == "<m0@example.com> <m1@example.com>"
    assert mail.message["Subject"] == "Re: my bill"
    assert mail.message.get_content().strip() == "Your credit is on its way."
    assert state_of(new_uow, outbound_id) == ("sent", 1)


def test_cr_lf_in_a_subject_or_a_name_never_makes_a_header(new_uow: NewUow, relay: Relay) -> None:
    queue(new_uow, subject="Hi\r\nBcc: evil@x", **{"To-Name": "Maria\r\nBcc: evil2@x"})

    deliver_pending(new_uow, "email", SmtpRelay(relay.host, relay.port, FROM), NOW)

    mail = relay.received[0]
    assert mail.rcpt_tos == ["maria@example.com"]
    assert mail.message["Bcc"] is None
    assert b"\nBcc:" not in mail.raw and b"\rBcc:" not in mail.raw
    assert mail.message["Subject"] == "Hi Bcc: evil@x"
    assert "\n" not in str(mail.message["To"])


def test_a_relay_that_is_away_is_retried_after_a_pause(new_uow: NewUow, relay: Relay) -> None:
    outbound_id = queue(new_uow)
    policy = DeliveryPolicy(first_retry=timedelta(minutes=1))
    away = SmtpRelay("127.0.0.1", free_port(), FROM, timeout=2)

    failed = deliver_pending(new_uow, "email", away, NOW, policy)
    too_soon = deliver_pending(
        new_uow, "email", SmtpRelay(relay.host, relay.port, FROM), NOW + timedelta(seconds=30),
        policy,
    )  # fmt: skip
    later = deliver_pending(
        new_uow, "email", SmtpRelay(relay.host, relay.port, FROM), NOW + timedelta(minutes=1),
        policy,
    )  # fmt: skip

    assert failed.retrying == [outbound_id]
    assert too_soon.sent == [] and later.sent == [outbound_id]
    assert state_of(new_uow, outbound_id) == ("sent", 2)
    assert len(relay.received) == 1


def test_a_refused_recipient_is_given_up_at_once(new_uow: NewUow, relay: Relay) -> None:
    outbound_id = queue(new_uow)
    relay.handler.refuse_with = "550 5.1.1 no such user"

    report = deliver_pending(new_uow, "email", SmtpRelay(relay.host, relay.port, FROM), NOW)

    assert report.failed == [outbound_id]
    assert state_of(new_uow, outbound_id) == ("failed", 1)


def test_attempts_are_bounded(new_uow: NewUow) -> None:
    outbound_id = queue(new_uow)
    policy = DeliveryPolicy(max_attempts=2, first_retry=timedelta(seconds=1))
    away = SmtpRelay("127.0.0.1", free_port(), FROM, timeout=2)

    for minute in range(4):
        deliver_pending(new_uow, "email", away, NOW + timedelta(minutes=minute), policy)

    assert state_of(new_uow, outbound_id) == ("failed", 2)


def test_a_row_claimed_by_another_sender_is_not_sent_again(new_uow: NewUow, relay: Relay) -> None:
    outbound_id = queue(new_uow)
    with new_uow() as uow:
        assert uow.outbound.claim(outbound_id, 0, NOW)
        uow.commit()

    report = deliver_pending(new_uow, "email", SmtpRelay(relay.host, relay.port, FROM), NOW)
    assert report.sent == [] and relay.received == []
    after_lease = deliver_pending(
        new_uow, "email", SmtpRelay(relay.host, relay.port, FROM), NOW + timedelta(minutes=10)
    )

    # the other sender died: after its lease the row is retried, with the same Message-ID
    assert after_lease.sent == [outbound_id]
    assert [m.message["Message-ID"] for m in relay.received] == ["<r1@teamline.example>"]
