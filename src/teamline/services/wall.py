"""The supervisor wall's live figures per team (issue 8, item 3; DOMAIN.md sections 1 and 8).

Live state (agent states, the queue, the estimated wait, overflow in and out, surges, lending)
is read from the router's engine in memory, under its lock: the wall never polls the database
per viewer for it. Today's service level (share of contacts answered within the team's
threshold) is the one figure read from the database, over contacts created since local midnight.

Overflow *out* is a team's own customers' contacts now with agents of another team; overflow
*in* is other teams' customers' contacts now with this team's agents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from teamline.domain.contacts import ContactState
from teamline.domain.enums import TeamKind
from teamline.domain.errors import NotFound, Unavailable
from teamline.domain.users import User
from teamline.routing.model import Activity
from teamline.services.access import require_supervisor
from teamline.services.router import Router
from teamline.store.history import contact_history
from teamline.store.uow import UnitOfWork

WAITING = (ContactState.QUEUED, ContactState.NEW)
WITH_AGENT = (ContactState.OFFERED, ContactState.ASSIGNED)


@dataclass
class TeamLive:
    team_id: str
    name: str
    kind: str
    agents: Counter[str] = field(default_factory=Counter)  # activity (or "busy") -> count
    waiting: int = 0
    estimated_wait_s: float | None = None  # None: nobody staffed (infinite)
    overflow_in: int = 0
    overflow_out: int = 0
    surging: bool = False
    lending: bool = True
    arrivals_today: int = 0
    answered_in_time: int = 0
    service_level: float | None = None  # today, None before any contact
    sl_target: float = 0.8
    sl_seconds: int = 20


@dataclass(frozen=True)
class Wall:
    at: datetime
    teams: list[TeamLive]
    routing: bool  # False: the router does not run in this process (figures from the DB only)

    @property
    def surges(self) -> list[TeamLive]:
        return [t for t in self.teams if t.surging]


def _live(router: Router, teams: dict[str, TeamLive]) -> bool:
    engine = router.engine
    if engine is None:
        return False
    with router._lock:  # the engine is single-threaded by design: read between calls
        for state in engine.agents.values():
            team = teams.get(state.agent.team_id)
            if team is None:
                continue
            busy = state.activity is Activity.AVAILABLE and state.total > 0
            team.agents["busy" if busy else state.activity.value] += 1
        for contact in engine.contacts.values():
            home = contact.request.home_team_id or contact.home_team_id
            if contact.state in WAITING and home in teams:
                teams[home].waiting += 1
            elif contact.state in WITH_AGENT and contact.agent_id in engine.agents:
                serving = engine.agents[contact.agent_id].agent.team_id
                if home is not None and serving != home:
                    if home in teams:
                        teams[home].overflow_out += 1
                    if serving in teams:
                        teams[serving].overflow_in += 1
        surging = engine.surging()
        for team in teams.values():
            wait = engine.team_wait(team.team_id)
            team.estimated_wait_s = None if wait == float("inf") else wait
            team.surging = team.team_id in surging
            team.lending = engine.lending(team.team_id)
    return True


def wall(uow: UnitOfWork, router: Router, actor: User, now: datetime) -> Wall:
    """Every team's live figures, regional teams first."""
    require_supervisor(actor, "see the supervisor wall")
    with uow:
        known = uow.organisation.teams()
        rows = contact_history(uow.session, now - timedelta(hours=24), now)
    teams = {
        t.id: TeamLive(
            t.id,
            t.name,
            t.kind.value,
            sl_target=t.service_level_target,
            sl_seconds=t.service_level_seconds,
        )
        for t in sorted(known, key=lambda t: (t.kind is not TeamKind.REGIONAL, t.name))
    }
    midnight = {
        t.id: now.astimezone(t.zone).replace(hour=0, minute=0, second=0, microsecond=0)
        for t in known
    }
    for row in rows:
        team = teams.get(row.team_id)
        if team is None or row.created_at < midnight[team.team_id]:
            continue
        team.arrivals_today += 1
        waited = (row.assigned_at or now) - row.created_at
        if row.assigned_at is not None and waited <= timedelta(seconds=team.sl_seconds):
            team.answered_in_time += 1
    for team in teams.values():
        if team.arrivals_today:
            team.service_level = team.answered_in_time / team.arrivals_today
    routing = _live(router, teams)
    return Wall(now, list(teams.values()), routing)


def team_wait_now(router: Router, team_id: str) -> float | None:
    """The team's estimated wait for a new contact now, in seconds (None: nobody staffed)."""
    engine = router.engine
    if engine is None:
        raise Unavailable("the router is not running in this process")
    with router._lock:
        if team_id not in engine.teams:
            raise NotFound(f"team {team_id!r} not found")
        wait = engine.team_wait(team_id)
    return None if wait == float("inf") else wait
