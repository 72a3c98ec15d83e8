"""Account care (issue 6): tier assessments, account bills, concession requests, the
concessions ledger (append-only, like the audit log) and retention offers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
MONEY = sa.BigInteger()  # integer cents (store/types.py Cents)

# a balance is the sum of the ledger's lines: nobody may rewrite one, not even the application
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER ledger_entries_no_{verb} BEFORE {verb.upper()} ON ledger_entries
    BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END"""
    for verb in ("update", "delete")
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'ledger_entries is append-only'; END $$""",
    """CREATE TRIGGER ledger_entries_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()""",
]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    op.create_table(
        "tier_assessments",
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("score", MONEY, nullable=False),
        sa.Column("demoted", sa.Boolean(), nullable=False),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("trigger", sa.String(length=40), nullable=False),
        sa.Column("assessed_at", AT, nullable=False),
        _fk("tier_assessments", "customer_id", "customers.id"),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_tier_assessments")),
    )
    op.create_table(
        "account_bills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_number", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", AT, nullable=False),
        _fk("account_bills", "account_number", "accounts.number"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_bills")),
        sa.UniqueConstraint(
            "account_number", "due_on", name="uq_account_bills_account_number_due_on"
        ),
    )
    op.create_index(op.f("ix_account_bills_account_number"), "account_bills", ["account_number"])
    op.create_table(
        "concession_requests",
        sa.Column("id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("account_number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", ID, nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("limit_value", MONEY, nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("decided_by", ID, nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("concession_requests", "customer_id", "customers.id"),
        _fk("concession_requests", "account_number", "accounts.number"),
        _fk("concession_requests", "requested_by", "users.id"),
        _fk("concession_requests", "decided_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concession_requests")),
    )
    op.create_index(
        op.f("ix_concession_requests_customer_id"), "concession_requests", ["customer_id"]
    )
    op.create_index(op.f("ix_concession_requests_state"), "concession_requests", ["state"])
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("posting_id", ID, nullable=False),
        sa.Column("request_id", ID, nullable=True),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("account_number", sa.String(length=16), nullable=False),
        sa.Column("ledger_account", sa.String(length=60), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        _fk("ledger_entries", "request_id", "concession_requests.id"),
        _fk("ledger_entries", "customer_id", "customers.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(op.f("ix_ledger_entries_posting_id"), "ledger_entries", ["posting_id"])
    op.create_index(op.f("ix_ledger_entries_customer_id"), "ledger_entries", ["customer_id"])
    op.create_table(
        "retention_offers",
        sa.Column("id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("offer", sa.String(length=200), nullable=False),
        sa.Column("percent_off", MONEY, nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("monthly_discount", MONEY, nullable=False),
        sa.Column("value", MONEY, nullable=False),
        sa.Column("fee_owed", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("competitor", sa.String(length=100), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("retention_offers", "customer_id", "customers.id"),
        _fk("retention_offers", "contact_id", "contacts.id"),
        _fk("retention_offers", "created_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_offers")),
    )
    op.create_index(op.f("ix_retention_offers_customer_id"), "retention_offers", ["customer_id"])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries")
        op.execute("DROP FUNCTION ledger_entries_append_only()")
    op.drop_index(op.f("ix_retention_offers_customer_id"), table_name="retention_offers")
    op.drop_table("retention_offers")
    op.drop_index(op.f("ix_ledger_entries_customer_id"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_posting_id"), table_name="ledger_entries")
    op.drop_table("ledger_entries")  # SQLite drops a table's triggers with it
    op.drop_index(op.f("ix_concession_requests_state"), table_name="concession_requests")
    op.drop_index(op.f("ix_concession_requests_customer_id"), table_name="concession_requests")
    op.drop_table("concession_requests")
    op.drop_index(op.f("ix_account_bills_account_number"), table_name="account_bills")
    op.drop_table("account_bills")
    op.drop_table("tier_assessments")
