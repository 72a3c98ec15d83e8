"""Account care: coverage complaints and unlock requests (issue 6 items 5-6).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # tables land with the capability that owns this revision


def downgrade() -> None:
    pass
