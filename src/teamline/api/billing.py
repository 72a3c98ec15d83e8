"""Billing care over HTTP (DOMAIN.md 5; issue 6 item 7): an account's standing with the ways to
pay at any hour, bills and payments from the billing feed, voluntary suspensions, the
grandfathered-plan warning before a plan change, data use and the fraud team's flags.

Who may do what: staff and the account's own customer read its standing, bills and
suspensions, set or end a suspension and check a plan change (another customer's account is
"not found"); staff apply plan changes; the billing and usage feeds (admin logins) record
bills, payments and data use; supervisors and admins are the fraud team's view. Every decision
shown carries `explanation`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import JSONResponse

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.account_care import PoliciesDep
from teamline.api.billing_schemas import (
    BillIn,
    BillingOut,
    BillOut,
    BillRecordedOut,
    ClearFlagIn,
    DataUseIn,
    DataUseOut,
    FraudFlagOut,
    PaymentIn,
    PaymentOut,
    PlanChangeCheckIn,
    PlanChangeIn,
    PlanChangeOut,
    PlanCheckOut,
    SuspensionIn,
    SuspensionOut,
    bill_out,
)
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.domain.billing_plans import DataUse, FlagState
from teamline.domain.enums import Role
from teamline.services import billing, billing_plans

router = APIRouter(tags=["billing care"])
ACCOUNT = "/accounts/{account_number}"
AccountNumber = Annotated[str, Path(min_length=1, max_length=16, description="the account")]


@router.get(
    f"{ACCOUNT}/billing",
    response_model=BillingOut,
    **access(*EVERYONE, scope="customer"),
)
def account_billing(
    account_number: AccountNumber,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
) -> BillingOut:
    """Credit or advance billing, the balance (the ledger's sum), whether service is active,
    blocked (advance, no funds) or suspended, what still works, and the ways to pay with the
    ones open now first (staff, or the account's own customer)."""
    return BillingOut.of(billing.billing_view(uow, user, account_number, now, policies))


@router.get(
    f"{ACCOUNT}/bills",
    response_model=list[BillOut],
    **access(*EVERYONE, scope="customer"),
)
def account_bills(
    account_number: AccountNumber, user: CurrentUser, uow: UowDep, now: NowDep
) -> list[BillOut]:
    """The account's bills, newest first, and whether each was paid on time."""
    today, bills = billing.account_bills(uow, user, account_number, now)
    return [bill_out(b, today) for b in bills]


@router.post(
    f"{ACCOUNT}/bills",
    response_model=BillRecordedOut,
    **access(Role.ADMIN, scope="customer"),
)
def record_bill(
    account_number: AccountNumber,
    body: BillIn,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
) -> BillRecordedOut:
    """A bill from the billing feed (admin), or its payment: send it again with `paid_on`.
    The charge and the payment are ledger postings; the tier is recomputed."""
    draft = billing.BillDraft(body.due_on, body.amount, body.paid_on, body.method)
    return BillRecordedOut.of(billing.record_bill(uow, user, account_number, draft, now, policies))


@router.post(
    f"{ACCOUNT}/payments",
    response_model=PaymentOut,
    status_code=status.HTTP_201_CREATED,
    **access(Role.ADMIN, scope="customer"),
)
def record_payment(
    account_number: AccountNumber,
    body: PaymentIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """A payment or top-up from the payment feed (admin); with an `Idempotency-Key` a retry is
    posted once. A blocked advance account gets service back at once."""
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: billing.record_payment(
            uow, user, account_number, body.amount, body.method, body.reference, now, policies,
            idempotency=claim,
        ),
        out=PaymentOut.of,
    )  # fmt: skip


@router.get(
    f"{ACCOUNT}/suspensions",
    response_model=list[SuspensionOut],
    **access(*EVERYONE, scope="customer"),
)
def account_suspensions(
    account_number: AccountNumber, user: CurrentUser, uow: UowDep, now: NowDep
) -> list[SuspensionOut]:
    """Every voluntary suspension of the account, oldest first, each explained."""
    return [
        SuspensionOut.of_view(v) for v in billing.suspensions_of(uow, user, account_number, now)
    ]


@router.post(
    f"{ACCOUNT}/suspensions",
    response_model=SuspensionOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE, scope="customer"),
)
def suspend(
    account_number: AccountNumber,
    body: SuspensionIn,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
) -> SuspensionOut:
    """Suspend a credit-billed account, e.g. while away: service resumes on `end_on`, the days
    between are not billed. At most 90 days, 2 in 12 months, never overlapping (defaults)."""
    view = billing.suspend(
        uow, user, account_number, body.start_on, body.end_on, body.reason, now, policies
    )
    return SuspensionOut.of_view(view)


@router.post(
    f"{ACCOUNT}/suspensions/{{suspension_id}}/end",
    response_model=SuspensionOut,
    **access(*EVERYONE, scope="customer"),
)
def end_suspension(
    account_number: AccountNumber,
    suspension_id: str,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
) -> SuspensionOut:
    """Back early: service resumes today (a suspension not started yet is withdrawn)."""
    view = billing.end_suspension(uow, user, account_number, suspension_id, now)
    return SuspensionOut.of_view(view)


@router.post(
    f"{ACCOUNT}/plan-change-check",
    response_model=PlanCheckOut,
    **access(*EVERYONE, scope="customer"),
)
def plan_change_check(
    account_number: AccountNumber, body: PlanChangeCheckIn, user: CurrentUser, uow: UowDep
) -> PlanCheckOut:
    """Before an upgrade, a renewal or another plan: the warning when a grandfathered plan
    would be lost (staff, or the account's own customer). Changes nothing."""
    check = billing_plans.plan_change_check(uow, user, account_number, body.kind, body.new_plan)
    return PlanCheckOut.of(check)


@router.post(
    f"{ACCOUNT}/plan-changes",
    response_model=PlanChangeOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF, scope="customer"),
)
def change_plan(
    account_number: AccountNumber, body: PlanChangeIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> PlanChangeOut:
    """Apply a plan change (staff). While the check gives a warning, it is refused with 422
    naming `acknowledged` until the request says `acknowledged: true`."""
    draft = billing_plans.PlanChangeDraft(
        body.kind, body.new_plan, body.acknowledged, body.term_months
    )
    return PlanChangeOut.of(billing_plans.change_plan(uow, user, account_number, draft, now))


@router.post(
    f"{ACCOUNT}/data-use",
    response_model=DataUseOut,
    status_code=status.HTTP_201_CREATED,
    **access(Role.ADMIN, scope="customer"),
)
def record_data_use(
    account_number: AccountNumber,
    body: DataUseIn,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
) -> DataUseOut:
    """Data use of one period from the usage feed (admin); heavy use flags the account for
    the fraud team, and `explanation` says against which threshold."""
    use = DataUse(
        account_number, body.period_start, body.period_end, body.gigabytes, body.allowance_gb
    )
    return DataUseOut.of(billing_plans.record_data_use(uow, user, use, now, policies))


@router.get(
    "/fraud-flags",
    response_model=list[FraudFlagOut],
    **access(*SUPERVISORS),
)
def fraud_flags(
    user: CurrentUser,
    uow: UowDep,
    state: Annotated[
        FlagState | None, Query(description="open or cleared; both by default")
    ] = None,
) -> list[FraudFlagOut]:
    """The fraud team's view: accounts flagged by heavy data use, newest first, each with the
    reason (supervisors, admins)."""
    return [FraudFlagOut.of(f) for f in billing_plans.fraud_flags(uow, user, state)]


@router.post(
    "/fraud-flags/{flag_id}/clear",
    response_model=FraudFlagOut,
    **access(*SUPERVISORS),
)
def clear_fraud_flag(
    flag_id: str, body: ClearFlagIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> FraudFlagOut:
    """The fraud team found nothing to act on; the note says what they saw."""
    return FraudFlagOut.of(billing_plans.clear_flag(uow, user, flag_id, body.note, now))
