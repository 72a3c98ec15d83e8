"""Routing state on contacts (virtual start, tier, language, level, kind) and agent presence.

Existing contacts get the defaults of an ordinary inbound frontline contact in English.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 04:17:44.990165
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "agent_presence",
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("activity", sa.String(length=12), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_agent_presence_agent_id_agents")
        ),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_agent_presence")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("virtual_start", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("tier", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
        )
        batch_op.add_column(
            sa.Column("level", sa.String(length=20), nullable=False, server_default="frontline")
        )
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), nullable=False, server_default="inbound")
        )
        batch_op.add_column(sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("preferred_agent_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("preferred_agent_id")
        batch_op.drop_column("scheduled_for")
        batch_op.drop_column("kind")
        batch_op.drop_column("level")
        batch_op.drop_column("language")
        batch_op.drop_column("tier")
        batch_op.drop_column("virtual_start")

    op.drop_table("agent_presence")
