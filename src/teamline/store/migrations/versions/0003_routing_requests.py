"""Routing requests: calls for the shard's router from processes that do not route.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("call", sa.String(length=20), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_requests")),
    )
    op.create_index(op.f("ix_routing_requests_state"), "routing_requests", ["state"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_routing_requests_state"), table_name="routing_requests")
    op.drop_table("routing_requests")
