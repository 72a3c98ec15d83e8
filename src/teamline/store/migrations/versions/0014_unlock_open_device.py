"""One open unlock request per device (issue 6 item 6).

The service refuses a second request for a device while one is open, but two requests made at
the same instant by two different customers both passed that check: a partial unique index on
the device among open requests makes the second one fail whole (409).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 16:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OPEN_DEVICE = "state IN ('requested', 'eligible', 'ineligible')"


def upgrade() -> None:
    op.create_index(
        "ux_unlock_requests_open_device",
        "unlock_requests",
        ["imei"],
        unique=True,
        postgresql_where=sa.text(OPEN_DEVICE),
        sqlite_where=sa.text(OPEN_DEVICE),
    )


def downgrade() -> None:
    op.drop_index("ux_unlock_requests_open_device", table_name="unlock_requests")
