"""Coverage complaints as rows, and back (`domain/coverage.py`): call records, complaints,
investigations and the microcells they issued.

An investigation's conclusion is saved only over the state it was read in, so two engineers
concluding one investigation at once cannot both do it: the second is told it changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, text, update
from sqlalchemy.orm import Session

from teamline.domain.coverage import (
    CallEnd,
    CallRecord,
)
from teamline.domain.coverage_cases import (
    Complaint,
    Investigation,
    InvestigationState,
    OpenedBy,
)
from teamline.domain.errors import Conflict
from teamline.store.tables import CustomerRow
from teamline.store.tables_coverage import (
    CallRecordRow,
    CoverageComplaintRow,
    CoverageInvestigationRow,
    MicrocellRow,
)

ACTIVE = [s.value for s in InvestigationState if s.active]


def _call(row: CallRecordRow) -> CallRecord:
    return CallRecord(
        row.customer_id,
        row.line,
        row.started_at,
        row.ended_at,
        CallEnd(row.end_reason),
        row.cell_id,
        row.area_id,
        row.external_id,
        row.id,
    )


def _complaint(row: CoverageComplaintRow) -> Complaint:
    return Complaint(
        row.id,
        row.customer_id,
        row.area_id,
        row.occurred_at,
        row.line,
        row.description,
        row.at_home,
        row.address,
        row.verified,
        row.verification,
        row.call_record_id,
        row.filed_by,
        row.created_at,
        row.clustering,
        row.investigation_id,
    )


def _investigation(row: CoverageInvestigationRow) -> Investigation:
    return Investigation(
        row.id,
        row.area_id,
        OpenedBy(row.opened_by),
        row.explanation,
        row.opened_at,
        InvestigationState(row.state),
        row.findings,
        row.decided_by,
        row.decided_at,
        row.updated_at,
    )


class CoverageRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def lock_area(self, area_id: str, customer_id: str) -> None:
        """Until commit, be the only transaction deciding about complaints of `area_id`, so
        two complaints arriving together cannot open two investigations of one area. PostgreSQL
        takes an advisory lock on the area; SQLite's first write (to the complaining customer's
        row, changing nothing) takes its one write lock, and every read after it is current."""
        if self._s.get_bind().dialect.name == "postgresql":
            self._s.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                {"key": f"coverage-area:{area_id}"},
            )
        else:
            self._s.execute(
                update(CustomerRow)
                .where(CustomerRow.id == customer_id)
                .values(tier=CustomerRow.tier)
                .execution_options(synchronize_session=False)
            )

    # ---- call records -------------------------------------------------------------------------

    def add_calls(self, calls: Sequence[CallRecord], now: datetime) -> tuple[list[CallRecord], int]:
        """Store the calls not stored before (by `external_id`): (those stored, how many were
        already known)."""
        given = [c.external_id for c in calls if c.external_id is not None]
        known: set[str] = set()
        for start in range(0, len(given), 500):
            known.update(
                self._s.scalars(
                    select(CallRecordRow.external_id).where(
                        CallRecordRow.external_id.in_(given[start : start + 500])
                    )
                ).all()  # type: ignore[arg-type]
            )
        stored: list[CallRecord] = []
        for call in calls:
            if call.external_id is not None:
                if call.external_id in known:
                    continue
                known.add(call.external_id)
            stored.append(call)
            self._s.add(
                CallRecordRow(
                    external_id=call.external_id,
                    customer_id=call.customer_id,
                    line=call.line,
                    started_at=call.started_at,
                    ended_at=call.ended_at,
                    end_reason=call.end_reason.value,
                    cell_id=call.cell_id,
                    area_id=call.area_id,
                    recorded_at=now,
                )
            )
        self._s.flush()
        return stored, len(calls) - len(stored)

    def calls_of(self, customer_id: str, start: datetime, end: datetime) -> list[CallRecord]:
        """The customer's calls that ended from `start` to `end`, in order."""
        rows = self._s.scalars(
            select(CallRecordRow)
            .where(
                CallRecordRow.customer_id == customer_id,
                CallRecordRow.ended_at >= start,
                CallRecordRow.ended_at <= end,
            )
            .order_by(CallRecordRow.ended_at, CallRecordRow.id)
            .limit(1000)
        )
        return [_call(r) for r in rows]

    def call(self, call_id: int) -> CallRecord | None:
        row = self._s.get(CallRecordRow, call_id)
        return _call(row) if row else None

    # ---- complaints ---------------------------------------------------------------------------

    def add_complaint(self, complaint: Complaint) -> None:
        self._s.add(
            CoverageComplaintRow(
                id=complaint.id,
                customer_id=complaint.customer_id,
                area_id=complaint.area_id,
                occurred_at=complaint.occurred_at,
                line=complaint.line,
                description=complaint.description,
                at_home=complaint.at_home,
                address=complaint.address,
                verified=complaint.verified,
                verification=complaint.verification,
                call_record_id=complaint.call_record_id,
                clustering=complaint.clustering,
                investigation_id=complaint.investigation_id,
                filed_by=complaint.filed_by,
                created_at=complaint.created_at,
            )
        )
        self._s.flush()

    def join(self, complaint_ids: Sequence[str], investigation_id: str, clustering: str) -> None:
        """Attach earlier complaints to an investigation, saying why."""
        if complaint_ids:
            self._s.execute(
                update(CoverageComplaintRow)
                .where(CoverageComplaintRow.id.in_(list(complaint_ids)))
                .values(investigation_id=investigation_id, clustering=clustering)
                .execution_options(synchronize_session=False)
            )

    def complaint(self, complaint_id: str) -> Complaint | None:
        row = self._s.get(CoverageComplaintRow, complaint_id)
        return _complaint(row) if row else None

    def complaints_of(self, customer_id: str, limit: int = 100) -> list[Complaint]:
        rows = self._s.scalars(
            select(CoverageComplaintRow)
            .where(CoverageComplaintRow.customer_id == customer_id)
            .order_by(CoverageComplaintRow.created_at.desc(), CoverageComplaintRow.id)
            .limit(limit)
        )
        return [_complaint(r) for r in rows]

    def unassigned_in_area(
        self, area_id: str, start: datetime, end: datetime
    ) -> list[tuple[str, datetime]]:
        """(id, time complained of) of the area's complaints from `start` to `end` that no
        investigation holds yet: the candidates of a cluster."""
        rows = self._s.execute(
            select(CoverageComplaintRow.id, CoverageComplaintRow.occurred_at)
            .where(
                CoverageComplaintRow.area_id == area_id,
                CoverageComplaintRow.investigation_id.is_(None),
                CoverageComplaintRow.occurred_at >= start,
                CoverageComplaintRow.occurred_at <= end,
            )
            .order_by(CoverageComplaintRow.occurred_at, CoverageComplaintRow.id)
            .limit(1000)
        )
        return [(r[0], r[1]) for r in rows]

    def unverified_of(self, customer_id: str, start: datetime, end: datetime) -> list[Complaint]:
        """The customer's complaints not verified, about a time from `start` to `end`."""
        rows = self._s.scalars(
            select(CoverageComplaintRow)
            .where(
                CoverageComplaintRow.customer_id == customer_id,
                CoverageComplaintRow.verified.is_(False),
                CoverageComplaintRow.occurred_at >= start,
                CoverageComplaintRow.occurred_at <= end,
            )
            .order_by(CoverageComplaintRow.occurred_at, CoverageComplaintRow.id)
            .limit(1000)
        )
        return [_complaint(r) for r in rows]

    def save_verification(self, complaint: Complaint) -> None:
        """A complaint verified late: its verification, and the investigation it went to."""
        self._s.execute(
            update(CoverageComplaintRow)
            .where(CoverageComplaintRow.id == complaint.id)
            .values(
                verified=complaint.verified,
                verification=complaint.verification,
                call_record_id=complaint.call_record_id,
                clustering=complaint.clustering,
                investigation_id=complaint.investigation_id,
            )
            .execution_options(synchronize_session=False)
        )

    def complaints_in(self, investigation_id: str, limit: int = 1000) -> list[Complaint]:
        rows = self._s.scalars(
            select(CoverageComplaintRow)
            .where(CoverageComplaintRow.investigation_id == investigation_id)
            .order_by(CoverageComplaintRow.occurred_at, CoverageComplaintRow.id)
            .limit(limit)
        )
        return [_complaint(r) for r in rows]

    # ---- investigations -----------------------------------------------------------------------

    def add_investigation(self, investigation: Investigation) -> None:
        self._s.add(
            CoverageInvestigationRow(
                id=investigation.id,
                area_id=investigation.area_id,
                state=investigation.state.value,
                opened_by=investigation.opened_by.value,
                explanation=investigation.explanation,
                findings=investigation.findings,
                decided_by=investigation.decided_by,
                decided_at=investigation.decided_at,
                opened_at=investigation.opened_at,
                updated_at=investigation.updated_at or investigation.opened_at,
            )
        )
        self._s.flush()

    def investigation(
        self, investigation_id: str, *, for_update: bool = False
    ) -> Investigation | None:
        query = select(CoverageInvestigationRow).where(
            CoverageInvestigationRow.id == investigation_id
        )
        row = self._s.scalar(query.with_for_update() if for_update else query)
        return _investigation(row) if row else None

    def active_in_area(self, area_id: str) -> Investigation | None:
        """The area's investigation still taking complaints (the oldest, should there be two)."""
        row = self._s.scalar(
            select(CoverageInvestigationRow)
            .where(
                CoverageInvestigationRow.area_id == area_id,
                CoverageInvestigationRow.state.in_(ACTIVE),
            )
            .order_by(CoverageInvestigationRow.opened_at, CoverageInvestigationRow.id)
            .limit(1)
        )
        return _investigation(row) if row else None

    def save_investigation(self, investigation: Investigation, read_in: InvestigationState) -> None:
        done = self._s.execute(
            update(CoverageInvestigationRow)
            .where(
                CoverageInvestigationRow.id == investigation.id,
                CoverageInvestigationRow.state == read_in.value,
            )
            .values(
                state=investigation.state.value,
                findings=investigation.findings,
                decided_by=investigation.decided_by,
                decided_at=investigation.decided_at,
                updated_at=investigation.updated_at or investigation.opened_at,
            )
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"investigation {investigation.id} changed meanwhile; read it again")

    def investigations(
        self, state: InvestigationState | None, area_id: str | None, limit: int = 100
    ) -> list[Investigation]:
        """Newest first, optionally of one state or one area."""
        query = select(CoverageInvestigationRow)
        if state is not None:
            query = query.where(CoverageInvestigationRow.state == state.value)
        if area_id is not None:
            query = query.where(CoverageInvestigationRow.area_id == area_id)
        rows = self._s.scalars(
            query.order_by(
                CoverageInvestigationRow.opened_at.desc(), CoverageInvestigationRow.id
            ).limit(limit)
        )
        return [_investigation(r) for r in rows]

    def complaint_counts(self, investigation_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """Per investigation: (complaints, verified complaints)."""
        if not investigation_ids:
            return {}
        rows = self._s.execute(
            select(
                CoverageComplaintRow.investigation_id,
                func.count(CoverageComplaintRow.id),
                func.count(CoverageComplaintRow.id).filter(CoverageComplaintRow.verified),
            )
            .where(CoverageComplaintRow.investigation_id.in_(list(investigation_ids)))
            .group_by(CoverageComplaintRow.investigation_id)
        )
        return {str(r[0]): (int(r[1]), int(r[2])) for r in rows}

    # ---- microcells ---------------------------------------------------------------------------

    def microcells(self, investigation_id: str) -> dict[str, str]:
        """customer id -> microcell order number, for one investigation."""
        rows = self._s.execute(
            select(MicrocellRow.customer_id, MicrocellRow.order_number).where(
                MicrocellRow.investigation_id == investigation_id
            )
        )
        return {r[0]: r[1] for r in rows}

    def microcell(self, investigation_id: str, customer_id: str) -> str | None:
        row = self._s.get(MicrocellRow, (investigation_id, customer_id))
        return row.order_number if row else None

    def add_microcell(
        self,
        investigation_id: str,
        customer_id: str,
        complaint_id: str,
        order_number: str,
        now: datetime,
    ) -> None:
        self._s.add(
            MicrocellRow(
                investigation_id=investigation_id,
                customer_id=customer_id,
                complaint_id=complaint_id,
                order_number=order_number,
                issued_at=now,
            )
        )
        self._s.flush()
