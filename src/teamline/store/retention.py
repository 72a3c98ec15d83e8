"""Retention recommendations as rows: written when made, counted by the next one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamline.domain.retention import RetentionRecord
from teamline.store.tables import RetentionOfferRow


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, record: RetentionRecord) -> None:
        r = record.recommendation
        self._s.add(
            RetentionOfferRow(
                id=record.id,
                customer_id=record.customer_id,
                contact_id=record.contact_id,
                tier=record.tier,
                level=r.level,
                offer=r.offer.title if r.offer else "",
                percent_off=r.offer.percent_off if r.offer else Decimal(0),
                months=r.offer.months if r.offer else 0,
                monthly_discount=r.monthly_discount.amount,
                value=r.value.amount,
                fee_owed=record.fee_owed.amount,
                currency=record.fee_owed.currency,
                reasons=list(r.reasons),
                competitor=record.competitor,
                created_by=record.created_by,
                created_at=record.created_at,
            )
        )

    def offers_since(self, customer_id: str, since: datetime) -> int:
        """Recommendations that carried an offer, made for this customer since `since`."""
        count = self._s.scalar(
            select(func.count(RetentionOfferRow.id)).where(
                RetentionOfferRow.customer_id == customer_id,
                RetentionOfferRow.level > 0,
                RetentionOfferRow.created_at >= since,
            )
        )
        return int(count or 0)
