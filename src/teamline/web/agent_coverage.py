"""Unlock codes and coverage complaints (DOMAIN.md section 5) on the agent page, and their
status for the customer: each is a case with a visible status, never a black box ("the unlock
team is working on it"). The rules live in the services (`services/unlocks.py`,
`services/coverage.py`); the forms only collect what they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from teamline.api.deps import NowDep, UowDep
from teamline.api.errors import status_of
from teamline.domain.errors import InvalidInput, TeamlineError
from teamline.domain.unlock_rules import Travel
from teamline.domain.users import User
from teamline.services.care_policies import CarePolicies
from teamline.services.coverage import (
    ComplaintDraft,
    ComplaintView,
    customer_complaints,
    file_complaint,
)
from teamline.services.unit_of_work import UnitOfWork
from teamline.services.unlocks import UnlockDraft, UnlockView, customer_unlocks, request_unlock
from teamline.web.csrf import require_csrf
from teamline.web.render import StaffUser, problem

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


@dataclass(frozen=True)
class CareCases:
    unlocks: list[UnlockView]
    complaints: list[ComplaintView]


def care_cases(uow: UnitOfWork, user: User, customer_id: str, now: datetime) -> CareCases:
    return CareCases(
        customer_unlocks(uow, user, customer_id, now), customer_complaints(uow, user, customer_id)
    )


def _policies(request: Request) -> CarePolicies:
    policies = getattr(request.app.state, "care_policies", None)
    return policies if isinstance(policies, CarePolicies) else CarePolicies()


def _back(customer_id: str, done: str, contact: str) -> Response:
    query = urlencode({"done": done, **({"contact": contact} if contact else {})})
    return RedirectResponse(f"/agent/customers/{quote(customer_id)}?{query}", 303)


@router.post("/agent/customers/{customer_id}/unlocks")
def unlock(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    imei: Annotated[str, Form(max_length=20)] = "",
    account_number: Annotated[str, Form(max_length=40)] = "",
    destination: Annotated[str, Form(max_length=2)] = "",
    departs: Annotated[str, Form(max_length=10)] = "",
    contact: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        travel = None
        if destination:
            try:
                travel = Travel(destination.upper(), date.fromisoformat(departs))
            except ValueError:
                raise InvalidInput("departs", "the day of departure is YYYY-MM-DD") from None
        draft = UnlockDraft(imei.strip(), account_number or None, customer_id, travel)
        request_unlock(uow, user, draft, now, _policies(request))
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back(customer_id, "unlock", contact)


@router.post("/agent/customers/{customer_id}/coverage")
def coverage(
    request: Request,
    user: StaffUser,
    uow: UowDep,
    now: NowDep,
    customer_id: str,
    occurred_at: Annotated[str, Form(max_length=20)] = "",
    description: Annotated[str, Form(max_length=1000)] = "",
    line: Annotated[str, Form(max_length=30)] = "",
    area: Annotated[str, Form(max_length=40)] = "",
    at_home: Annotated[bool, Form()] = False,
    address: Annotated[str, Form(max_length=300)] = "",
    contact: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    try:
        try:
            when = datetime.fromisoformat(occurred_at)
        except ValueError:
            raise InvalidInput("occurred_at", "when the call dropped: YYYY-MM-DDTHH:MM") from None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        draft = ComplaintDraft(
            when, description, area.strip() or None, line, at_home, address, customer_id
        )
        file_complaint(uow, user, draft, now)
    except TeamlineError as exc:
        return problem(request, str(exc), status_of(exc))
    return _back(customer_id, "coverage", contact)
