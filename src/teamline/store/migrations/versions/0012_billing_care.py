"""Billing care: billing mode, suspensions, payment disputes, grandfathered plans (issue 6 item 7).

Voluntary suspensions, payment disputes with their receipts (bytes in their own table, so lists
never load them), data use from the usage feed, fraud flags and applied plan changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
MONEY = sa.BigInteger()  # integer cents (store/types.py Cents)
ACCOUNT = sa.String(length=16)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    op.create_table(
        "account_suspensions",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_number", ACCOUNT, nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("fee", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("requested_by", ID, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("ended_early_at", AT, nullable=True),
        _fk("account_suspensions", "account_number", "accounts.number"),
        _fk("account_suspensions", "requested_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_suspensions")),
    )
    _index("account_suspensions", "account_number")
    op.create_table(
        "payment_disputes",
        sa.Column("id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("account_number", ACCOUNT, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("way", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("receipt_name", sa.String(length=200), nullable=False),
        sa.Column("receipt_type", sa.String(length=40), nullable=False),
        sa.Column("receipt_size", sa.Integer(), nullable=False),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("filed_by", ID, nullable=False),
        sa.Column("filed_at", AT, nullable=False),
        sa.Column("due_at", AT, nullable=False),
        sa.Column("reviewer", ID, nullable=True),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.Column("settlement", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("posting_id", ID, nullable=True),
        _fk("payment_disputes", "customer_id", "customers.id"),
        _fk("payment_disputes", "account_number", "accounts.number"),
        _fk("payment_disputes", "filed_by", "users.id"),
        _fk("payment_disputes", "reviewer", "users.id"),
        _fk("payment_disputes", "decided_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_disputes")),
    )
    for column in ("customer_id", "account_number", "state"):
        _index("payment_disputes", column)
    op.create_table(
        "payment_dispute_receipts",
        sa.Column("dispute_id", ID, nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _fk("payment_dispute_receipts", "dispute_id", "payment_disputes.id"),
        sa.PrimaryKeyConstraint("dispute_id", name=op.f("pk_payment_dispute_receipts")),
    )
    op.create_table(
        "data_use",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_number", ACCOUNT, nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("gigabytes", MONEY, nullable=False),
        sa.Column("allowance_gb", MONEY, nullable=True),
        sa.Column("recorded_at", AT, nullable=False),
        _fk("data_use", "account_number", "accounts.number"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_use")),
        sa.UniqueConstraint(
            "account_number", "period_start", name=op.f("uq_data_use_account_number")
        ),
    )
    op.create_table(
        "fraud_flags",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_number", ACCOUNT, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("data_use_id", sa.Integer(), nullable=False),
        sa.Column("threshold_gb", MONEY, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("flagged_at", AT, nullable=False),
        sa.Column("cleared_by", ID, nullable=True),
        sa.Column("cleared_at", AT, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("fraud_flags", "account_number", "accounts.number"),
        _fk("fraud_flags", "customer_id", "customers.id"),
        _fk("fraud_flags", "data_use_id", "data_use.id"),
        _fk("fraud_flags", "cleared_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_flags")),
    )
    for column in ("account_number", "state"):
        _index("fraud_flags", column)
    op.create_table(
        "plan_changes",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_number", ACCOUNT, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_plan", sa.String(length=100), nullable=False),
        sa.Column("to_plan", sa.String(length=100), nullable=False),
        sa.Column("lost_grandfathered", sa.Boolean(), nullable=False),
        sa.Column("warning", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("changed_by", ID, nullable=False),
        sa.Column("changed_at", AT, nullable=False),
        _fk("plan_changes", "account_number", "accounts.number"),
        _fk("plan_changes", "changed_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_changes")),
    )
    _index("plan_changes", "account_number")


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_changes_account_number"), table_name="plan_changes")
    op.drop_table("plan_changes")
    for column in ("account_number", "state"):
        op.drop_index(op.f(f"ix_fraud_flags_{column}"), table_name="fraud_flags")
    op.drop_table("fraud_flags")
    op.drop_table("data_use")
    op.drop_table("payment_dispute_receipts")
    for column in ("customer_id", "account_number", "state"):
        op.drop_index(op.f(f"ix_payment_disputes_{column}"), table_name="payment_disputes")
    op.drop_table("payment_disputes")
    op.drop_index(op.f("ix_account_suspensions_account_number"), table_name="account_suspensions")
    op.drop_table("account_suspensions")
