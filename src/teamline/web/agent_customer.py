"""The conversation with one customer on the agent desktop, and its forms (issue 8, item 2).

The context panel answers "never repeat yourself" (DOMAIN.md section 1): identities, the value
tier with its factors, accounts, open orders, the whole cross-channel timeline, and the promises
made (concessions asked and what became of them). The forms: reply (or an internal note), hold
and mute markers on a call, transfer and escalation with a handoff note, a credit (granted at
once within the agent's limit, else waiting for a supervisor: the policy's answer is shown as
it is), an ETF quote and a service order. Each write redirects back to the page (POST-redirect-
GET); the page says what happened through `done` in the query string.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import NowDep, UowDep
from teamline.api.errors import status_of
from teamline.domain.contacts import MAX_MESSAGE_LENGTH
from teamline.domain.discretion import ConcessionKind
from teamline.domain.enums import AgentLevel, Channel
from teamline.domain.errors import InvalidInput, TeamlineError
from teamline.domain.orders import OrderKind, OrderSource
from teamline.domain.recordings import RecordingSegment, SegmentKind
from teamline.domain.wrap_up import WrapUpCode
from teamline.services import desk
from teamline.services.care_policies import CarePolicies
from teamline.services.conversations import conversations_of, messages_after, post_message
from teamline.services.customers import get_customer
from teamline.services.discretion import ConcessionDraft, customer_requests, request_concession
from teamline.services.etf import account_etf
from teamline.services.orders import OrderDraft, create_order, customer_orders
from teamline.services.replies import CHANNEL_REPLY_HOOKS
from teamline.services.tiers import get_tier
from teamline.services.timeline import customer_timeline
from teamline.services.voice import mark_recording
from teamline.web.agent import live_router
from teamline.web.agent_care import help_for
from teamline.web.agent_coverage import care_cases
from teamline.web.csrf import require_csrf
from teamline.web.render import StaffUser, problem, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
THREAD_SHOWN = 50
TIMELINE_SHOWN = 60
CARE_KINDS = (ConcessionKind.CREDIT, ConcessionKind.BILL_ADJUSTMENT, ConcessionKind.FEE_WAIVER,
              ConcessionKind.DISCOUNT, ConcessionKind.REFUND)  # fmt: skip


def _policies(request: Request) -> CarePolicies:
    policies = getattr(request.app.state, "care_policies", None)
    return policies if isinstance(policies, CarePolicies) else CarePolicies()


def _back(customer_id: str, contact: str | None, **query: str) -> Response:
    params = {**({"contact": contact} if contact else {}), **query}
    return RedirectResponse(f"/agent/customers/{quote(customer_id)}?{urlencode(params)}", 303)


@router.get("/agent/customers/{customer_id}")
def conversation(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    contact: str | None = None,
    done: str | None = None,
    request_id: str | None = None,
    etf_account: str | None = None,
    etf_on: str | None = None,
    reply_id: str | None = None,
    older: str | None = None,
) -> Response:
    try:
        view = get_customer(uow, user, customer_id)
        tier = get_tier(uow, user, customer_id, now, _policies(request).tiers)
        threads = conversations_of(uow, user, customer_id)
        current = threads[0] if threads else None
        messages = []
        if current is not None:
            after = max(0, current.last_seq - THREAD_SHOWN)
            messages = messages_after(uow, user, current.id, after, THREAD_SHOWN)
        timeline = customer_timeline(uow, user, customer_id, TIMELINE_SHOWN, older)
        promises = customer_requests(uow, user, customer_id)
        orders = customer_orders(uow, user, customer_id, now)
        mine = desk.my_desk(live_router(request), user).contacts
        helps = help_for(request, uow, user, view.customer, messages, reply_id, now)
        care = care_cases(uow, user, customer_id, now)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    quote, quote_error = None, None
    if etf_account:
        try:
            on = date.fromisoformat(etf_on) if etf_on else None
            quote = account_etf(uow, user, etf_account, on, now, _policies(request).etf)
        except ValueError:
            quote_error = "the date is YYYY-MM-DD"
        except TeamlineError as exc:
            quote_error = str(exc)
    with_me = next((c for c in mine if c.contact_id == contact), None)
    context = {
        "view": view,
        "tier": tier,
        "conversation_id": current.id if current else None,
        "messages": messages,
        "names": {},
        "timeline": timeline.entries,
        "older": timeline.next_cursor,
        "promises": promises,
        "answer": next((p for p in promises if p.request.id == request_id), None),
        "orders": orders,
        "contact": with_me,
        "care_kinds": CARE_KINDS,
        "order_kinds": list(OrderKind),
        "levels": [AgentLevel.ESCALATION, AgentLevel.SUPERVISOR],
        "wrap_codes": list(WrapUpCode),
        "segment_kinds": list(SegmentKind),
        "quote": quote,
        "quote_error": quote_error,
        "etf_account": etf_account or "",
        "done": done,
        "help": helps,
        "care": care,
    }
    return render(request, "agent/customer.html", context)


@router.post("/agent/customers/{customer_id}/reply")
def reply(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    body: Annotated[str, Form(max_length=MAX_MESSAGE_LENGTH)] = "",
    internal: Annotated[bool, Form()] = False,
    contact: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        post_message(uow, live_router(request), user, customer_id, body, now,
                     channel=Channel.ASYNC, internal=internal,
                     reply_hooks=CHANNEL_REPLY_HOOKS)  # fmt: skip
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back(customer_id, contact or None, done="note" if internal else "reply")


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput("amount", "an amount like 25.00") from None
    if not value.is_finite() or value < 0 or value > Decimal("100000"):
        raise InvalidInput("amount", "an amount from 0 to 100000")
    return value.quantize(Decimal("0.01"))


@router.post("/agent/customers/{customer_id}/concessions")
def concession(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    kind: Annotated[str, Form(max_length=30)] = "credit",
    amount: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    account_number: Annotated[str, Form(max_length=40)] = "",
    months: Annotated[int, Form(ge=1, le=24)] = 1,
    contact: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        if kind not in set(ConcessionKind):
            raise InvalidInput("kind", f"no concession kind {kind!r}")
        draft = ConcessionDraft(
            ConcessionKind(kind), _amount(amount), reason, months, account_number or None
        )
        view = request_concession(uow, user, customer_id, draft, now, _policies(request))
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back(customer_id, contact or None, done="concession", request_id=view.request.id)


@router.post("/agent/customers/{customer_id}/orders")
def order(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    kind: Annotated[str, Form(max_length=30)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    contact: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        if kind not in set(OrderKind):
            raise InvalidInput("kind", f"an order is one of {', '.join(OrderKind)}")
        draft = OrderDraft(OrderKind(kind), OrderSource.HOTLINE, address, note, customer_id)
        create_order(uow, user, draft, now)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back(customer_id, contact or None, done="order")


@router.post("/agent/contacts/{contact_id}/handoff")
def handoff(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    contact_id: str,
    note: Annotated[str, Form(max_length=1000)] = "",
    target: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """`target` is `level:escalation`, `level:supervisor` or `team:<id>`."""
    kind, _, value = target.partition(":")
    try:
        if kind == "level" and value in set(AgentLevel):
            desk.hand_off(uow, live_router(request), user, contact_id, note, now,
                          level=AgentLevel(value))  # fmt: skip
        elif kind == "team" and value:
            desk.hand_off(uow, live_router(request), user, contact_id, note, now,
                          to_team_id=value)  # fmt: skip
        else:
            raise InvalidInput("target", "level:escalation, level:supervisor or team:<id>")
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return RedirectResponse("/agent?done=handoff", 303)


@router.post("/agent/contacts/{contact_id}/markers")
def marker(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    contact_id: str,
    kind: Annotated[str, Form(max_length=10)] = "",
    start: Annotated[float, Form(ge=0)] = 0.0,
    end: Annotated[float, Form(ge=0)] = 0.0,
    customer_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        if kind not in set(SegmentKind):
            raise InvalidInput("kind", "a marker is hold or mute")
        segment = RecordingSegment(start, end, SegmentKind(kind))
        mark_recording(uow, user, contact_id, [segment], now)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    if not customer_id:
        return RedirectResponse("/agent", 303)
    return _back(customer_id, contact_id, done="marker")
