"""The customer app (issue 8, item 1): mobile first, one page with everything a customer needs.

"My team" (name, members' first names and avatars, hours in the customer's zone, open now),
the message thread (live through `/api/v1/live` when the page is open, a plain form without
JavaScript), a callback or a booked call (free slots within team hours with the wait expected
then, the best one marked, and the wait now), their orders with status and due dates, and the
choice of traditional service. Every write is a POST form that redirects back (POST-redirect-
GET), so a reload never repeats it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from threading import Lock
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import NowDep, UowDep
from teamline.api.errors import status_of
from teamline.domain.contacts import MAX_MESSAGE_LENGTH
from teamline.domain.enums import Channel
from teamline.domain.errors import InvalidInput, TeamlineError, Unavailable
from teamline.services import my_team, wall
from teamline.services.callbacks import CallbackPolicy, schedule_call
from teamline.services.cases import customer_cases
from teamline.services.conversations import conversations_of, messages_after, post_message
from teamline.services.orders import customer_orders
from teamline.services.router import Router
from teamline.services.wfm import BestTime, best_time_to_call
from teamline.web.agent_care import case_policy
from teamline.web.agent_coverage import care_cases
from teamline.web.csrf import require_csrf
from teamline.web.render import CustomerUser, language_of, problem, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
THREAD_SHOWN = 50
SLOTS_SHOWN = 12  # the best twelve of the coming 48 hours, shown in time order
NOTICES = ("sent", "booked", "opted_out", "opted_in")


# The best times to call come from four weeks of the team's history: they move by the hour,
# not by the request. Kept per (team, segment, hour), so a page view does not redo the forecast.
_slot_cache: dict[tuple[str, str, datetime], BestTime] = {}
_slot_lock = Lock()
SLOT_CACHE_MAX = 256


def _ranked_slots(
    uow: UowDep, user: CustomerUser, card: my_team.TeamCard, now: datetime, live: Router
) -> BestTime | None:
    """The coming hours of the customer's team, best (shortest predicted wait) first."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    key = (card.team.id, card.customer.segment.value, hour)
    with _slot_lock:
        cached = _slot_cache.get(key)
    if cached is not None:
        return cached
    try:
        ranked = best_time_to_call(
            uow, user, card.customer.id, Channel.VOICE, now, live.workflow.handle_seconds
        )
    except TeamlineError:
        return None  # no forecast for this team yet: the page offers the callback alone
    with _slot_lock:
        if len(_slot_cache) >= SLOT_CACHE_MAX:
            _slot_cache.clear()
        _slot_cache[key] = ranked
    return ranked


def _router(request: Request) -> Router:
    live: Router = request.app.state.router
    return live


def _policy(request: Request) -> CallbackPolicy:
    settings = request.app.state.settings
    return CallbackPolicy(settings.callback_max_attempts, settings.callback_retry_minutes)


def _customer_id(user: CustomerUser) -> str:
    assert user.customer_id is not None  # a customer login always names its customer
    return user.customer_id


def _back(notice: str, **extra: str) -> Response:
    query = urlencode({"notice": notice, **extra})
    return RedirectResponse(f"/me?{query}#{'calls' if notice == 'booked' else 'messages'}", 303)


@router.get("/me")
def customer_home(
    request: Request,
    user: CustomerUser,
    uow: UowDep,
    now: NowDep,
    notice: str | None = None,
    at: str | None = None,
) -> Response:
    customer_id = _customer_id(user)
    live = _router(request)
    card = my_team.team_card(uow, user, customer_id, now)
    threads = conversations_of(uow, user, customer_id)
    current = threads[0] if threads else None
    messages = []
    if current is not None:
        after = max(0, current.last_seq - THREAD_SHOWN)
        messages = messages_after(uow, user, current.id, after, THREAD_SHOWN)
    try:
        wait_s = wall.team_wait_now(live, card.team.id)
    except (Unavailable, TeamlineError):
        wait_s = None  # the router runs in another process: no figure rather than a guess
    best = _ranked_slots(uow, user, card, now, live)
    ranked = best.slots if best is not None else []
    slots = sorted(ranked[:SLOTS_SHOWN], key=lambda s: s.start)
    booked = None
    if notice == "booked" and at:
        try:
            booked = datetime.fromisoformat(at)
        except ValueError:
            booked = None
    context = {
        "card": card,
        "zone": card.zone,
        "conversation_id": current.id if current else None,
        "messages": messages,
        "names": {},
        "wait_s": wait_s,
        "slots": slots,
        "best": ranked[0] if ranked else None,
        "orders": customer_orders(uow, user, customer_id, now),
        "cases": customer_cases(uow, user, customer_id, case_policy(request), now),
        "care": care_cases(uow, user, customer_id, now),
        "notice_key": notice if notice in NOTICES else None,
        "booked": booked,
    }
    lang = language_of(request, card.customer.language)
    return render(request, "customer/home.html", context, lang=lang, zone=card.zone)


@router.post("/me/messages")
def send_message(
    request: Request,
    user: CustomerUser,
    uow: UowDep,
    now: NowDep,
    body: Annotated[str, Form(max_length=MAX_MESSAGE_LENGTH)] = "",
) -> Response:
    try:
        post_message(uow, _router(request), user, _customer_id(user), body, now,
                     channel=Channel.ASYNC)  # fmt: skip
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back("sent")


def _book(
    request: Request, user: CustomerUser, uow: UowDep, wanted: datetime, now: datetime
) -> Response:
    try:
        booked = schedule_call(
            uow, _router(request), user, _customer_id(user), wanted, now, _policy(request)
        )
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back("booked", at=booked.slot.start.isoformat())


@router.post("/me/callback")
def callback_asap(request: Request, user: CustomerUser, uow: UowDep, now: NowDep) -> Response:
    """A call back at the first free time: the team's next free slot, never a hold."""
    return _book(request, user, uow, now + timedelta(minutes=1), now)


@router.post("/me/book")
def book_call(
    request: Request,
    user: CustomerUser,
    uow: UowDep,
    now: NowDep,
    at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        wanted = datetime.fromisoformat(at)
        if wanted.tzinfo is None:
            raise ValueError(at)
    except ValueError:
        exc = InvalidInput("at", "a time with its offset, e.g. 2026-11-25T10:00:00+00:00")
        return problem(request, str(exc), 422)
    return _book(request, user, uow, wanted, now)


@router.post("/me/team-model")
def team_model(
    request: Request,
    user: CustomerUser,
    uow: UowDep,
    now: NowDep,
    opted_out: Annotated[bool, Form()] = False,
) -> Response:
    my_team.set_opted_out(uow, user, _customer_id(user), opted_out, now)
    return _back("opted_out" if opted_out else "opted_in")
