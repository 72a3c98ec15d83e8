"""The live router: the one writer of routing decisions for its shard (issue 3, item 8).

It owns a `RoutingEngine` in memory, feeds it from the database and writes every decision back
in one transaction per call (contact states, agents, presence, and a `routing.decision` outbox
event each). Calls are serialised by a lock: the engine is single-threaded by design.

After a restart, `rebuild` reads every open contact and every agent's presence and replays
them: assigned contacts stay with their agents, offered ones are queued again (the offer died
with the process) and keep their place through their virtual start. No open contact is lost.
If a write fails, the engine is rebuilt from the database so memory never runs ahead of it.

On PostgreSQL one router per shard holds an advisory lock; a second one waits as hot standby.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from teamline.domain.enums import AgentLevel, Channel, Segment
from teamline.domain.errors import TeamlineError, Unavailable
from teamline.routing.engine import RoutingEngine
from teamline.routing.estimate import WaitEstimate
from teamline.routing.model import Activity, ContactKind, ContactRequest, Decision, DecisionKind
from teamline.routing.workflow import Workflow
from teamline.store.routing import OpenContact
from teamline.store.uow import UnitOfWork

# what each decision makes of the contact's row
CONTACT_STATE_OF = {
    DecisionKind.QUEUED: "queued",
    DecisionKind.OFFERED: "offered",
    DecisionKind.OFFER_REJECTED: "queued",
    DecisionKind.OFFER_TIMED_OUT: "queued",
    DecisionKind.ASSIGNED: "assigned",
    DecisionKind.TRANSFERRED: "queued",
    DecisionKind.COMPLETED: "completed",
    DecisionKind.ABANDONED: "abandoned",
    DecisionKind.CANCELLED: "cancelled",
    DecisionKind.LINKED: "linked",
}
FORECAST_HISTORY = timedelta(days=28)
PRESENCE_OF = {
    DecisionKind.AGENT_PAUSED: Activity.BREAK,
    DecisionKind.WRAP_UP_ENDED: Activity.AVAILABLE,
}


def request_of(row: OpenContact, last: tuple[str, datetime] | None) -> ContactRequest:
    return ContactRequest(
        contact_id=row.id,
        customer_id=row.customer_id,
        channel=Channel(row.channel),
        home_team_id=row.home_team_id,
        language=row.language,
        tier=row.tier,
        segment=Segment(row.segment),
        opted_out=row.opted_out,
        human_required=row.human_required,
        level=AgentLevel(row.level),
        kind=ContactKind(row.kind),
        virtual_start=row.virtual_start or row.created_at,
        last_agent_id=last[0] if last else None,
        last_agent_at=last[1] if last else None,
        scheduled_for=row.scheduled_for,
        preferred_agent_id=row.preferred_agent_id,
    )


@dataclass
class Router:
    new_uow: Callable[[], UnitOfWork]
    workflow: Workflow
    forecast_per_hour: dict[str, float] | None = None

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self.engine: RoutingEngine | None = None

    # ---- life cycle --------------------------------------------------------------------------

    def rebuild(self, now: datetime) -> list[Decision]:
        """Read the shard's open work from the database and route it again."""
        with self._lock, self.new_uow() as uow:
            teams = uow.organisation.teams()
            agents = [a for t in teams for a in uow.organisation.agents_of(t.id)]
            presences = uow.routing.presences()
            open_rows = uow.routing.open_contacts()
            lasts = {r.customer_id: uow.routing.last_helper(r.customer_id) for r in open_rows}
            forecast = self.forecast_per_hour
            if forecast is None:
                # until the workforce forecast (issue 4) feeds it: the last four weeks, flat
                forecast = uow.routing.arrivals_per_hour(now - FORECAST_HISTORY, now)
        engine = RoutingEngine(self.workflow, teams, agents, forecast)
        decisions: list[Decision] = []
        for agent_id, activity, _since in presences:
            if agent_id in engine.agents:
                decisions += engine.set_activity(agent_id, Activity(activity), now)
        for row in open_rows:
            request = request_of(row, lasts.get(row.customer_id))
            if row.state == "assigned" and row.agent_id in engine.agents:
                engine.resume(request, row.agent_id, row.assigned_at or row.created_at, now)
            else:
                decisions += engine.submit(request, now)
        with self._lock:
            self.engine = engine
            self._write(decisions)
        return decisions

    def _engine(self) -> RoutingEngine:
        if self.engine is None:
            raise Unavailable("the router is not running in this process")
        return self.engine

    @contextmanager
    def _deciding(self, now: datetime) -> Iterator[RoutingEngine]:
        """Serialise a call; if writing its decisions fails, rebuild from the database."""
        with self._lock:
            engine = self._engine()
            try:
                yield engine
            except TeamlineError:
                raise  # refused by the engine before anything changed
            except Exception:
                self.rebuild(now)
                raise

    # ---- calls -------------------------------------------------------------------------------

    def submit(self, contact_id: str, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            with self.new_uow() as uow:
                rows = uow.routing.open_contacts(contact_id)
                if not rows:
                    raise Unavailable(f"contact {contact_id} is not open in the database")
                last = uow.routing.last_helper(rows[0].customer_id)
            return self._write(engine.submit(request_of(rows[0], last), now))

    def set_activity(self, agent_id: str, activity: Activity, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            decisions = engine.set_activity(agent_id, activity, now)
            return self._write(decisions, presence=(agent_id, activity, now))

    def accept(self, contact_id: str, agent_id: str, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.accept(contact_id, agent_id, now))

    def reject(self, contact_id: str, agent_id: str, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.reject(contact_id, agent_id, now))

    def complete(self, contact_id: str, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.complete(contact_id, now))

    def abandon(self, contact_id: str, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.abandon(contact_id, now))

    def cancel(self, contact_id: str, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.cancel(contact_id, now))

    def transfer(
        self, contact_id: str, now: datetime, to_team_id: str | None, level: AgentLevel | None
    ) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.transfer(contact_id, now, to_team_id, level))

    def tick(self, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.advance(now))

    def estimate(self, contact_id: str, now: datetime) -> WaitEstimate:
        with self._lock:
            engine = self._engine()
            return engine.estimate(contact_id, engine.latest(now))

    def agent_of(self, contact_id: str) -> str | None:
        with self._lock:
            engine = self._engine()
            return engine.agent_of(contact_id) if contact_id in engine.contacts else None

    # ---- writing -----------------------------------------------------------------------------

    def _write(
        self,
        decisions: list[Decision],
        presence: tuple[str, Activity, datetime] | None = None,
    ) -> list[Decision]:
        if not decisions and presence is None:
            return decisions
        with self.new_uow() as uow:
            if presence is not None:
                uow.routing.set_presence(presence[0], presence[1].value, presence[2])
            for d in decisions:
                self._apply(uow, d)
            uow.commit()
        return decisions

    def _apply(self, uow: UnitOfWork, d: Decision) -> None:
        if d.contact_id and d.kind in CONTACT_STATE_OF:
            values: dict[str, Any] = {"state": CONTACT_STATE_OF[d.kind]}
            if d.kind is DecisionKind.OFFERED:
                engine = self._engine()
                values["agent_id"] = d.agent_id
                values["team_id"] = engine.agents[d.agent_id or ""].agent.team_id
            elif d.kind in (DecisionKind.OFFER_REJECTED, DecisionKind.OFFER_TIMED_OUT):
                values["agent_id"] = None
            elif d.kind is DecisionKind.ASSIGNED:
                values["assigned_at"] = d.at
            elif d.kind in (DecisionKind.COMPLETED, DecisionKind.ABANDONED, DecisionKind.CANCELLED):
                values["ended_at"] = d.at
            elif d.kind is DecisionKind.QUEUED:
                values["team_id"] = d.team_id
            uow.routing.set_contact(d.contact_id, **values)
        if d.agent_id and d.kind in PRESENCE_OF:
            uow.routing.set_presence(d.agent_id, PRESENCE_OF[d.kind].value, d.at)
        uow.journal.record_raw(
            d.at,
            "routing.decision",
            {
                "kind": d.kind.value,
                "contact_id": d.contact_id,
                "agent_id": d.agent_id,
                "team_id": d.team_id,
                "step": d.step,
                "reasons": list(d.reasons),
            },
        )


# ---- one router per shard on PostgreSQL -------------------------------------------------------


class ShardLock:
    """The right to route a shard. On PostgreSQL: an advisory lock held on a connection kept open
    while this process routes; a second router waits as hot standby and retries. SQLite serves
    one process by construction, so the lock is always had."""

    def __init__(self, engine: Engine, shard: str) -> None:
        self._engine = engine
        self._name = f"teamline-router:{shard}"
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        if self._engine.dialect.name != "postgresql":
            return True
        if self._connection is not None:
            return True
        connection = self._engine.connect()
        got = connection.execute(
            text("SELECT pg_try_advisory_lock(hashtext(:name))"), {"name": self._name}
        ).scalar()
        connection.commit()
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def release(self) -> None:
        if self._connection is not None:
            self._connection.close()  # the session ends, and its advisory lock with it
            self._connection = None
