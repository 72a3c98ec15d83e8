"""Cases in the demo company (issue 7), written through the real use cases so the pages do not
start empty: the customer app shows Maria's case, the agent sees open cases on customers' pages,
and the supervisors' wall has a late one.

- Maria (the demo customer): "Internet drops every evening", answered the day before yesterday
  and put to her (waiting on the customer); she wrote back this morning, so the next response
  is owed.
- Three of her region's customers (not the ones the coverage demo uses): a billing question
  nobody has answered for a day and a half (its first response is late: the wall lists it), a
  case handed to the escalation team with its handoff note, and one solved yesterday (its
  customer can open it again by writing on it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from teamline.domain.case_steps import Escalation
from teamline.domain.escalation import Target
from teamline.domain.sla_policy import Priority
from teamline.domain.users import User
from teamline.services.cases import (
    CaseDraft,
    CasePolicy,
    escalate_case,
    open_case,
    reply,
    solve_case,
)
from teamline.store.tables import CustomerRow
from teamline.store.uow import UnitOfWork

MARIA = "cus-00001"
SKIPPED = 5  # the region's last five customers belong to the coverage demo (demo_care.py)


def seed_demo_cases(
    new_uow: Callable[[], UnitOfWork], agent: User, now: datetime, policy: CasePolicy
) -> list[str]:
    """Open the demo's cases at their times in the past; their ids (none in a tiny demo)."""
    with new_uow() as uow:
        maria = uow.customers.get(MARIA)
        if maria is None:
            return []
        others = list(
            uow.session.scalars(
                select(CustomerRow.id)
                .where(CustomerRow.region_id == maria.region_id, CustomerRow.id != maria.id)
                .order_by(CustomerRow.id.desc())
                .offset(SKIPPED)
                .limit(3)
            )
        )
    if len(others) < 3:
        return []
    late_bill, escalated, solved = others
    day = timedelta(days=1)
    opened = []

    def start(customer_id: str, subject: str, at: datetime, **extra: object) -> str:
        draft = CaseDraft(subject, customer_id=customer_id, **extra)  # type: ignore[arg-type]
        case_id = open_case(new_uow(), agent, draft, policy, at).case.id
        opened.append(case_id)
        return case_id

    evenings = start(MARIA, "Internet drops every evening since the storm", now - 3 * day)
    reply(new_uow(), agent, evenings, policy, now - 2 * day, awaiting_customer=True,
          note="Asked for the router's model and when the drops start")  # fmt: skip
    reply(new_uow(), agent, evenings, policy, now - timedelta(hours=3), from_customer=True)

    start(late_bill, "Roaming charge on a month spent at home", now - 1.5 * day,
          priority=Priority.HIGH)  # fmt: skip

    handed = start(escalated, "Refund promised on the phone never came", now - 2 * day)
    move = Escalation(
        Target.ESCALATION,
        "Promised a 30 credit on 14 Nov (call recording linked); not on the bill. Wants it "
        "before the next bill is issued.",
    )
    escalate_case(new_uow(), agent, handed, move, policy, now - day)

    fixed = start(solved, "Router keeps restarting", now - 4 * day)
    reply(new_uow(), agent, fixed, policy, now - 4 * day + timedelta(hours=1))
    solve_case(new_uow(), agent, fixed, "Replaced the router; stable for two days", policy,
               now - day)  # fmt: skip
    return opened
