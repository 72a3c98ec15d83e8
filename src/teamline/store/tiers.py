"""Tier assessments and account bills as rows: what the value tier reads and what it recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamline.domain.tiers import RecordedAssessment, TierAssessment, TierFactor
from teamline.store.tables import BillRow, TierAssessmentRow


class TierRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def record(
        self, customer_id: str, assessment: TierAssessment, trigger: str, at: datetime
    ) -> None:
        """Replace the customer's recorded assessment (callers update `customers.tier` first,
        which locks the customer's row, so two recomputations never race to insert)."""
        self._s.merge(
            TierAssessmentRow(
                customer_id=customer_id,
                tier=assessment.tier,
                score=assessment.score,
                demoted=assessment.demoted,
                factors=[
                    {"name": f.name, "points": str(f.points), "text": f.text}
                    for f in assessment.factors
                ],
                summary=assessment.summary,
                trigger=trigger,
                assessed_at=at,
            )
        )

    def recorded(self, customer_id: str) -> RecordedAssessment | None:
        row = self._s.get(TierAssessmentRow, customer_id)
        if row is None:
            return None
        factors = tuple(TierFactor(f["name"], Decimal(f["points"]), f["text"]) for f in row.factors)
        assessment = TierAssessment(row.tier, row.score, row.demoted, factors, row.summary)
        return RecordedAssessment(row.customer_id, assessment, row.trigger, row.assessed_at)

    def record_bill(
        self,
        account_number: str,
        due_on: date,
        amount: Decimal,
        paid_on: date | None,
        at: datetime,
    ) -> None:
        """A bill, or its payment when the bill is known already (one bill per due date)."""
        row = self._s.scalar(
            select(BillRow).where(
                BillRow.account_number == account_number, BillRow.due_on == due_on
            )
        )
        if row is None:
            self._s.add(
                BillRow(
                    account_number=account_number,
                    due_on=due_on,
                    amount=amount,
                    paid_on=paid_on,
                    recorded_at=at,
                )
            )
        else:
            row.amount, row.paid_on, row.recorded_at = amount, paid_on, at

    def bill_record(self, account_numbers: Sequence[str], since: date, on: date) -> tuple[int, int]:
        """(bills due, bills paid on time) among the bills due from `since` to `on`: a bill
        still unpaid after its due date is late."""
        if not account_numbers:
            return 0, 0
        row = self._s.execute(
            select(
                func.count(BillRow.id),
                func.count(BillRow.id).filter(BillRow.paid_on <= BillRow.due_on),
            ).where(
                BillRow.account_number.in_(account_numbers),
                BillRow.due_on >= since,
                BillRow.due_on <= on,
            )
        ).one()
        return int(row[0]), int(row[1])
