"""Contact history as the workforce forecast reads it (issue 4): read-only, no new table.

Each contact counts for the team that took it, or, when no team took it (it was abandoned in the
queue, say), for its customer's home team: the forecast is of the work offered to a team, not
only of the work it answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamline.store.tables import ContactRow, CustomerRow


@dataclass(frozen=True, slots=True)
class HistoryRow:
    team_id: str
    channel: str
    created_at: datetime
    assigned_at: datetime | None
    ended_at: datetime | None


def contact_history(
    session: Session, since: datetime, until: datetime, team_id: str | None = None
) -> list[HistoryRow]:
    """Contacts created in [since, until), of one team or all, oldest first."""
    team = func.coalesce(ContactRow.team_id, CustomerRow.home_team_id)
    query = (
        select(
            team,
            ContactRow.channel,
            ContactRow.created_at,
            ContactRow.assigned_at,
            ContactRow.ended_at,
        )
        .join(CustomerRow, ContactRow.customer_id == CustomerRow.id)
        .where(ContactRow.created_at >= since, ContactRow.created_at < until, team.is_not(None))
        .order_by(ContactRow.created_at, ContactRow.id)
    )
    if team_id is not None:
        query = query.where(team == team_id)
    return [
        HistoryRow(t, ch, at, assigned, ended)
        for t, ch, at, assigned, ended in session.execute(query)
    ]
