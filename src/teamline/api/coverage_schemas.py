"""Wire models of coverage complaints (issue 6 item 5): call records, complaints with the two
explanations (verification, clustering) and their status, investigations with their complaints
and the microcells they issued."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from teamline.api.schemas import Strict
from teamline.domain.coverage import (
    CallEnd,
    CallRecord,
)
from teamline.domain.coverage_cases import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    FINDINGS_MAX,
    InvestigationState,
    OpenedBy,
)
from teamline.services.call_records import IMPORT_MAX
from teamline.services.coverage import ComplaintView
from teamline.services.coverage_investigations import InvestigationSummary, InvestigationView

AREA = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$"


class CallIn(Strict):
    line: str = Field(min_length=1, max_length=40, description="the phone number of the line")
    started_at: AwareDatetime
    ended_at: AwareDatetime
    end_reason: CallEnd
    cell_id: str = Field(min_length=1, max_length=40)
    area_id: str = Field(pattern=AREA, description="the coverage area of the cell")
    customer_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="default: the line's owner"
    )
    external_id: str | None = Field(
        default=None, min_length=1, max_length=100, description="the network's id: loads once"
    )


class CallsIn(Strict):
    calls: list[CallIn] = Field(min_length=1, max_length=IMPORT_MAX)


class CallImportOut(BaseModel):
    added: int
    duplicates: int = Field(description="records whose external_id was loaded before")
    verified_complaints: list[str] = Field(
        default_factory=list,
        description="complaints filed before these records that a dropped call among them "
        "now verifies",
    )


class CallRecordOut(BaseModel):
    id: int | None
    customer_id: str
    line: str
    started_at: datetime
    ended_at: datetime
    end_reason: CallEnd
    cell_id: str
    area_id: str
    external_id: str | None

    @classmethod
    def of(cls, c: CallRecord) -> CallRecordOut:
        return cls(
            id=c.id, customer_id=c.customer_id, line=c.line, started_at=c.started_at,
            ended_at=c.ended_at, end_reason=c.end_reason, cell_id=c.cell_id, area_id=c.area_id,
            external_id=c.external_id,
        )  # fmt: skip


class ComplaintIn(Strict):
    occurred_at: AwareDatetime = Field(description="when the call dropped (about)")
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    area_id: str | None = Field(
        default=None, pattern=AREA, description="default: the area of the dropped call on record"
    )
    line: str = Field(default="", max_length=40)
    at_home: bool = Field(default=False, description="the trouble is at home: a microcell helps")
    address: str = Field(default="", max_length=ADDRESS_MAX, description="needed when at home")
    customer_id: str | None = Field(
        default=None, min_length=1, max_length=40, description="required for staff"
    )


class ComplaintOut(BaseModel):
    id: str
    customer_id: str
    area_id: str
    occurred_at: datetime
    line: str
    description: str
    at_home: bool
    address: str
    verified: bool
    verification: str = Field(description="why it is (not) verified: the call records")
    call_record_id: int | None = Field(description="the dropped call that verifies it")
    clustering: str = Field(description="why it was (not) clustered or joined")
    investigation_id: str | None
    status: str = Field(
        description="received | open | confirmed_bad_reception | no_fault_found | fixed"
    )
    status_text: str = Field(description="where it stands, as the customer reads it")
    microcell_order: str | None = Field(description="the free microcell's service order")
    created_at: datetime

    @classmethod
    def of(cls, view: ComplaintView) -> ComplaintOut:
        c = view.complaint
        return cls(
            id=c.id, customer_id=c.customer_id, area_id=c.area_id, occurred_at=c.occurred_at,
            line=c.line, description=c.description, at_home=c.at_home, address=c.address,
            verified=c.verified, verification=c.verification, call_record_id=c.call_record_id,
            clustering=c.clustering, investigation_id=c.investigation_id, status=view.status,
            status_text=view.status_text, microcell_order=view.microcell_order,
            created_at=c.created_at,
        )  # fmt: skip


class ConcludeIn(Strict):
    outcome: InvestigationState = Field(
        description="confirmed_bad_reception, no_fault_found or fixed"
    )
    findings: str = Field(min_length=1, max_length=FINDINGS_MAX)


class InvestigatedComplaintOut(BaseModel):
    id: str
    customer_id: str
    occurred_at: datetime
    verified: bool
    verification: str
    at_home: bool


class MicrocellOut(BaseModel):
    customer_id: str
    order_number: str


class InvestigationSummaryOut(BaseModel):
    id: str
    area_id: str
    state: InvestigationState
    opened_by: OpenedBy
    explanation: str = Field(description="why it was opened")
    opened_at: datetime
    complaints: int
    verified: int

    @classmethod
    def of(cls, s: InvestigationSummary) -> InvestigationSummaryOut:
        i = s.investigation
        return cls(
            id=i.id, area_id=i.area_id, state=i.state, opened_by=i.opened_by,
            explanation=i.explanation, opened_at=i.opened_at, complaints=s.complaints,
            verified=s.verified,
        )  # fmt: skip


class InvestigationOut(BaseModel):
    id: str
    area_id: str
    state: InvestigationState
    opened_by: OpenedBy
    explanation: str = Field(description="why it was opened: the cluster or the verified drop")
    opened_at: datetime
    findings: str
    decided_by_name: str | None
    decided_at: datetime | None
    complaints: list[InvestigatedComplaintOut]
    verified: int
    microcells: list[MicrocellOut]

    @classmethod
    def of(cls, view: InvestigationView) -> InvestigationOut:
        i = view.investigation
        return cls(
            id=i.id, area_id=i.area_id, state=i.state, opened_by=i.opened_by,
            explanation=i.explanation, opened_at=i.opened_at, findings=i.findings,
            decided_by_name=view.decided_by_name, decided_at=i.decided_at,
            complaints=[
                InvestigatedComplaintOut(
                    id=c.id, customer_id=c.customer_id, occurred_at=c.occurred_at,
                    verified=c.verified, verification=c.verification, at_home=c.at_home,
                )
                for c in view.complaints
            ],
            verified=view.verified,
            microcells=[
                MicrocellOut(customer_id=k, order_number=v)
                for k, v in sorted(view.microcells.items())
            ],
        )  # fmt: skip
