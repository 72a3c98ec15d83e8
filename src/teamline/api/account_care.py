"""Account care over HTTP (issue 6): value tiers with their factors, concession requests and
their approval, the ledger, early termination fee quotes and retention recommendations.

Who may do what: staff read tiers and ask for concessions; supervisors and admins approve or
decline (never their own request); a customer reads their own ledger and their own accounts'
fee quotes. Every decision shown carries its explanation.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, status
from fastapi.responses import JSONResponse

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.account_care_schemas import (
    ConcessionIn,
    ConcessionOut,
    DecisionIn,
    DeclineIn,
    EtfOut,
    LedgerOut,
    RetentionIn,
    RetentionOut,
    TierOut,
)
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.services import discretion, etf, retention, tiers
from teamline.services.care_policies import CarePolicies

router = APIRouter(tags=["account care"])


def get_policies(request: Request) -> CarePolicies:
    """The policies `app.py` loaded (TEAMLINE_CARE_POLICY_PATH), or DOMAIN.md's defaults."""
    policies = getattr(request.app.state, "care_policies", None)
    return policies if isinstance(policies, CarePolicies) else CarePolicies()


PoliciesDep = Annotated[CarePolicies, Depends(get_policies)]


@router.get(
    "/customers/{customer_id}/tier",
    response_model=TierOut,
    **access(*STAFF, scope="customer"),
)
def customer_tier(
    customer_id: str, user: CurrentUser, uow: UowDep, now: NowDep, policies: PoliciesDep
) -> TierOut:
    """The value tier (0-5; 1 means demoted) with the factors that made it (staff)."""
    return TierOut.of(tiers.get_tier(uow, user, customer_id, now, policies.tiers))


@router.post(
    "/customers/{customer_id}/requests",
    response_model=ConcessionOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF, scope="customer"),
)
def ask_for_concession(
    customer_id: str,
    body: ConcessionIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Ask for a credit, discount, bill adjustment, free device, fee waiver, unlock code or
    refund: `granted` at once within the agent's limit for the customer's tier, otherwise
    `pending` until a supervisor decides. `explanation` says why."""
    draft = discretion.ConcessionDraft(
        body.kind, body.amount, body.reason, body.months, body.account_number
    )
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: discretion.request_concession(
            uow, user, customer_id, draft, now, policies, idempotency=claim
        ),
        out=ConcessionOut.of,
    )  # fmt: skip


@router.get(
    "/customers/{customer_id}/requests",
    response_model=list[ConcessionOut],
    **access(*STAFF, scope="customer"),
)
def customer_requests(customer_id: str, user: CurrentUser, uow: UowDep) -> list[ConcessionOut]:
    """The customer's concession requests, newest first, with their explanations (staff)."""
    return [ConcessionOut.of(v) for v in discretion.customer_requests(uow, user, customer_id)]


@router.get(
    "/requests/pending",
    response_model=list[ConcessionOut],
    **access(*SUPERVISORS),
)
def pending_requests(user: CurrentUser, uow: UowDep) -> list[ConcessionOut]:
    """Requests waiting for a supervisor, oldest first (supervisors, admins)."""
    return [ConcessionOut.of(v) for v in discretion.pending_requests(uow, user)]


@router.post(
    "/requests/{request_id}/approve",
    response_model=ConcessionOut,
    **access(*SUPERVISORS, scope="customer"),
)
def approve(
    request_id: str,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    body: Annotated[DecisionIn | None, Body()] = None,
) -> ConcessionOut:
    """A supervisor (not the requester) approves a pending request; it reaches the ledger."""
    note = body.note if body else ""
    return ConcessionOut.of(discretion.approve_request(uow, user, request_id, note, now, policies))


@router.post(
    "/requests/{request_id}/decline",
    response_model=ConcessionOut,
    **access(*SUPERVISORS, scope="customer"),
)
def decline(
    request_id: str,
    body: DeclineIn,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
) -> ConcessionOut:
    """A supervisor (not the requester) declines a pending request, saying why."""
    return ConcessionOut.of(
        discretion.decline_request(uow, user, request_id, body.note, now, policies)
    )


@router.get(
    "/customers/{customer_id}/ledger",
    response_model=LedgerOut,
    **access(*EVERYONE, scope="customer"),
)
def customer_ledger(customer_id: str, user: CurrentUser, uow: UowDep) -> LedgerOut:
    """Every grant as balanced ledger lines, and each account's balance (the sum of its
    lines). Staff, or the customer themself."""
    return LedgerOut.of(discretion.customer_ledger(uow, user, customer_id))


@router.get(
    "/accounts/{account_number}/etf",
    response_model=EtfOut,
    **access(*EVERYONE, scope="customer"),
)
def account_etf(
    account_number: str,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    on: Annotated[date | None, Query(description="the day of leaving; today by default")] = None,
) -> EtfOut:
    """The early termination fee if the account left on `on`: shown before a cancellation or
    a port-out (staff, or the account's own customer)."""
    return EtfOut.of(etf.account_etf(uow, user, account_number, on, now, policies.etf))


@router.post(
    "/customers/{customer_id}/retention-offer",
    response_model=RetentionOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF, scope="customer"),
)
def retention_offer(
    customer_id: str,
    body: RetentionIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """The customer says they are switching: what to offer, from the tier, the fee still owed
    and the history, with the reasons (staff). The threat alone earns nothing."""
    draft = retention.RetentionDraft(body.contact_id, body.competitor)
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: retention.recommend_retention_offer(
            uow, user, customer_id, draft, now, policies, idempotency=claim
        ),
        out=RetentionOut.of,
    )  # fmt: skip
