"""Executive customer service is reached by email (DOMAIN.md 4; issue 7 item 2): a customer's
mail to the office's own inbox, through the real SMTP server, opens an executive-care case held
by the executive team whatever the customer's region; the next letter continues it; the same
mail delivered twice touches it once, also when the first delivery died before its case was
written; mail to the ordinary address opens no case."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import pytest

from teamline.channels.email_in import inbound_server
from teamline.domain.escalation import Level
from teamline.routing.workflow import default_workflow
from teamline.services.cases import CasePolicy
from teamline.services.executive_mail import receive_email_with_executive_care
from teamline.services.mail import InboundEmail, receive_email
from teamline.services.router import Router
from teamline.store.uow import UnitOfWork

from conftest import NOW
from support.servers import free_port

NewUow = Callable[[], UnitOfWork]
DOMAIN = "teamline.example"
EXECUTIVE = f"office.of.the.ceo@{DOMAIN}"
MARIA = "cus-00001"
POLICY = CasePolicy(executive_inbox=EXECUTIVE)


@pytest.fixture
def inbound(new_uow: NewUow) -> Iterator[int]:
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    port = free_port()
    server = inbound_server(
        lambda mail, now: receive_email_with_executive_care(new_uow, router, mail, now, POLICY),
        DOMAIN, lambda: NOW, "127.0.0.1", port,
    )  # fmt: skip
    server.start()
    try:
        yield port
    finally:
        server.stop()


def send(port: int, message_id: str, to: str, subject: str = "Nobody fixes my line") -> None:
    message = EmailMessage()
    message["From"] = "Maria Rossi <maria.rossi@example.com>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content("Three calls, two technicians, still no line. Please help.")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message, to_addrs=[to])


def executive_cases(new_uow: NewUow) -> list[str]:
    with new_uow() as uow:
        ids = uow.cases.of_customer(MARIA, None)
        return [i for i in ids if (c := uow.cases.get(i)) and c.level is Level.EXECUTIVE_CARE]


def test_a_letter_to_the_executive_inbox_opens_a_case_the_next_one_continues_it(
    new_uow: NewUow, inbound: int
) -> None:
    send(inbound, "<plain@mail.example.com>", f"care@{DOMAIN}")
    assert executive_cases(new_uow) == []
    send(inbound, "<ceo-1@mail.example.com>", EXECUTIVE.upper())
    [case_id] = executive_cases(new_uow)
    with new_uow() as uow:
        case = uow.cases.get(case_id)
        steps = uow.cases.steps(case_id)
    assert case is not None and case.team_id == "team-executive"
    assert case.subject == "Nobody fixes my line" and case.state.value == "new"
    send(inbound, "<ceo-1@mail.example.com>", EXECUTIVE)  # the same mail again: once
    send(inbound, "<ceo-2@mail.example.com>", EXECUTIVE, "Still waiting")
    assert executive_cases(new_uow) == [case_id]
    with new_uow() as uow:
        kinds = [s.kind.value for s in uow.cases.steps(case_id)]
    assert kinds == [s.kind.value for s in steps] + ["customer_replied"]


def test_a_crash_between_the_mail_and_its_case_is_mended_by_the_senders_retry(
    new_uow: NewUow,
) -> None:
    """The mail commits first; were the process killed before the case's transaction, no 250
    was given, so the sender retries: the retry is a duplicate for the thread but still brings
    the case, and a third delivery changes nothing."""
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    mail = InboundEmail(
        "<ceo-crash@mail.example.com>", "maria.rossi@example.com", "Maria Rossi",
        "Nobody fixes my line", "Three calls, two technicians, still no line.",
        recipients=(EXECUTIVE,),
    )  # fmt: skip
    first = receive_email(new_uow(), router, mail, NOW)  # stored; the case never written
    assert first.threaded_by == "sender" and executive_cases(new_uow) == []
    retry = receive_email_with_executive_care(new_uow, router, mail, NOW, POLICY)
    assert retry.threaded_by == "duplicate"
    [case_id] = executive_cases(new_uow)
    with new_uow() as uow:
        steps = [(s.kind.value, s.detail) for s in uow.cases.steps(case_id)]
    assert steps == [("opened", "mail <ceo-crash@mail.example.com>")]
    receive_email_with_executive_care(new_uow, router, mail, NOW, POLICY)
    assert executive_cases(new_uow) == [case_id]
    with new_uow() as uow:
        assert len(uow.cases.steps(case_id)) == 1
