"""The agent conversation page's help and account-care panels (issue 8, item 2).

Knowledge suggestions and saved replies help the human, they never answer for them (DOMAIN.md
section 4): articles are suggested from the words of the customer's latest message (each word
searched on its own, the customer's language, their team's and the company's texts), a saved
reply is filled in for this customer and put into the reply box for the agent to edit. The
account-care forms here are a voluntary suspension (credit billing, DOMAIN.md section 5) and
the customer's open cases with their SLA clocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import NowDep, UowDep
from teamline.api.errors import status_of
from teamline.domain.cases import ACTIVE
from teamline.domain.customers import Customer
from teamline.domain.errors import InvalidInput, TeamlineError
from teamline.domain.knowledge import KnowledgeText, TextKind
from teamline.domain.users import User
from teamline.services.billing import suspend
from teamline.services.care_policies import CarePolicies
from teamline.services.cases import CasePolicy, CaseView, customer_cases
from teamline.services.conversations import MessageView
from teamline.services.knowledge import insert_reply, search_texts
from teamline.services.unit_of_work import UnitOfWork
from teamline.web.csrf import require_csrf
from teamline.web.render import StaffUser, problem

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SUGGESTED = 3
WORDS_TRIED = 4
MIN_WORD = 5  # short words ("the", "my", "non") match everything and suggest nothing useful
SAVED_REPLIES = 20


@dataclass(frozen=True)
class Help:
    suggestions: list[KnowledgeText]
    saved_replies: list[KnowledgeText]
    draft: str  # a saved reply filled in for the customer, or ""
    open_cases: list[CaseView]


def case_policy(request: Request) -> CasePolicy:
    policy: CasePolicy = request.app.state.case_policy
    return policy


def _suggest(
    uow: UnitOfWork, user: User, customer: Customer, messages: list[MessageView]
) -> list[KnowledgeText]:
    said = next((m.body for m in reversed(messages) if m.author_kind == "customer"), "")
    words = sorted({w for w in re.findall(r"\w+", said.lower()) if len(w) >= MIN_WORD}, key=len)
    found: dict[str, KnowledgeText] = {}
    for word in words[-WORDS_TRIED:]:  # the longest words say the most
        for text in search_texts(uow, user, TextKind.ARTICLE, word, customer.language,
                                 customer.home_team_id, SUGGESTED):  # fmt: skip
            found.setdefault(text.id, text)
    return list(found.values())[:SUGGESTED]


def help_for(
    request: Request,
    uow: UnitOfWork,
    user: User,
    customer: Customer,
    messages: list[MessageView],
    reply_id: str | None,
    now: datetime,
) -> Help:
    draft = insert_reply(uow, user, reply_id, customer.id)[1] if reply_id else ""
    replies = search_texts(uow, user, TextKind.SAVED_REPLY, None, customer.language,
                           customer.home_team_id, SAVED_REPLIES)  # fmt: skip
    cases = customer_cases(uow, user, customer.id, case_policy(request), now)
    return Help(
        _suggest(uow, user, customer, messages),
        replies,
        draft,
        [c for c in cases if c.case.state in ACTIVE],
    )


def _policies(request: Request) -> CarePolicies:
    policies = getattr(request.app.state, "care_policies", None)
    return policies if isinstance(policies, CarePolicies) else CarePolicies()


@router.post("/agent/customers/{customer_id}/suspensions")
def suspension(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    account_number: Annotated[str, Form(max_length=40)] = "",
    start_on: Annotated[str, Form(max_length=10)] = "",
    end_on: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        try:
            first, last = date.fromisoformat(start_on), date.fromisoformat(end_on)
        except ValueError:
            raise InvalidInput("start_on", "dates are YYYY-MM-DD") from None
        suspend(uow, user, account_number, first, last, reason, now, _policies(request))
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    query = urlencode({"done": "suspension", **({"contact": contact} if contact else {})})
    return RedirectResponse(f"/agent/customers/{quote(customer_id)}?{query}", 303)
