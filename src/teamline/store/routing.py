"""What the router reads back after a restart and writes as it decides (issue 3).

Rows only: the store knows nothing of the engine. The services layer turns an `OpenContact` into
a routing request and a decision into the calls below, in one transaction per batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from teamline.domain.contacts import ContactState
from teamline.store.tables import ContactRow, CustomerRow, PresenceRow

# the domain decides which states are open; wrap-up is never stored on a contact
OPEN_STATES = tuple(s.value for s in ContactState if s.is_open)


@dataclass(frozen=True, slots=True)
class OpenContact:
    id: str
    customer_id: str
    channel: str
    state: str
    created_at: datetime
    virtual_start: datetime | None
    tier: int
    language: str
    level: str
    kind: str
    scheduled_for: datetime | None
    preferred_agent_id: str | None
    agent_id: str | None
    assigned_at: datetime | None
    home_team_id: str | None
    segment: str
    opted_out: bool
    human_required: bool


class RoutingRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def open_contacts(self, contact_id: str | None = None) -> list[OpenContact]:
        """Open contacts (or one), oldest place in line first, with what routing needs."""
        query = (
            select(ContactRow, CustomerRow)
            .join(CustomerRow, ContactRow.customer_id == CustomerRow.id)
            .where(ContactRow.state.in_(OPEN_STATES))
            .order_by(func.coalesce(ContactRow.virtual_start, ContactRow.created_at), ContactRow.id)
        )
        if contact_id is not None:
            query = query.where(ContactRow.id == contact_id)
        return [
            OpenContact(
                c.id,
                c.customer_id,
                c.channel,
                c.state,
                c.created_at,
                c.virtual_start,
                c.tier,
                c.language,
                c.level,
                c.kind,
                c.scheduled_for,
                c.preferred_agent_id,
                c.agent_id,
                c.assigned_at,
                cu.home_team_id,
                cu.segment,
                cu.opted_out,
                c.human_required,
            )
            for c, cu in self._s.execute(query)
        ]

    def unrouted(self, before: datetime, limit: int = 500) -> list[str]:
        """Contacts stored but never handed to the router (state new), created before `before`:
        their writer died between its commit and its call, or the call was refused."""
        return list(
            self._s.scalars(
                select(ContactRow.id)
                .where(ContactRow.state == ContactState.NEW.value, ContactRow.created_at < before)
                .order_by(ContactRow.created_at, ContactRow.id)
                .limit(limit)
            )
        )

    def last_helper(self, customer_id: str) -> tuple[str, datetime] | None:
        """The agent who last completed a contact with this customer, and when."""
        row = self._s.execute(
            select(ContactRow.agent_id, func.coalesce(ContactRow.ended_at, ContactRow.created_at))
            .where(
                ContactRow.customer_id == customer_id,
                ContactRow.state == "completed",
                ContactRow.agent_id.is_not(None),
            )
            .order_by(func.coalesce(ContactRow.ended_at, ContactRow.created_at).desc())
            .limit(1)
        ).first()
        return (row[0], row[1]) if row and row[0] else None

    def presences(self) -> list[tuple[str, str, datetime]]:
        rows = self._s.execute(
            select(PresenceRow.agent_id, PresenceRow.activity, PresenceRow.since).order_by(
                PresenceRow.since, PresenceRow.agent_id
            )
        )
        return [(a, b, c) for a, b, c in rows]

    def set_presence(self, agent_id: str, activity: str, since: datetime) -> None:
        row = self._s.get(PresenceRow, agent_id)
        if row is None:
            self._s.add(PresenceRow(agent_id=agent_id, activity=activity, since=since))
        else:
            row.activity, row.since = activity, since

    def set_contact(self, contact_id: str, **values: object) -> None:
        self._s.execute(update(ContactRow).where(ContactRow.id == contact_id).values(**values))

    def arrivals_per_hour(self, since: datetime, until: datetime) -> dict[str, float]:
        """Inbound contacts per home team per hour over [since, until): a flat forecast."""
        hours = max((until - since).total_seconds() / 3600, 1.0)
        rows = self._s.execute(
            select(ContactRow.team_id, func.count())
            .where(
                ContactRow.created_at >= since,
                ContactRow.created_at < until,
                ContactRow.team_id.is_not(None),
            )
            .group_by(ContactRow.team_id)
        )
        return {team_id: count / hours for team_id, count in rows if team_id is not None}
