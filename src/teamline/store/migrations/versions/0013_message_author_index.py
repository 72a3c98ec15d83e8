"""An index for the customer's latest message in a thread (issue 9 item 7: API load).

Every staff reply asks where the customer last wrote (the reply leaves the same way) and when
they were last seen; with only the (conversation, seq) index, both walked back through every
message of the thread, ours included, so a reply got slower as its thread grew.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 13:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_messages_conversation_author_seq",
        "messages",
        ["conversation_id", "author_kind", "seq"],
    )


def downgrade() -> None:
    op.drop_index("ix_messages_conversation_author_seq", table_name="messages")
