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

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from teamline.domain.enums import AgentLevel, Channel, Segment
from teamline.domain.errors import InvalidInput, NotFound, TeamlineError, Unavailable
from teamline.routing.engine import RoutingEngine
from teamline.routing.estimate import WaitEstimate
from teamline.routing.model import Activity, ContactKind, ContactRequest, Decision, DecisionKind
from teamline.routing.workflow import Workflow
from teamline.services.router_calls import (
    CALLS,
    call_remote,
    decision_data,
    decision_of,
    error_data,
    estimate_data,
    estimate_of,
)
from teamline.store.routing import OpenContact
from teamline.store.routing_requests import DONE, FAILED, RoutingRequest
from teamline.store.uow import UnitOfWork

log = logging.getLogger("teamline.router")
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
# a contact still new this long after it was stored missed its call to the router
RECONCILE_AFTER = timedelta(seconds=2)
KEEP_SETTLED_REQUESTS = timedelta(hours=1)
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


class RequestWithdrawn(Exception):
    """A routing request's caller stopped waiting before the router answered."""


@dataclass
class Router:
    new_uow: Callable[[], UnitOfWork]
    workflow: Workflow
    forecast_per_hour: dict[str, float] | None = None
    # how long a process that does not route waits for the router (0: answer 503 at once)
    remote_wait_seconds: float = 5.0

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
    # In the process that routes, a call runs on the engine at once; in any other process it is
    # written as a routing request for the router and answered from the database.

    def submit(self, contact_id: str, now: datetime) -> list[Decision]:
        return self._decisions("submit", now, contact_id=contact_id)

    def set_activity(self, agent_id: str, activity: Activity, now: datetime) -> list[Decision]:
        return self._decisions("set_activity", now, agent_id=agent_id, activity=activity.value)

    def accept(self, contact_id: str, agent_id: str, now: datetime) -> list[Decision]:
        return self._decisions("accept", now, contact_id=contact_id, agent_id=agent_id)

    def reject(self, contact_id: str, agent_id: str, now: datetime) -> list[Decision]:
        return self._decisions("reject", now, contact_id=contact_id, agent_id=agent_id)

    def complete(
        self, contact_id: str, now: datetime, agent_id: str | None = None
    ) -> list[Decision]:
        """Finish a contact; with `agent_id`, only if it is with that agent."""
        return self._decisions("complete", now, contact_id=contact_id, agent_id=agent_id)

    def abandon(self, contact_id: str, now: datetime) -> list[Decision]:
        return self._decisions("abandon", now, contact_id=contact_id)

    def cancel(self, contact_id: str, now: datetime) -> list[Decision]:
        return self._decisions("cancel", now, contact_id=contact_id)

    def transfer(
        self, contact_id: str, now: datetime, to_team_id: str | None, level: AgentLevel | None
    ) -> list[Decision]:
        return self._decisions(
            "transfer",
            now,
            contact_id=contact_id,
            to_team_id=to_team_id,
            level=level.value if level else None,
        )

    def tick(self, now: datetime) -> list[Decision]:
        with self._deciding(now) as engine:
            now = engine.latest(now)
            return self._write(engine.advance(now))

    def estimate(self, contact_id: str, now: datetime) -> WaitEstimate:
        if self.engine is None and self.remote_wait_seconds > 0:
            data = call_remote(
                self.new_uow, "estimate", {"contact_id": contact_id}, now, self.remote_wait_seconds
            )
            return estimate_of(data["estimate"])
        with self._lock:
            engine = self._engine()
            return engine.estimate(contact_id, engine.latest(now))

    def serve_requests(self, now: datetime, limit: int = 200) -> int:
        """Answer the routing requests other processes wrote (oldest first); how many."""
        with self._lock:
            self._engine()
            with self.new_uow() as uow:
                pending = uow.routing_requests.pending(limit)
            for request in pending:
                try:
                    self._serve(request, now)
                except RequestWithdrawn:
                    pass  # its caller gave up; the engine was rebuilt from the database
                except Exception:  # one poisoned request must not block those behind it
                    log.exception("routing request %s failed", request.id)
                    failure = Unavailable("the router failed on this call; try again")
                    self._settle_failed(request.id, failure, now)
            return len(pending)

    def reconcile(self, now: datetime) -> int:
        """Route contacts that were stored but never reached the router (their writer died
        between its commit and its call): the safety net of "no contact is ever lost"."""
        with self._lock:
            engine = self._engine()
            with self.new_uow() as uow:
                stray = uow.routing.unrouted(now - RECONCILE_AFTER)
                uow.routing_requests.purge(now - KEEP_SETTLED_REQUESTS)
                uow.commit()
            stray = [c for c in stray if c not in engine.contacts and c not in engine.closed]
            for contact_id in stray:
                with suppress(TeamlineError):  # closed meanwhile: nothing to route
                    self.submit(contact_id, now)
            return len(stray)

    def _decisions(self, call: str, now: datetime, **args: str | None) -> list[Decision]:
        if self.engine is None and self.remote_wait_seconds > 0:
            data = call_remote(self.new_uow, call, args, now, self.remote_wait_seconds)
            return [decision_of(d) for d in data["decisions"]]
        with self._deciding(now) as engine:
            now = engine.latest(now)
            decisions, presence = self._perform(engine, call, args, now)
            return self._write(decisions, presence)

    def _serve(self, request: RoutingRequest, now: datetime) -> None:
        if request.call not in CALLS or set(request.args) - set(CALLS[request.call]):
            self._settle_failed(
                request.id, InvalidInput("call", f"unknown call {request.call!r}"), now
            )
            return
        args = {k: request.args.get(k) for k in CALLS[request.call]}
        with self._deciding(now) as engine:
            at = engine.latest(now)
            try:
                if request.call == "estimate":
                    estimate = engine.estimate(str(args["contact_id"]), at)
                    self._settle(request.id, {"estimate": estimate_data(estimate)}, at)
                    return
                decisions, presence = self._perform(engine, request.call, args, at)
            except TeamlineError as exc:  # refused before anything changed
                self._settle_failed(request.id, exc, at)
                return
            answer = {"decisions": [decision_data(d) for d in decisions]}
            self._write(decisions, presence, answer=(request.id, answer, at))

    def _settle(self, request_id: int, answer: dict[str, Any], at: datetime) -> None:
        with self.new_uow() as uow:
            uow.routing_requests.settle(request_id, DONE, answer, at)
            uow.commit()

    def _settle_failed(self, request_id: int, exc: TeamlineError, at: datetime) -> None:
        with self.new_uow() as uow:
            uow.routing_requests.settle(request_id, FAILED, error_data(exc), at)
            uow.commit()

    def _perform(
        self, engine: RoutingEngine, call: str, args: dict[str, str | None], now: datetime
    ) -> tuple[list[Decision], tuple[str, Activity, datetime] | None]:
        """Run one call on the engine: its decisions, and the presence to store if any."""
        contact_id = args.get("contact_id") or ""
        agent_id = args.get("agent_id")
        if call == "submit":
            if contact_id in engine.contacts or contact_id in engine.closed:
                return [], None  # routed already (a rebuild found it open): nothing to do
            with self.new_uow() as uow:
                rows = uow.routing.open_contacts(contact_id)
                if not rows:
                    raise Unavailable(f"contact {contact_id} is not open in the database")
                last = uow.routing.last_helper(rows[0].customer_id)
            return engine.submit(request_of(rows[0], last), now), None
        if call == "set_activity":
            try:
                activity = Activity(args.get("activity") or "")
            except ValueError:
                raise InvalidInput("activity", f"no activity {args.get('activity')!r}") from None
            decisions = engine.set_activity(agent_id or "", activity, now)
            return decisions, (agent_id or "", activity, now)
        if call == "accept":
            return engine.accept(contact_id, agent_id or "", now), None
        if call == "reject":
            return engine.reject(contact_id, agent_id or "", now), None
        if call == "complete":
            if agent_id is not None and engine.agent_of(contact_id) != agent_id:
                raise NotFound(f"contact {contact_id!r} is not with you")
            return engine.complete(contact_id, now), None
        if call == "abandon":
            return engine.abandon(contact_id, now), None
        if call == "cancel":
            return engine.cancel(contact_id, now), None
        if call == "transfer":
            level = args.get("level")
            return engine.transfer(
                contact_id, now, args.get("to_team_id"), AgentLevel(level) if level else None
            ), None
        raise InvalidInput("call", f"unknown call {call!r}")

    # ---- writing -----------------------------------------------------------------------------

    def _write(
        self,
        decisions: list[Decision],
        presence: tuple[str, Activity, datetime] | None = None,
        answer: tuple[int, dict[str, Any], datetime] | None = None,
    ) -> list[Decision]:
        """Store the decisions (and the answer to a routing request) in one transaction."""
        if not decisions and presence is None and answer is None:
            return decisions
        with self.new_uow() as uow:
            if presence is not None:
                uow.routing.set_presence(presence[0], presence[1].value, presence[2])
            for d in decisions:
                self._apply(uow, d)
            if answer is not None:
                request_id, payload, at = answer
                if not uow.routing_requests.settle(request_id, DONE, payload, at):
                    # its caller gave up first: roll back; `_deciding` rebuilds the engine
                    raise RequestWithdrawn(f"routing request {request_id} was withdrawn")
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
