"""Payment disputes over HTTP (DOMAIN.md 5; issue 6 item 7): a payment the account does not
show, filed as a multipart form with the receipt file and the written claim; reviewed by staff,
upheld or rejected by a supervisor.

The receipt is a PDF, PNG or JPEG of at most 5 MiB by default whose bytes match its type; a
wrong one answers 422 naming `receipt`. The account's own customer files and follows their
disputes; staff see the queue (undecided disputes, the earliest due first).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Body, File, Form, Query, UploadFile, status
from fastapi.responses import Response

from teamline.api.access_policy import EVERYONE, STAFF, SUPERVISORS, access
from teamline.api.account_care import PoliciesDep
from teamline.api.billing_schemas import DisputeOut, RejectIn, UpholdIn
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.domain.payment_disputes import CLAIM_MAX, RECEIPT_TYPES, REFERENCE_MAX
from teamline.services import payment_disputes as disputes

router = APIRouter(tags=["billing care"])


@router.post(
    "/payment-disputes",
    response_model=DisputeOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def file_dispute(
    account_number: Annotated[str, Form(min_length=1, max_length=16)],
    amount: Annotated[Decimal, Form(gt=0, max_digits=9, decimal_places=2, allow_inf_nan=False)],
    paid_on: Annotated[date, Form()],
    method: Annotated[str, Form(min_length=1, max_length=20, description="how it was paid")],
    claim: Annotated[str, Form(min_length=1, max_length=CLAIM_MAX, description="in writing")],
    receipt: Annotated[UploadFile, File(description="PDF, PNG or JPEG")],
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    reference: Annotated[str, Form(max_length=REFERENCE_MAX)] = "",
) -> DisputeOut:
    """File a dispute about a payment the account does not show, with its receipt and a
    written claim (staff, or the account's own customer). The review is due in 10 days."""
    # one byte past the limit is enough to say "too large" without reading a huge file
    content = receipt.file.read(policies.billing.receipt_max_bytes + 1)
    draft = disputes.DisputeDraft(
        account_number, amount, paid_on, method, reference, claim,
        receipt.filename or "receipt", receipt.content_type or "", content,
    )  # fmt: skip
    return DisputeOut.of(disputes.file_dispute(uow, user, draft, now, policies))


@router.get(
    "/payment-disputes",
    response_model=list[DisputeOut],
    **access(*EVERYONE),
)
def list_disputes(
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    account_number: Annotated[
        str | None, Query(min_length=1, max_length=16, description="one account's, newest first")
    ] = None,
) -> list[DisputeOut]:
    """One account's disputes; without `account_number`, the staff queue of undecided ones."""
    return [DisputeOut.of(v) for v in disputes.list_disputes(uow, user, now, account_number)]


@router.get(
    "/payment-disputes/{dispute_id}",
    response_model=DisputeOut,
    **access(*EVERYONE, scope="customer"),
)
def get_dispute(dispute_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> DisputeOut:
    return DisputeOut.of(disputes.get_dispute(uow, user, dispute_id, now))


@router.get(
    "/payment-disputes/{dispute_id}/receipt",
    response_class=Response,
    responses={200: {"content": {kind: {} for kind in RECEIPT_TYPES}, "description": "the file"}},
    **access(*EVERYONE, scope="customer"),
)
def dispute_receipt(dispute_id: str, user: CurrentUser, uow: UowDep) -> Response:
    """The uploaded receipt, as it was sent."""
    name, kind, content = disputes.dispute_receipt(uow, user, dispute_id)
    safe = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in name)
    headers = {"Content-Disposition": f'attachment; filename="{safe}"'}
    return Response(content, media_type=kind, headers=headers)


@router.post(
    "/payment-disputes/{dispute_id}/review",
    response_model=DisputeOut,
    **access(*STAFF, scope="customer"),
)
def start_review(dispute_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> DisputeOut:
    """Staff take the dispute and match the receipt with the payment records."""
    return DisputeOut.of(disputes.start_review(uow, user, dispute_id, now))


@router.post(
    "/payment-disputes/{dispute_id}/uphold",
    response_model=DisputeOut,
    **access(*SUPERVISORS, scope="customer"),
)
def uphold(
    dispute_id: str,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    body: Annotated[UpholdIn | None, Body()] = None,
) -> DisputeOut:
    """A supervisor accepts the claim: `account` records the payment on the account (the
    default), `refund` returns it to the original payment method; both through the ledger."""
    body = body or UpholdIn()
    view = disputes.uphold(uow, user, dispute_id, body.settlement, body.note, now)
    return DisputeOut.of(view)


@router.post(
    "/payment-disputes/{dispute_id}/reject",
    response_model=DisputeOut,
    **access(*SUPERVISORS, scope="customer"),
)
def reject(
    dispute_id: str, body: RejectIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> DisputeOut:
    """A supervisor turns the claim down, saying why."""
    return DisputeOut.of(disputes.reject(uow, user, dispute_id, body.note, now))
