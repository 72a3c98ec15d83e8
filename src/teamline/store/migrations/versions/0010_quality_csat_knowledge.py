"""Quality review, CSAT surveys, knowledge articles and saved replies (issue 7).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.String(length=40)
SEED = sa.BigInteger()


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def upgrade() -> None:
    op.create_table(
        "qa_complaints",
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("flagged_by", ID, nullable=True),
        sa.Column("flagged_at", AT, nullable=False),
        _fk("qa_complaints", "contact_id", "contacts.id"),
        _pk("qa_complaints", "contact_id"),
    )
    op.create_table(
        "qa_sample_runs",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("seed", SEED, autoincrement=False, nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("agents", sa.Integer(), nullable=False),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.Column("sampled", sa.Integer(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("ran_by", ID, nullable=True),
        sa.Column("ran_at", AT, nullable=False),
        _pk("qa_sample_runs", "month", "seed"),
    )
    op.create_table(
        "qa_samples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("seed", SEED, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("agent_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("contact_at", AT, nullable=False),
        sa.Column("stratified", sa.Boolean(), nullable=False),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("qa_samples", "contact_id", "contacts.id"),
        _fk("qa_samples", "agent_id", "agents.id"),
        _pk("qa_samples", "id"),
        sa.UniqueConstraint(
            "month", "seed", "contact_id", name=op.f("uq_qa_samples_month_seed_contact_id")
        ),
    )
    op.create_index(op.f("ix_qa_samples_contact_id"), "qa_samples", ["contact_id"])
    op.create_index("ix_qa_samples_month_agent_id", "qa_samples", ["month", "agent_id"])
    op.create_table(
        "qa_scorecards",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        _fk("qa_scorecards", "team_id", "teams.id"),
        _pk("qa_scorecards", "id"),
    )
    op.create_table(
        "qa_calibrations",
        sa.Column("id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("scorecard_id", ID, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("qa_calibrations", "contact_id", "contacts.id"),
        _fk("qa_calibrations", "scorecard_id", "qa_scorecards.id"),
        _fk("qa_calibrations", "created_by", "users.id"),
        _pk("qa_calibrations", "id"),
    )
    op.create_index(op.f("ix_qa_calibrations_contact_id"), "qa_calibrations", ["contact_id"])
    op.create_table(
        "qa_reviews",
        sa.Column("id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("agent_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("scorecard_id", ID, nullable=False),
        sa.Column("reviewer_id", ID, nullable=False),
        sa.Column("context", sa.String(length=40), nullable=False),
        sa.Column("calibration_id", ID, nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _fk("qa_reviews", "contact_id", "contacts.id"),
        _fk("qa_reviews", "agent_id", "agents.id"),
        _fk("qa_reviews", "scorecard_id", "qa_scorecards.id"),
        _fk("qa_reviews", "reviewer_id", "users.id"),
        _fk("qa_reviews", "calibration_id", "qa_calibrations.id"),
        _pk("qa_reviews", "id"),
        sa.UniqueConstraint(
            "contact_id", "reviewer_id", "context", name=op.f("uq_qa_reviews_contact_id_reviewer")
        ),
    )
    op.create_index("ix_qa_reviews_month_agent_id", "qa_reviews", ["month", "agent_id"])
    op.create_table(
        "csat_surveys",
        sa.Column("id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("agent_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("sent_at", AT, nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("answered_at", AT, nullable=True),
        _fk("csat_surveys", "contact_id", "contacts.id"),
        _fk("csat_surveys", "customer_id", "customers.id"),
        _fk("csat_surveys", "agent_id", "agents.id"),
        _pk("csat_surveys", "id"),
        sa.UniqueConstraint("contact_id", name=op.f("uq_csat_surveys_contact_id")),
    )
    op.create_index(op.f("ix_csat_surveys_customer_id"), "csat_surveys", ["customer_id"])
    op.create_index(op.f("ix_csat_surveys_sent_at"), "csat_surveys", ["sent_at"])
    op.create_table(
        "knowledge_texts",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("team_id", ID, nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", ID, nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_by", ID, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("knowledge_texts", "team_id", "teams.id"),
        _pk("knowledge_texts", "id"),
    )
    op.create_index("ix_knowledge_texts_kind_language", "knowledge_texts", ["kind", "language"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_texts_kind_language", table_name="knowledge_texts")
    op.drop_table("knowledge_texts")
    op.drop_index(op.f("ix_csat_surveys_sent_at"), table_name="csat_surveys")
    op.drop_index(op.f("ix_csat_surveys_customer_id"), table_name="csat_surveys")
    op.drop_table("csat_surveys")
    op.drop_index("ix_qa_reviews_month_agent_id", table_name="qa_reviews")
    op.drop_table("qa_reviews")
    op.drop_index(op.f("ix_qa_calibrations_contact_id"), table_name="qa_calibrations")
    op.drop_table("qa_calibrations")
    op.drop_table("qa_scorecards")
    op.drop_index("ix_qa_samples_month_agent_id", table_name="qa_samples")
    op.drop_index(op.f("ix_qa_samples_contact_id"), table_name="qa_samples")
    op.drop_table("qa_samples")
    op.drop_table("qa_sample_runs")
    op.drop_table("qa_complaints")
