"""Coverage complaints over HTTP (DOMAIN.md 5; issue 6 item 5).

Staff load the network's call records (`POST /call-records`, a batch; `external_id` loads a
record once). A customer complains about dropped calls (staff for a customer): the answer says
whether the call records verify it, whether it was clustered with the area's other complaints
or joined an investigation, and where it stands. Staff list and conclude investigations;
confirmed bad reception issues free microcell orders. Customers see only their own complaints;
other objects answer 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime

from teamline.api.access_policy import EVERYONE, STAFF, access
from teamline.api.account_care import PoliciesDep
from teamline.api.coverage_schemas import (
    AREA,
    CallImportOut,
    CallRecordOut,
    CallsIn,
    ComplaintIn,
    ComplaintOut,
    ConcludeIn,
    InvestigationOut,
    InvestigationSummaryOut,
)
from teamline.api.deps import CurrentUser, NowDep, UowDep
from teamline.api.idempotency import IdempotencyKey, idempotent
from teamline.domain.coverage_cases import (
    InvestigationState,
)
from teamline.services import call_records, coverage
from teamline.services import coverage_investigations as investigations

router = APIRouter(tags=["coverage complaints"])


@router.post(
    "/call-records",
    response_model=CallImportOut,
    status_code=status.HTTP_201_CREATED,
    **access(*STAFF),
)
def load_call_records(body: CallsIn, user: CurrentUser, uow: UowDep, now: NowDep) -> CallImportOut:
    """Load up to 1,000 call records of the network at once, all or none (staff). A record
    names its customer or is matched by its line's phone number; one whose `external_id` was
    loaded before is counted in `duplicates` and not stored again. Complaints filed before a
    dropped call among them was on record are verified now (`verified_complaints`)."""
    drafts = [
        call_records.CallDraft(
            c.line, c.started_at, c.ended_at, c.end_reason, c.cell_id, c.area_id,
            c.customer_id, c.external_id,
        )
        for c in body.calls
    ]  # fmt: skip
    done = call_records.record_calls(uow, user, drafts, now)
    return CallImportOut(
        added=done.added, duplicates=done.duplicates, verified_complaints=list(done.verified)
    )


@router.get("/call-records", response_model=list[CallRecordOut], **access(*STAFF))
def list_call_records(
    user: CurrentUser,
    uow: UowDep,
    customer_id: Annotated[str, Query(min_length=1, max_length=40)],
    start: Annotated[AwareDatetime, Query(description="calls that ended from")],
    end: Annotated[AwareDatetime, Query(description="calls that ended until")],
) -> list[CallRecordOut]:
    """A customer's call records, in order (staff): what complaints are checked against."""
    return [
        CallRecordOut.of(c) for c in call_records.customer_calls(uow, user, customer_id, start, end)
    ]


@router.post(
    "/coverage-complaints",
    response_model=ComplaintOut,
    status_code=status.HTTP_201_CREATED,
    **access(*EVERYONE),
)
def file_complaint(
    body: ComplaintIn,
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    now: NowDep,
    policies: PoliciesDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Complain about dropped calls or bad reception. `verification` says whether a dropped
    call on record verifies it, `clustering` whether it was clustered or joined the area's
    investigation; `status` and `status_text` say where it stands."""
    draft = coverage.ComplaintDraft(
        body.occurred_at, body.description, body.area_id, body.line, body.at_home, body.address,
        body.customer_id,
    )  # fmt: skip
    return idempotent(
        request, uow, user, key, body, now,
        effect=lambda claim: coverage.file_complaint(
            uow, user, draft, now, policies.coverage, idempotency=claim
        ),
        out=ComplaintOut.of,
    )  # fmt: skip


@router.get("/coverage-complaints", response_model=list[ComplaintOut], **access(*EVERYONE))
def list_complaints(
    user: CurrentUser,
    uow: UowDep,
    customer_id: Annotated[
        str | None, Query(min_length=1, max_length=40, description="whose (staff)")
    ] = None,
) -> list[ComplaintOut]:
    """A customer's complaints, newest first (a customer: their own)."""
    return [ComplaintOut.of(v) for v in coverage.customer_complaints(uow, user, customer_id)]


@router.get(
    "/coverage-complaints/{complaint_id}",
    response_model=ComplaintOut,
    **access(*EVERYONE, scope="customer"),
)
def get_complaint(complaint_id: str, user: CurrentUser, uow: UowDep) -> ComplaintOut:
    """A complaint and where it stands (staff, or the customer who made it)."""
    return ComplaintOut.of(coverage.get_complaint(uow, user, complaint_id))


@router.get(
    "/coverage-investigations", response_model=list[InvestigationSummaryOut], **access(*STAFF)
)
def list_investigations(
    user: CurrentUser,
    uow: UowDep,
    state: InvestigationState | None = None,
    area_id: Annotated[str | None, Query(pattern=AREA)] = None,
) -> list[InvestigationSummaryOut]:
    """Engineering investigations, newest first (staff)."""
    found = investigations.list_investigations(uow, user, state, area_id)
    return [InvestigationSummaryOut.of(s) for s in found]


@router.get(
    "/coverage-investigations/{investigation_id}", response_model=InvestigationOut, **access(*STAFF)
)
def get_investigation(investigation_id: str, user: CurrentUser, uow: UowDep) -> InvestigationOut:
    """An investigation with its complaints and the microcells it issued (staff)."""
    return InvestigationOut.of(investigations.get_investigation(uow, user, investigation_id))


@router.post(
    "/coverage-investigations/{investigation_id}/conclude",
    response_model=InvestigationOut,
    **access(*STAFF),
)
def conclude_investigation(
    investigation_id: str, body: ConcludeIn, user: CurrentUser, uow: UowDep, now: NowDep
) -> InvestigationOut:
    """Record what engineering found (staff): `confirmed_bad_reception` issues a free
    microcell order to each complainant whose trouble is at home (one per customer), then
    `fixed`; or `no_fault_found`, or `fixed` at once."""
    view = investigations.conclude_investigation(
        uow, user, investigation_id, body.outcome, body.findings, now
    )
    return InvestigationOut.of(view)
