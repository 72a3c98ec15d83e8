"""The routing engine's state and bookkeeping, shared by matching, rings and the public calls.

Split in layers, each a subclass of the one below: `core` (state, counts, health, decisions),
`matching` (who gets offered what), `rings` (where a contact may go as it waits) and `engine`
(the public calls and the clock). Times are float seconds inside; datetimes at the surface.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache

from teamline.domain.enums import AgentLevel, CapacityClass, TeamKind
from teamline.domain.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from teamline.domain.hours import require_aware
from teamline.domain.organisation import Agent, Team
from teamline.domain.tiers import priority_rank
from teamline.routing.agents import (
    ASYNC,
    AVAILABLE,
    CLASSES,
    VOICE,
    AgentIndex,
    AgentState,
    IndexKey,
)
from teamline.routing.model import (
    ACT,
    DK,
    RS,
    Activity,
    Decision,
    DecisionKind,
    RouteState,
)
from teamline.routing.queues import (
    ALL_TEAMS_POOL,
    ContactQueues,
    PoolKey,
    RoutedContact,
    agent_pool,
    borrow_pool,
    team_pool,
)
from teamline.routing.surge import SurgeDetector
from teamline.routing.timers import TK, Timers
from teamline.routing.workflow import Workflow

SPECIAL_TEAM_OF_LEVEL = {
    AgentLevel.ESCALATION: TeamKind.ESCALATION,
    AgentLevel.EXECUTIVE_CARE: TeamKind.EXECUTIVE_CARE,
    AgentLevel.REGULATORY: TeamKind.REGULATORY,
    AgentLevel.SOCIAL_CARE: TeamKind.SOCIAL_CARE,
}
_new_decision = tuple.__new__
RingOf = tuple[str, str | None, str | None, CapacityClass, str, AgentLevel]
HANDLE_EWMA = 0.1  # weight of the newest handle time in the running average
# a router runs for weeks: what it remembers of finished work is bounded (see `_forget_old`)
CLOSED_KEPT_SECONDS = 24 * 3600.0
FORGET_EVERY_SECONDS = 60.0
Noted = tuple[deque[float], deque[str]]


def note(order: Noted, t: float, key: str) -> None:
    order[0].append(t)
    order[1].append(key)


def open_key(customer_id: str, cls: CapacityClass | bool) -> str:
    """Where a customer's open contact is remembered: one live contact (a call or chat), and
    apart from it one waiting message; a second of either kind is linked to the first."""
    live = cls if isinstance(cls, bool) else cls is not ASYNC
    return customer_id if live else f"{customer_id}\x00async"


def ts(at: datetime) -> float:
    # the engine's own clock is always UTC: that case skips the awareness check's calls
    if at.tzinfo is UTC:
        return at.timestamp()
    return require_aware(at).timestamp()


@lru_cache(maxsize=256)
def dt(seconds: float) -> datetime:
    """An instant as an aware UTC datetime (memoised: a call's decisions share a few instants)."""
    return datetime.fromtimestamp(seconds, UTC)


def forget_past(
    order: Noted,
    known: dict[str, tuple[str, float]] | dict[str, tuple[float, float]],
    before: float,
) -> None:
    """Drop the entries noted before `before` from `known`, unless noted again since (an
    entry's second item is when it was noted)."""
    times, keys = order
    while times and times[0] < before:
        at, key = times.popleft(), keys.popleft()
        entry = known.get(key)
        if entry is not None and entry[1] == at:
            del known[key]


class EngineCore:
    def __init__(
        self,
        workflow: Workflow,
        teams: Iterable[Team],
        agents: Iterable[Agent],
        forecast_per_hour: Mapping[str, float] | None = None,
    ) -> None:
        self.workflow = workflow
        self.teams = {t.id: t for t in teams}
        self.agents: dict[str, AgentState] = {}
        self._team_agents: dict[str, list[AgentState]] = {}
        self.contacts: dict[str, RoutedContact] = {}
        self._index = AgentIndex(self.agents)
        self._queues = ContactQueues(self.contacts)
        self.closed: dict[str, RouteState] = {}  # finished contacts leave `contacts` (memory, GC)
        self._zones = {t.id: t.zone for t in self.teams.values()}
        # teams with the same hours object in the same zone open and close together: their
        # answer is computed once a minute for all of them
        self._hours_group = {t.id: (id(t.hours), t.timezone) for t in self.teams.values()}
        self._open_at: dict[tuple[tuple[int, str], str], tuple[int, bool]] = {}
        self._timers = Timers()
        self._surge = SurgeDetector(
            workflow.surge_window_seconds, workflow.surge_factor, dict(forecast_per_hour or {})
        )
        self._national = sorted(
            t.id for t in self.teams.values() if t.kind is TeamKind.NATIONAL_POOL
        )
        self._lending = dict.fromkeys(self.teams, True)
        self._healthy_since: dict[str, float] = {}  # not lending, calm since (see _lending_after)
        self._refeed: set[str] = set()
        self._recheck: set[str] = set()  # teams that may lend again: asked at the end of a call
        self._waiting_home: dict[str, int] = dict.fromkeys(self.teams, 0)
        self._staffed: dict[str, int] = dict.fromkeys(self.teams, 0)
        self._idle: dict[str, int] = dict.fromkeys(self.teams, 0)
        self._handle: dict[tuple[str, CapacityClass], float] = {}
        self._last_helped: dict[str, tuple[str, float]] = {}
        self._abandoned: dict[str, tuple[float, float]] = {}  # customer -> (virtual start, at)
        self._open_of_customer: dict[str, str] = {}
        # when and what was noted, in that order, to forget them in that order (two lines of
        # floats and strings, not one of tuples: those would be garbage-collected objects)
        self._closed_order: Noted = (deque(), deque())
        self._helped_order: Noted = (deque(), deque())
        self._abandoned_order: Noted = (deque(), deque())
        self._next_forget = float("-inf")
        self._seq = 0
        # (ring, first team, home team, class, language, level) -> the pools the ring opens
        self._pools_of: dict[RingOf, tuple[PoolKey, ...]] = {}
        # each pool's kind, owner and index key (matching.parse_pool), kept
        self._parsed_pools: dict[PoolKey, tuple[str, str, IndexKey]] = {}
        # timers that came due and changed something (an offer timed out, a ring opened, a
        # wrap-up ended...): the engine's own events, beside the calls made to it
        self.timer_events = 0
        self._now = float("-inf")
        self._now_at: tuple[float, datetime] = (float("-inf"), datetime.min.replace(tzinfo=UTC))
        self._out: list[Decision] = []
        for team in self.teams.values():
            if team.kind is TeamKind.REGIONAL:
                workflow.check_against(team.service_level_seconds)
        for agent in agents:
            self.add_agent(agent)

    def add_agent(self, agent: Agent) -> None:
        if agent.team_id not in self.teams:
            raise InvalidInput("team_id", f"agent {agent.id} names unknown team {agent.team_id}")
        if agent.id in self.agents:
            raise Conflict(f"agent {agent.id} is known already")
        regional = self.teams[agent.team_id].kind is TeamKind.REGIONAL
        state = AgentState(agent, regional)
        own = (agent_pool(agent.id), team_pool(agent.team_id))
        lend = (borrow_pool(agent.team_id), ALL_TEAMS_POOL) if regional else ()
        for cls in CLASSES:
            state.own_pools[cls] = tuple(
                self._queues.heap((name, cls, lang, agent.level))
                for name in own
                for lang in state.langs
            )
            state.lend_pools[cls] = tuple(
                self._queues.heap((name, cls, lang, agent.level))
                for name in lend
                for lang in state.langs
            )
        self._index.list_agent(state)
        self.agents[agent.id] = state
        self._team_agents.setdefault(agent.team_id, []).append(state)

    def _become(self, contact: RoutedContact, new: RouteState) -> None:
        """Every state change of a contact goes here, so the per-team waiting counts hold."""
        was_queued, queued = contact.state is RS.QUEUED, new is RS.QUEUED
        if was_queued != queued and contact.home_team_id:
            self._waiting_home[contact.home_team_id] += 1 if queued else -1
            self._health_moved(contact.home_team_id)
        contact.state = new

    def _change_activity(self, state: AgentState, activity: Activity, t: float) -> None:
        team = state.agent.team_id
        was_staffed = state.activity is not ACT.OFFLINE
        coming_back = activity is AVAILABLE and state.activity is not AVAILABLE
        if coming_back and state.total == 0:
            state.free_since = t  # back from a break or wrap-up: idle from now
        state.activity = activity
        if state.answers:  # supervisors supervise: they do not count as the team's capacity
            self._staffed[team] += (activity is not ACT.OFFLINE) - was_staffed
            self._health_moved(team)
        self._refresh(state)

    def _key(self, contact: RoutedContact) -> float:
        return contact.virtual_start - self._credit(contact.request.tier)

    def _credit(self, tier: int) -> float:
        # tier 1 means demoted (DOMAIN.md): worse than new, so no credit at all
        return self.workflow.max_tier_credit_seconds * priority_rank(tier) / 5

    def _handle_time(self, team_id: str, cls: CapacityClass) -> float:
        known = self._handle.get((team_id, cls))
        return known if known is not None else self.workflow.handle_seconds.get(cls, 300.0)

    def _learn_handle_time(self, team_id: str, cls: CapacityClass, seconds: float) -> None:
        old = self._handle_time(team_id, cls)
        self._handle[(team_id, cls)] = old + HANDLE_EWMA * (seconds - old)

    def team_wait(self, team_id: str) -> float:
        """The team's own estimated wait for a new contact: none while someone is idle, else
        (waiting + 1) x handle time / staffed agents."""
        if self._idle.get(team_id, 0):
            return 0.0
        staffed = self._staffed.get(team_id, 0)
        if not staffed:
            return float("inf")
        waiting = self._waiting_home.get(team_id, 0)
        return (waiting + 1) * self._handle_time(team_id, VOICE) / staffed

    def _refresh(self, state: AgentState) -> None:
        """The agent changed: re-index them and keep the team's idle count."""
        idle = state.activity is AVAILABLE and state.total == 0 and state.answers
        if idle != state.counted_idle:
            self._idle[state.agent.team_id] += 1 if idle else -1
            state.counted_idle = idle
        self._index.refresh(state)

    def backlog_wait(self, team_id: str) -> float:
        """How long the team's staffed agents would take to clear its own waiting contacts: the
        health that decides lending. (Not `team_wait`: a team with a queue is not healthy
        because one of its agents is free for a moment; that agent takes the queue first.)"""
        waiting = self._waiting_home.get(team_id, 0)
        if not waiting:
            return 0.0
        staffed = self._staffed.get(team_id, 0)
        if not staffed:
            return float("inf")
        return waiting * self._handle_time(team_id, VOICE) / staffed

    def _lending_after(self, team_id: str, t: float) -> bool:
        """Hysteresis with a dwell: stop lending as soon as the team's own backlog passes one
        bound; start again only once it has stayed under a lower one for a while (reads only)."""
        wait = self.backlog_wait(team_id)
        if self._lending.get(team_id, False):
            return wait <= self.workflow.stop_lending_wait_seconds
        since = self._healthy_since.get(team_id)
        if wait > self.workflow.resume_lending_wait_seconds:
            return False
        dwell = self.workflow.resume_lending_after_seconds
        return dwell <= 0 or (since is not None and t - since >= dwell)

    def _lending_allowed(self, team_id: str, t: float) -> bool:
        """`_lending_after`, recorded: a change is a decision, and a team that starts lending
        again has its free agents fed at the end of the call."""
        lending = self._lending.get(team_id, False)
        after = self._lending_after(team_id, t)
        if not lending and not after:
            self._note_health(team_id, t)
        if after == lending:
            return lending
        wait = self.backlog_wait(team_id)
        self._lending[team_id] = after
        self._healthy_since.pop(team_id, None)
        if lending:
            self._say(
                DK.TEAM_UNHEALTHY,
                t,
                team_id=team_id,
                reasons=(f"own backlog {wait:.0f} s of work per agent: stops lending agents",),
            )
        else:
            self._refeed.add(team_id)
            self._say(
                DK.TEAM_HEALTHY,
                t,
                team_id=team_id,
                reasons=(
                    f"own backlog {wait:.0f} s of work per agent, under "
                    f"{self.workflow.resume_lending_wait_seconds:g} s for "
                    f"{self.workflow.resume_lending_after_seconds:g} s: lends agents again",
                ),
            )
        return after

    def _note_health(self, team_id: str, t: float) -> None:
        """A team that does not lend: start (or stop) the clock of its calm spell."""
        if self.backlog_wait(team_id) > self.workflow.resume_lending_wait_seconds:
            self._healthy_since.pop(team_id, None)
        elif self.workflow.resume_lending_after_seconds <= 0:
            self._recheck.add(team_id)  # calm is enough: lend again at the end of this call
        elif team_id not in self._healthy_since:
            self._healthy_since[team_id] = t
            self._timers.at(
                t + self.workflow.resume_lending_after_seconds, TK.LENDING_CHECK, team_id
            )

    def _health_moved(self, team_id: str) -> None:
        """The team's backlog or staff changed. A team that lends is checked when asked (it stops
        at once then); one that does not starts or ends its calm spell now, so that it lends
        again on time even if nobody asks."""
        if not self._lending.get(team_id, True):
            self._note_health(team_id, self._now)

    def _release(
        self, state: AgentState, cls: CapacityClass, t: float, finished: bool = True
    ) -> None:
        state.drop_load(cls)
        if finished:
            state.free_since = t
        if state.total == 0:
            state.busy_until = t
        self._refresh(state)

    def _finished(self, contact_id: str, final: RouteState, t: float) -> None:
        self.closed[contact_id] = final
        note(self._closed_order, t, contact_id)

    def _forget_old(self, t: float) -> None:
        """Forget what can no longer matter, so a router that runs for weeks keeps a bounded
        state: finished contacts after a day (a late call about one is then refused as unknown
        rather than as finished: the services layer knows it is closed), who last helped a
        customer once the continuity window has passed, and an abandon once its customer can no
        longer get their place back. Checked once a minute of engine time."""
        self._next_forget = t + FORGET_EVERY_SECONDS
        (times, ids), closed = self._closed_order, self.closed
        while times and times[0] < t - CLOSED_KEPT_SECONDS:
            times.popleft()
            closed.pop(ids.popleft(), None)
        forget_past(
            self._helped_order,
            self._last_helped,
            t - self.workflow.continuity_window_hours * 3600,
        )
        forget_past(
            self._abandoned_order, self._abandoned, t - self.workflow.abandon_return_seconds
        )

    def _contact(self, contact_id: str) -> RoutedContact:
        contact = self.contacts.get(contact_id)
        if contact is None:
            if contact_id in self.closed:
                raise InvalidTransition("contact", self.closed[contact_id].value, "changed")
            raise NotFound(f"contact {contact_id!r} is not known to the router")
        return contact

    def _team_open(self, team: Team, segment: str, t: float) -> bool:
        """Whether the team serves this segment at `t`. Hours are set in whole minutes, so the
        answer is kept for the minute (building zone-aware datetimes on every call is slow)."""
        minute = int(t // 60)
        key = (self._hours_group[team.id], segment)
        known = self._open_at.get(key)
        if known is not None and known[0] == minute:
            return known[1]
        is_open = team.hours.is_open(dt(t), self._zones[team.id], segment)
        self._open_at[key] = (minute, is_open)
        return is_open

    def _agent(self, agent_id: str) -> AgentState:
        state = self.agents.get(agent_id)
        if state is None:
            raise NotFound(f"agent {agent_id!r} is not known to the router")
        return state

    def _say(
        self,
        kind: DecisionKind,
        t: float,
        contact: RoutedContact | None = None,
        agent: AgentState | None = None,
        step: str | None = None,
        team_id: str | None = None,
        reasons: tuple[str, ...] = (),
    ) -> None:
        now_t, now_at = self._now_at
        # built as the tuple it is: the named tuple's own constructor is one more Python call
        self._out.append(
            _new_decision(
                Decision,
                (
                    kind,
                    now_at if t == now_t else dt(t),
                    contact.id if contact else None,
                    agent.id if agent else (contact.agent_id if contact else None),
                    team_id
                    or (
                        contact.home_team_id
                        if contact
                        else (agent.agent.team_id if agent else None)
                    ),
                    step,
                    reasons,
                ),
            )
        )
