"""Coverage complaints (DOMAIN.md 5; issue 6 item 5; `domain/coverage.py`): the network's call
records, complaints checked against them, engineering investigations per area, and the free
microcells those investigations issued (one per customer per investigation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from teamline.store.tables import Base


class CallRecordRow(Base):
    """One call as the network recorded it; `external_id` (the network's own id) makes an
    import that is sent twice load once."""

    __tablename__ = "call_records"
    __table_args__ = (Index("ix_call_records_customer_ended", "customer_id", "ended_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    line: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    end_reason: Mapped[str] = mapped_column(String(20))
    cell_id: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[str] = mapped_column(String(40), index=True)
    recorded_at: Mapped[datetime]


class CoverageInvestigationRow(Base):
    """An engineering investigation of one area, opened by a cluster or a verified drop."""

    __tablename__ = "coverage_investigations"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    area_id: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[str] = mapped_column(String(30), index=True)
    opened_by: Mapped[str] = mapped_column(String(20))  # cluster | verified_drop
    explanation: Mapped[str] = mapped_column(Text)
    findings: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CoverageComplaintRow(Base):
    """A dropped-call or bad-reception complaint with why it is (not) verified and why it was
    (not) clustered, and the investigation it belongs to."""

    __tablename__ = "coverage_complaints"
    __table_args__ = (Index("ix_coverage_complaints_area_occurred", "area_id", "occurred_at"),)
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    area_id: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    line: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    at_home: Mapped[bool] = mapped_column(Boolean)
    address: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean)
    verification: Mapped[str] = mapped_column(Text)
    call_record_id: Mapped[int | None] = mapped_column(ForeignKey("call_records.id"))
    clustering: Mapped[str] = mapped_column(Text, default="")
    investigation_id: Mapped[str | None] = mapped_column(
        ForeignKey("coverage_investigations.id"), index=True
    )
    filed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class MicrocellRow(Base):
    """A free microcell issued by an investigation: the primary key makes it one per customer
    per investigation, however often the confirmation is replayed."""

    __tablename__ = "coverage_microcells"
    investigation_id: Mapped[str] = mapped_column(
        ForeignKey("coverage_investigations.id"), primary_key=True
    )
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("coverage_complaints.id"))
    order_number: Mapped[str] = mapped_column(ForeignKey("service_orders.number"), unique=True)
    issued_at: Mapped[datetime]
