"""Security, audit and privacy: login throttling, erasures, audit log privileges (issue 9).

On PostgreSQL the application should run as a role that does not own the tables
(docs/security.md). `SELECT teamline_grant_app_role('<role>')`, run by the owner after each
upgrade, grants that role what the application needs, except UPDATE, DELETE and TRUNCATE on the
append-only tables: the role can then neither change audit rows (refused by privilege before
the trigger of 0001 is even reached) nor drop or disable that trigger (only the owner may).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
APPEND_ONLY = "audit_log, ledger_entries"
GRANT_APP_ROLE = f"""CREATE FUNCTION teamline_grant_app_role(app_role text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
                   app_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app_role);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON {APPEND_ONLY} FROM %I', app_role);
END $$"""


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("account", sa.String(length=254), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", AT, nullable=False),
        sa.Column("blocked_until", AT, nullable=True),
        sa.PrimaryKeyConstraint("account", "source", name=op.f("pk_login_throttles")),
    )
    op.create_table(
        "erasures",
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("erased_at", AT, nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_erasures_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_erasures")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, ledger_entries FROM PUBLIC")
        op.execute(GRANT_APP_ROLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION teamline_grant_app_role(text)")
    op.drop_table("erasures")
    op.drop_table("login_throttles")
