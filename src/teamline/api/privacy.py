"""Privacy requests over HTTP (issue 9 item 6): erase a customer, export their data.

Both are supervisor and admin acts, audited; docs/security.md says what erasure removes.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from teamline.api.access_policy import SUPERVISORS, access
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.schemas import CustomerOut, TimelineEntryOut
from teamline.services.erasure import erase_customer, export_customer

router = APIRouter(tags=["privacy"])


class ErasureOut(BaseModel):
    customer_id: str
    erased_at: datetime
    identities_removed: int
    logins_closed: int


class ExportOut(BaseModel):
    customer: CustomerOut
    timeline: list[TimelineEntryOut]


@router.post(
    "/customers/{customer_id}/erasure",
    response_model=ErasureOut,
    **access(*SUPERVISORS, scope="customer", audit="customer.erase"),
)
def erase(customer_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> ErasureOut:
    """Erase the customer's personal data now (GDPR): identities deleted, name, messages,
    transcripts, recordings references, mail and addresses blanked. The audit keeps the act."""
    done = erase_customer(uow, user, customer_id, now)
    return ErasureOut(
        customer_id=done.customer_id,
        erased_at=done.erased_at,
        identities_removed=done.identities_removed,
        logins_closed=done.logins_closed,
    )


@router.get(
    "/customers/{customer_id}/export",
    response_model=ExportOut,
    **access(*SUPERVISORS, scope="customer", audit="customer.export"),
)
def export(customer_id: str, user: CurrentUser, uow: UowDep, now: NowDep) -> ExportOut:
    """Everything held about the customer, internal notes included (right of access)."""
    done = export_customer(uow, user, customer_id, now)
    return ExportOut(
        customer=CustomerOut.of_view(done.customer),
        timeline=[TimelineEntryOut.model_validate(e) for e in done.entries],
    )
