"""Service orders (issue 6 item 9): new connections, moves and upgrades, tracked to active.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
INDEXED = ("customer_id", "taken_by", "state", "due_at")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    op.create_table(
        "service_orders",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("taken_by", ID, nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("due_at", AT, nullable=False),
        sa.Column("scheduled_for", sa.Date(), nullable=True),
        sa.Column("installer", sa.String(length=100), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("closed_at", AT, nullable=True),
        _fk("service_orders", "customer_id", "customers.id"),
        _fk("service_orders", "taken_by", "users.id"),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_service_orders")),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_service_orders_{column}"), "service_orders", [column])


def downgrade() -> None:
    for column in reversed(INDEXED):
        op.drop_index(op.f(f"ix_service_orders_{column}"), table_name="service_orders")
    op.drop_table("service_orders")
