"""The agent desktop (issue 8, item 2): keyboard first, live offers, one customer at a time.

`/agent` is the desk: presence, live offers with accept/reject and their countdown (through
`/api/v1/live`; forms work without JavaScript), the contacts with the agent, and the customer
search (account number first: it is the fastest, DOMAIN.md section 3). `/agent/customers/{id}`
is the conversation with its context panel; `web/agent_actions.py` holds its forms.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import NowDep, UowDep
from teamline.api.errors import status_of
from teamline.domain.enums import IdentityKind
from teamline.domain.errors import InvalidInput, TeamlineError
from teamline.domain.identities import Identity
from teamline.domain.users import User
from teamline.domain.wrap_up import WrapUpCode
from teamline.services import desk
from teamline.services.contacts import accept_offer, reject_offer, set_my_activity
from teamline.services.customers import lookup_customer, search_customers
from teamline.services.router import Router
from teamline.web.csrf import require_csrf
from teamline.web.render import StaffUser, problem, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])
SEARCH_LIMIT = 20


def live_router(request: Request) -> Router:
    live: Router = request.app.state.router
    return live


def _search(uow: UowDep, user: User, q: str) -> list[tuple[str, str]]:
    """(customer id, name) pairs: an account number, phone or email first, else by name."""
    text = q.strip()
    for kind in (IdentityKind.ACCOUNT_NUMBER, IdentityKind.PHONE, IdentityKind.EMAIL):
        try:
            found = lookup_customer(uow, user, Identity.of(kind, text))
        except TeamlineError:
            continue
        return [(found.customer.id, found.customer.display_name)]
    return [(c.id, c.display_name) for c in search_customers(uow, user, text, SEARCH_LIMIT)]


@router.get("/agent")
def desktop(request: Request, user: StaffUser, uow: UowDep, q: str = "") -> Response:
    live = live_router(request)
    error = None
    try:
        mine = desk.my_desk(live, user)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    results: list[tuple[str, str]] = []
    if q:
        try:
            results = _search(uow, user, q)
        except InvalidInput as exc:
            error = str(exc)
    context = {
        "desk": mine,
        "settable": desk.SETTABLE,
        "offer_seconds": live.workflow.offer_timeout_seconds,
        "q": q,
        "results": results,
        "error": error,
    }
    return render(request, "agent/desk.html", context)


@router.post("/agent/activity")
def activity(
    request: Request,
    user: StaffUser,
    now: NowDep,
    activity: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        chosen = desk.settable_activity(activity)
        set_my_activity(live_router(request), user, chosen, now)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return RedirectResponse("/agent", 303)


@router.post("/agent/offers/{contact_id}/{answer}")
def answer_offer(
    request: Request, user: StaffUser, now: NowDep, contact_id: str, answer: str
) -> Response:
    """Accept or reject without JavaScript (the desk's script does it over the socket)."""
    if answer not in ("accept", "reject"):
        return problem(request, "answer an offer with accept or reject", 404)
    live = live_router(request)
    try:
        if answer == "reject":
            reject_offer(live, user, contact_id, now)
            return RedirectResponse("/agent", 303)
        accept_offer(live, user, contact_id, now)
        taken = next(c for c in desk.my_desk(live, user).contacts if c.contact_id == contact_id)
    except (TeamlineError, StopIteration) as exc:
        message = str(exc) if isinstance(exc, TeamlineError) else "the offer is gone"
        return problem(request, message, status_of(exc) if isinstance(exc, TeamlineError) else 409)
    return RedirectResponse(f"/agent/customers/{taken.customer_id}?contact={contact_id}", 303)


@router.post("/agent/contacts/{contact_id}/wrap-up")
def wrap_up(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    contact_id: str,
    code: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        chosen = WrapUpCode(code)
    except ValueError:
        names = ", ".join(c.value for c in WrapUpCode)
        return problem(request, f"a wrap-up code is one of {names}", 422)
    try:
        desk.wrap_up(uow, live_router(request), user, contact_id, chosen, note, now)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return RedirectResponse("/agent", 303)
