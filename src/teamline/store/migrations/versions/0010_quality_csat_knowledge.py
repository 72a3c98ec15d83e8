"""Quality review, CSAT surveys, knowledge articles and saved replies (issue 7).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # tables land with the capability that owns this revision


def downgrade() -> None:
    pass
