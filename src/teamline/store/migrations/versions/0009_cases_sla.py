"""Cases, SLA clocks, business calendars and the escalation ladder (issue 7).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 09:30:00
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # tables land with the capability that owns this revision


def downgrade() -> None:
    pass
