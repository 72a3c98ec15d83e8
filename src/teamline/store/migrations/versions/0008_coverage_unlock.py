"""Account care: coverage complaints and unlock requests (issue 6 items 5-6).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
# (table, index name, columns) of every plain index, created after its table
INDEXES = [
    ("call_records", "ix_call_records_customer_ended", ["customer_id", "ended_at"]),
    ("call_records", "ix_call_records_area_id", ["area_id"]),
    ("coverage_investigations", "ix_coverage_investigations_area_id", ["area_id"]),
    ("coverage_investigations", "ix_coverage_investigations_state", ["state"]),
    ("coverage_complaints", "ix_coverage_complaints_area_occurred", ["area_id", "occurred_at"]),
    ("coverage_complaints", "ix_coverage_complaints_customer_id", ["customer_id"]),
    ("coverage_complaints", "ix_coverage_complaints_investigation_id", ["investigation_id"]),
    ("unlock_requests", "ix_unlock_requests_imei_state", ["imei", "state"]),
    ("unlock_requests", "ix_unlock_requests_customer_id", ["customer_id"]),
    ("unlock_requests", "ix_unlock_requests_state", ["state"]),
    ("unlock_requests", "ix_unlock_requests_deadline_at", ["deadline_at"]),
]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    op.create_table(
        "call_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("line", sa.String(length=40), nullable=False),
        sa.Column("started_at", AT, nullable=False),
        sa.Column("ended_at", AT, nullable=False),
        sa.Column("end_reason", sa.String(length=20), nullable=False),
        sa.Column("cell_id", sa.String(length=40), nullable=False),
        sa.Column("area_id", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", AT, nullable=False),
        _fk("call_records", "customer_id", "customers.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_records")),
        sa.UniqueConstraint("external_id", name=op.f("uq_call_records_external_id")),
    )
    op.create_table(
        "coverage_investigations",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("area_id", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("opened_by", sa.String(length=20), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.Column("opened_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("coverage_investigations", "decided_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_investigations")),
    )
    op.create_table(
        "coverage_complaints",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("area_id", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", AT, nullable=False),
        sa.Column("line", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("at_home", sa.Boolean(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("verification", sa.Text(), nullable=False),
        sa.Column("call_record_id", sa.Integer(), nullable=True),
        sa.Column("clustering", sa.Text(), nullable=False),
        sa.Column("investigation_id", sa.String(length=20), nullable=True),
        sa.Column("filed_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("coverage_complaints", "customer_id", "customers.id"),
        _fk("coverage_complaints", "call_record_id", "call_records.id"),
        _fk("coverage_complaints", "investigation_id", "coverage_investigations.id"),
        _fk("coverage_complaints", "filed_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_complaints")),
    )
    op.create_table(
        "coverage_microcells",
        sa.Column("investigation_id", sa.String(length=20), nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("complaint_id", sa.String(length=20), nullable=False),
        sa.Column("order_number", sa.String(length=20), nullable=False),
        sa.Column("issued_at", AT, nullable=False),
        _fk("coverage_microcells", "investigation_id", "coverage_investigations.id"),
        _fk("coverage_microcells", "customer_id", "customers.id"),
        _fk("coverage_microcells", "complaint_id", "coverage_complaints.id"),
        _fk("coverage_microcells", "order_number", "service_orders.number"),
        sa.PrimaryKeyConstraint(
            "investigation_id", "customer_id", name=op.f("pk_coverage_microcells")
        ),
        sa.UniqueConstraint("order_number", name=op.f("uq_coverage_microcells_order_number")),
    )
    op.create_table(
        "unlock_requests",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("account_number", sa.String(length=16), nullable=False),
        sa.Column("imei", sa.String(length=15), nullable=False),
        sa.Column("travel_destination", sa.String(length=2), nullable=True),
        sa.Column("travel_departs", sa.Date(), nullable=True),
        sa.Column("travel_returns", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=True),
        sa.Column("by_law", sa.Boolean(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("requested_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("deadline_at", AT, nullable=False),
        sa.Column("decided_at", AT, nullable=True),
        sa.Column("delivery", sa.String(length=20), nullable=True),
        sa.Column("closed_by", ID, nullable=True),
        sa.Column("closed_at", AT, nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("unlock_requests", "customer_id", "customers.id"),
        _fk("unlock_requests", "account_number", "accounts.number"),
        _fk("unlock_requests", "requested_by", "users.id"),
        _fk("unlock_requests", "closed_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unlock_requests")),
    )
    for table, name, columns in INDEXES:
        op.create_index(op.f(name), table, columns)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(op.f(name), table_name=table)
    for table in (
        "unlock_requests",
        "coverage_microcells",
        "coverage_complaints",
        "coverage_investigations",
        "call_records",
    ):
        op.drop_table(table)
