"""Unlock requests over HTTP (DOMAIN.md 5; issue 6 item 6).

A customer asks to unlock their own device (staff for a customer). The answer is the case: its
state, the deadline and whether it is overdue, and the rule results with the explanation.
Staff record that the code was sent and how (the code itself is never sent to Teamline), or
refuse with a reason (a supervisor, when the rules found the request eligible); an ineligible
request can be checked again. Supervisors list overdue requests (`?overdue=true`). Customers
see only their own requests; other objects answer 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from teamline.api.access_policy import EVERYONE, STAFF, access
from teamline.api.account_care import PoliciesDep
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.api.unlocks_schemas import CodeSentIn, RefuseIn, UnlockIn, UnlockOut
from teamline.domain.unlock_rules import (
    Travel,
)
from teamline.services import unlocks

router = APIRouter(tags=["unlock requests"])


@router.post(
    "/unlock-requests",
    response_model=UnlockOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def request_unlock(
    body: UnlockIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask for a device's unlock code: the request is decided at once by the rule table
    (`rules`, `explanation`) and has a `deadline_at` for the next step. One open request per
    device (409 names the open one)."""
    trip = body.travel
    travel = Travel(trip.destination, trip.departs, trip.returns) if trip else None
    draft = unlocks.UnlockDraft(body.imei, body.account_number, body.customer_id, travel)
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: unlocks.request_unlock(
            uow, user, draft, now, policies, idempotency=claim
        ),
        out=UnlockOut.of,
    )  # fmt: skip


@router.get("/unlock-requests", response_model=list[UnlockOut], **access(*EVERYONE))
def list_unlocks(
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    overdue: Annotated[
        bool, Query(description="true: past their deadline (supervisors, admins)")
    ] = False,
    customer_id: Annotated[
        str | None, Query(min_length=1, max_length=40, description="whose (staff)")
    ] = None,
) -> list[UnlockOut]:
    """Overdue requests for supervisors, or one customer's requests, newest first."""
    if overdue:
        return [UnlockOut.of(v) for v in unlocks.overdue_unlocks(uow, user, now)]
    return [UnlockOut.of(v) for v in unlocks.customer_unlocks(uow, user, customer_id, now)]


@router.get(
    "/unlock-requests/{request_id}", response_model=UnlockOut, **access(*EVERYONE, scope="customer")
)
def get_unlock(request_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> UnlockOut:
    """A request with its status and deadline (staff, or the customer it is for)."""
    return UnlockOut.of(unlocks.get_unlock(uow, user, request_id, now))


@router.post(
    "/unlock-requests/{request_id}/reevaluate",
    response_model=UnlockOut,
    **access(*EVERYONE, scope="customer"),
)
def reevaluate_unlock(
    request_id: str, user: CurrentUser, uow: UowDep, now: NowDep, policies: PoliciesDep
) -> UnlockOut:
    """Check an ineligible request again, e.g. after an overdue bill was paid (staff, or the
    customer it is for)."""
    return UnlockOut.of(unlocks.reevaluate_unlock(uow, user, request_id, now, policies))


@router.post(
    "/unlock-requests/{request_id}/code-sent",
    response_model=UnlockOut,
    **access(*STAFF, scope="customer", audit="unlock.code_sent"),
)
def code_sent(
    request_id: str, body: CodeSentIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> UnlockOut:
    """Record that the code of an eligible request was sent, and how (staff)."""
    return UnlockOut.of(unlocks.send_code(uow, user, request_id, body.delivery, now))


@router.post(
    "/unlock-requests/{request_id}/refuse",
    response_model=UnlockOut,
    **access(*STAFF, scope="customer", audit="unlock.refuse"),
)
def refuse_unlock(
    request_id: str, body: RefuseIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> UnlockOut:
    """Refuse a request, saying why (staff; a supervisor when the rules found it eligible)."""
    return UnlockOut.of(unlocks.refuse_unlock(uow, user, request_id, body.reason, now))
