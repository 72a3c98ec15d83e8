"""Billing care: billing mode, suspensions, payment disputes, grandfathered plans (issue 6 item 7).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # tables land with the capability that owns this revision


def downgrade() -> None:
    pass
