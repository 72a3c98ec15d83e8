"""Cases, SLA clocks, business calendars and the escalation ladder (issue 7 items 1-2).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
LEVEL = sa.String(length=20)
INDEXED = {
    "cases": ("customer_id", "state", "next_alert_at"),
    "case_clocks": ("due_at",),
    "case_steps": ("case_id",),
    "case_contacts": ("case_id",),
}


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("level", LEVEL, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("home_team_id", ID, nullable=False),
        sa.Column("assignee_agent_id", ID, nullable=True),
        sa.Column("regulator_id", sa.String(length=40), nullable=True),
        sa.Column("card_issuer", sa.String(length=100), nullable=True),
        sa.Column("filed_request", sa.Text(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("next_alert_at", AT, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("cases", "customer_id", "customers.id"),
        _fk("cases", "team_id", "teams.id"),
        _fk("cases", "home_team_id", "teams.id"),
        _fk("cases", "assignee_agent_id", "agents.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_table(
        "case_clocks",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_us", sa.BigInteger(), nullable=False),
        sa.Column("spent_us", sa.BigInteger(), nullable=False),
        sa.Column("started_at", AT, nullable=False),
        sa.Column("running_since", AT, nullable=True),
        sa.Column("warn_at", AT, nullable=True),
        sa.Column("due_at", AT, nullable=True),
        sa.Column("stopped_at", AT, nullable=True),
        sa.Column("warned", sa.Boolean(), nullable=False),
        sa.Column("breached", sa.Boolean(), nullable=False),
        _fk("case_clocks", "case_id", "cases.id"),
        sa.PrimaryKeyConstraint("case_id", "kind", name=op.f("pk_case_clocks")),
    )
    op.create_table(
        "case_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", LEVEL, nullable=False),
        sa.Column("from_level", LEVEL, nullable=True),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("assignee_agent_id", ID, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        _fk("case_steps", "case_id", "cases.id"),
        _fk("case_steps", "customer_id", "customers.id"),
        _fk("case_steps", "actor_id", "users.id"),
        _fk("case_steps", "assignee_agent_id", "agents.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_steps")),
    )
    op.create_index("ix_case_steps_customer_at", "case_steps", ["customer_id", "at"])
    op.create_table(
        "case_contacts",
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("linked_at", AT, nullable=False),
        _fk("case_contacts", "contact_id", "contacts.id"),
        _fk("case_contacts", "case_id", "cases.id"),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_case_contacts")),
    )
    for table, columns in INDEXED.items():
        for column in columns:
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table, columns in reversed(INDEXED.items()):
        for column in reversed(columns):
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    op.drop_index("ix_case_steps_customer_at", table_name="case_steps")
    for table in ("case_contacts", "case_steps", "case_clocks", "cases"):
        op.drop_table(table)
