"""Mail to the executive office's own inbox (DOMAIN.md 4: executive customer service, reached by
email, cuts across teams; issue 7 item 2).

The mail first joins the customer's thread like any other (`services/mail.py`); then, when it
was addressed to the executive inbox (`TEAMLINE_EXECUTIVE_CARE_INBOX`), the customer's active
executive-care case hears from them again (the next response is owed), or a new case opens
there, held by the executive team whatever the customer's region. The same mail delivered twice
is stored once and touches the case once: the case's step names the mail. The case is written in
a transaction after the mail's; a crash between the two leaves the mail without its case until
the sender retries (no 250 was given), and the retry, a duplicate for the thread, still brings
the case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from teamline.domain.cases import DETAIL_MAX, Case
from teamline.domain.errors import NotFound
from teamline.domain.escalation import Level
from teamline.domain.sla_policy import Priority
from teamline.services.cases import CasePolicy, calendar_of, new_case_id, record, team_for
from teamline.services.mail import InboundEmail, MailReceipt, receive_email
from teamline.services.router import Router
from teamline.store.uow import UnitOfWork

NO_SUBJECT = "Letter to executive customer service"


def to_executive_inbox(mail: InboundEmail, policy: CasePolicy) -> bool:
    return policy.executive_inbox.strip().lower() in mail.recipients


def receive_email_with_executive_care(
    new_uow: Callable[[], UnitOfWork],
    router: Router,
    mail: InboundEmail,
    now: datetime,
    policy: CasePolicy,
) -> MailReceipt:
    """Store the mail in its thread; mail to the executive inbox also opens or continues the
    customer's executive-care case. Answers the mail's receipt."""
    receipt = receive_email(new_uow(), router, mail, now)
    if to_executive_inbox(mail, policy):  # a duplicate too: its first delivery may have died
        executive_case(new_uow(), receipt.customer_id, mail, policy, now)
    return receipt


def mail_mark(mail: InboundEmail) -> str:
    """What the case's step names the mail by, so one mail touches the case once."""
    return f"mail {mail.message_id}"[:DETAIL_MAX]


def executive_case(
    uow: UnitOfWork, customer_id: str, mail: InboundEmail, policy: CasePolicy, now: datetime
) -> str:
    """The customer's executive-care case after their letter: continued, or newly opened."""
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id!r} not found")
        uow.conversations.lock_customer(customer.id)  # two deliveries of one mail: one case
        mark = mail_mark(mail)
        if (heard := uow.cases.with_step_detail(customer.id, mark)) is not None:
            return heard  # this mail reached its case already
        team = team_for(uow, Level.EXECUTIVE_CARE, customer)
        calendar = calendar_of(team, customer)
        active = uow.cases.active_at_level(customer.id, Level.EXECUTIVE_CARE)
        case = uow.cases.get(active, for_update=True) if active else None
        if case is not None:
            case.customer_replied(calendar, policy.sla, now, None, detail=mark)
            uow.cases.save(case)
            action = "case.executive_mail"
        else:
            home = team_for(uow, Level.FRONTLINE, customer)
            subject = (mail.subject.strip() or NO_SUBJECT)[:200]
            case = Case.open(
                new_case_id(), customer.id, subject, Priority.NORMAL, team.id, home.id, calendar,
                policy.sla, now, None, Level.EXECUTIVE_CARE,
                note=f"letter to {policy.executive_inbox}, mail {mail.message_id}"[:4000],
                detail=mark,
            )  # fmt: skip
            uow.cases.add(case)
            action = "case.open"
        record(uow, None, case, action, now)
        uow.commit()
        return case.id
