"""Rings: where a contact goes first and how its reach widens as it waits (issue 3).

First team: a special team for escalations and other levels; the national pool for opted-out
customers and after the home team's hours; otherwise the home team. Before the rings, the agent
who last helped the customer gets the contact if free, or keeps it briefly if predicted free
sooner than the wait elsewhere. A surge opens the borrowing rings at once.
"""

from __future__ import annotations

from functools import cached_property

from teamline.domain.enums import AgentLevel
from teamline.routing.agents import REGIONAL
from teamline.routing.core import SPECIAL_TEAM_OF_LEVEL, ts
from teamline.routing.matching import Matcher
from teamline.routing.model import (
    ACT,
    DK,
    RS,
    ContactRequest,
)
from teamline.routing.queues import (
    ALL_TEAMS_POOL,
    Plan,
    PoolKey,
    RoutedContact,
    agent_pool,
    borrow_pool,
    team_pool,
)
from teamline.routing.timers import TK
from teamline.routing.workflow import RingKind


class Rings(Matcher):
    def _first_team(self, request: ContactRequest, t: float) -> tuple[str | None, str]:
        """Where a contact goes first, and why (DOMAIN.md section 1)."""
        if request.level in SPECIAL_TEAM_OF_LEVEL:
            kind = SPECIAL_TEAM_OF_LEVEL[request.level]
            special = sorted(x.id for x in self.teams.values() if x.kind is kind)
            if special:
                return special[0], f"{request.level.value} contact: the {kind.value} team"
        home = self.teams.get(request.home_team_id or "")
        national = self._national[0] if self._national else None
        if request.opted_out:
            return national, "the customer chose traditional service: national pool"
        if home is None:
            return national, "no home team: national pool"
        if not self._team_open(home, request.segment, t):
            return national, f"{home.name} is closed now (its local time): after-hours pool"
        return home.id, self._home_reason[home.id]

    @cached_property
    def _home_reason(self) -> dict[str, str]:
        """Each team's "home team" reason, written once: one per contact otherwise."""
        return {team.id: f"home team {team.name}" for team in self.teams.values()}

    def _start(
        self, contact: RoutedContact, t: float, reasons: list[str], continuity: bool = True
    ) -> None:
        self._become(contact, RS.QUEUED)
        if continuity and self._try_continuity(contact, t, reasons):
            return
        self._say(DK.QUEUED, t, contact, reasons=tuple(reasons))
        self._start_rings(contact, t)

    def _try_continuity(self, contact: RoutedContact, t: float, reasons: list[str]) -> bool:
        """Offer to (or briefly wait for) the agent who last helped this customer."""
        request = contact.request
        preferred = request.preferred_agent_id
        last_id, last_at = preferred, t
        if last_id is None:
            if request.last_agent_id and request.last_agent_at:
                last_id, last_at = request.last_agent_id, ts(request.last_agent_at)
            elif request.customer_id in self._last_helped:
                last_id, last_at = self._last_helped[request.customer_id]
        if last_id is None or last_id not in self.agents or request.opted_out:
            return False
        if preferred is None and not self._has_continuity_ring:
            return False
        window = self.workflow.continuity_window_hours * 3600
        age = t - last_at
        state = self.agents[last_id]
        agent = state.agent
        if (
            age > window
            or request.language not in agent.languages
            or agent.level is not request.level
        ):
            return False
        if agent.team_id != contact.home_team_id and preferred is None:
            return False  # after hours the pool serves: the day agent is gone
        cls = contact.cls
        why = "scheduled with" if preferred else "continuity: last helped by"
        if state.can_take(cls):
            self._say(DK.QUEUED, t, contact, reasons=(*reasons, f"{why} {last_id}"))
            self._offer(contact, state, t, "continuity", (f"{why} {last_id}, who is free",))
            self._start_rings(contact, t)  # should the offer fail, the rings are ready
            return True
        if state.activity is ACT.OFFLINE or state.activity is ACT.BREAK:
            return False
        hold = self.workflow.continuity_max_hold_seconds * (1 - age / window)
        free_in = max(0.0, state.busy_until - t)
        elsewhere = self.team_wait(contact.home_team_id) if contact.home_team_id else 0.0
        if hold <= 0 or free_in >= elsewhere or free_in > hold:
            return False
        contact.hold_agent_id = last_id
        self._arm_ageing(contact, t)
        self._queues.add(contact, (agent_pool(last_id), cls, request.language, agent.level))
        self._timers.at(t + hold, TK.HOLD_ENDS, contact.id)
        self._say(
            DK.QUEUED,
            t,
            contact,
            reasons=(
                *reasons,
                f"{why} {last_id}, predicted free in {free_in:.0f} s, sooner than "
                f"{elsewhere:.0f} s elsewhere: waits up to {hold:.0f} s for them",
            ),
        )
        return True

    def _plan(self, contact: RoutedContact) -> Plan:
        start = contact.virtual_start
        request = contact.request
        team = self.teams.get(contact.home_team_id or "")
        if request.level in SPECIAL_TEAM_OF_LEVEL or team is None or team.kind is not REGIONAL:
            if request.level is AgentLevel.ESCALATION and request.home_team_id:
                supervisors = self.workflow.escalation_to_supervisor_seconds
                return start, ((0.0, "first_team"), (supervisors, "supervisors"))
            return start, ((0.0, "first_team"),)
        if team.id not in self._surge.surging:
            # the workflow's rings are in order of their delays, so these times are too
            return start, self._usual_steps
        return start, self._surge_steps

    @cached_property
    def _surge_steps(self) -> tuple[tuple[float, str], ...]:
        """A surge opens the borrowing rings at the start; in order of the times they open."""
        steps = [(0.0 if lends else after, name) for after, name, lends in self._ring_steps]
        steps.sort(key=lambda step: step[0])  # stable: rings opening together keep their order
        return tuple(steps)

    @cached_property
    def _ring_steps(self) -> list[tuple[float, str, bool]]:
        """The workflow's rings after continuity: (opens after, name, whether it borrows)."""
        return [
            (
                ring.after_seconds,
                ring.kind.value,
                ring.kind in (RingKind.NEIGHBOURS, RingKind.ALL_TEAMS),
            )
            for ring in self.workflow.rings
            if ring.kind is not RingKind.CONTINUITY
        ]

    @cached_property
    def _usual_steps(self) -> tuple[tuple[float, str], ...]:
        return tuple((after, name) for after, name, _lends in self._ring_steps)

    @cached_property
    def _has_continuity_ring(self) -> bool:
        return self.workflow.ring(RingKind.CONTINUITY) is not None

    @cached_property
    def _neighbour_count(self) -> int:
        ring_spec = self.workflow.ring(RingKind.NEIGHBOURS)
        return ring_spec.count if ring_spec else 0

    def _start_rings(self, contact: RoutedContact, t: float) -> None:
        contact.plan = self._plan(contact)
        self._open_and_match(contact, t)

    def _open_and_match(self, contact: RoutedContact, t: float) -> None:
        """Open the rings due by `t` and, if the contact waits, offer it to the best free agent
        of them; only if it still waits is it listed in the new pools (see `ContactQueues.add`)."""
        first = len(contact.pools)
        self._open_rings(contact, t)
        if contact.state is RS.QUEUED:
            self._match_contact(contact, t)
            if contact.state is RS.QUEUED:
                self._arm_ageing(contact, t)
            self._queues.list_from(contact, first)

    def _open_rings(self, contact: RoutedContact, t: float) -> None:
        """Open the rings due by `t`; the caller lists the contact in their pools."""
        assert contact.plan is not None
        start, steps = contact.plan
        while contact.rings_open < len(steps) and start + steps[contact.rings_open][0] <= t:
            _after, ring = steps[contact.rings_open]
            contact.rings_open += 1
            pools = self._ring_pools(contact, ring)
            for pool in pools:
                self._queues.add(contact, pool, listed=False)
            if contact.rings_open > 1:
                self._say(
                    DK.STEP,
                    t,
                    contact,
                    step=ring,
                    reasons=(f"waited {t - contact.virtual_start:.0f} s: {ring} may answer now",),
                )
        if contact.rings_open < len(steps):
            after = steps[contact.rings_open][0]
            # a lane per delay: these come due in the order they are set (timers.py)
            self._timers.at(start + after, TK.RING_OPENS, contact.id, lane=(TK.RING_OPENS, after))

    def _ring_pools(self, contact: RoutedContact, ring: str) -> tuple[PoolKey, ...]:
        """The pools a ring opens for this contact (teams and neighbours are fixed: the answer
        is kept for each kind of contact)."""
        request = contact.request
        key = (
            ring,
            contact.home_team_id,
            request.home_team_id,
            contact.cls,
            request.language,
            request.level,
        )
        pools = self._pools_of.get(key)
        if pools is None:
            pools = self._pools_of[key] = tuple(self._new_ring_pools(contact, ring))
        return pools

    def _new_ring_pools(self, contact: RoutedContact, ring: str) -> list[PoolKey]:
        request = contact.request
        cls, lang, level = contact.cls, request.language, request.level
        home = contact.home_team_id
        if ring in ("first_team", "home_team"):
            return [(team_pool(home), cls, lang, level)] if home else []
        if ring == "supervisors":
            return [(team_pool(request.home_team_id or ""), cls, lang, AgentLevel.SUPERVISOR)]
        if ring == "neighbours":
            neighbours = self.teams[home or ""].neighbours[: self._neighbour_count]
            return [(borrow_pool(n), cls, lang, level) for n in neighbours if n in self.teams]
        if ring == "all_teams":
            return [(ALL_TEAMS_POOL, cls, lang, level)]
        return [(team_pool(n), cls, lang, level) for n in self._national]

    def _record_arrival(self, team_id: str, t: float) -> None:
        change = self._surge.record(team_id, t)
        if change is True:
            self._say(
                DK.SURGE_STARTED,
                t,
                team_id=team_id,
                reasons=(
                    f"{self._surge.arrivals(team_id)} arrivals in "
                    f"{self.workflow.surge_window_seconds:g} s, over "
                    f"{self.workflow.surge_factor:g}x the forecast: overflow widens at once",
                ),
            )
            waiting = [
                c
                for c in self.contacts.values()
                if c.home_team_id == team_id and c.state is RS.QUEUED and c.plan is not None
            ]
            for contact in waiting:  # same ring order; the borrowing rings open now
                contact.plan = self._plan(contact)
                self._open_and_match(contact, t)
        elif change is False:
            self._say(DK.SURGE_ENDED, t, team_id=team_id)
