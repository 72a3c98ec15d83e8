"""Security, audit and privacy: login throttling, erasure (issue 9).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # tables land with the capability that owns this revision


def downgrade() -> None:
    pass
