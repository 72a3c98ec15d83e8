"""Contract and warranty texts per account (issue 6 item 8).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def upgrade() -> None:
    op.create_table(
        "contract_documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("account_number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("contract_documents", "account_number", "accounts.number"),
        _fk("contract_documents", "created_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_documents")),
    )
    op.create_index(
        op.f("ix_contract_documents_account_number"), "contract_documents", ["account_number"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_contract_documents_account_number"), table_name="contract_documents")
    op.drop_table("contract_documents")
