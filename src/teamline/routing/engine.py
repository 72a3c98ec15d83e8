"""The routing engine: every customer reaches their own team first, without drowning it.

Pure and deterministic (ARCHITECTURE.md): state changes only through the methods below, each
taking `now`; each returns the decisions it made, with reasons. The same calls give the same
decisions. How a contact widens its reach over time is the workflow (`workflow.py`); who may
take what is capacity (`agents.py`); the order of waiting contacts is `queues.py`.

    submit -> [continuity offer | continuity hold] -> rings open as it waits -> offered
           -> accepted (assigned) -> completed            rejected / timed out -> queued again
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from teamline.domain.enums import AgentLevel
from teamline.domain.errors import Conflict, InvalidInput, InvalidTransition
from teamline.routing.agents import ASYNC, REGIONAL, VOICE
from teamline.routing.core import dt, note, open_key, ts
from teamline.routing.estimate import WaitEstimate, estimate_wait
from teamline.routing.model import (
    ACT,
    CK,
    DK,
    RS,
    Activity,
    ContactRequest,
    Decision,
    RouteState,
)
from teamline.routing.queues import RoutedContact
from teamline.routing.rings import Rings
from teamline.routing.timers import TK, TimerKind

# contacts the agent dials once they accept
DIALLED = frozenset((CK.CALLBACK, CK.SCHEDULED))


class RoutingEngine(Rings):
    def submit(self, request: ContactRequest, now: datetime) -> list[Decision]:
        t = self._begin(now)
        if request.contact_id in self.contacts or request.contact_id in self.closed:
            raise Conflict(f"contact {request.contact_id} was submitted already")
        if not 0 <= request.tier <= 5:
            raise InvalidInput("tier", "a value tier is 0 to 5")
        if request.home_team_id is not None and request.home_team_id not in self.teams:
            raise InvalidInput("home_team_id", f"no team {request.home_team_id!r}")
        self._seq += 1
        virtual = ts(request.virtual_start) if request.virtual_start else t
        contact = RoutedContact(request, self._seq, t, virtual, 0.0, RS.NEW)
        self.contacts[contact.id] = contact
        due = ts(request.scheduled_for) if request.scheduled_for else t
        if request.kind is CK.SCHEDULED and due > t:
            return self._wait_for_time(contact, due, t)
        reasons: list[str] = []
        primary = self._open_of_customer.get(open_key(request.customer_id, True))
        if contact.cls is ASYNC and primary not in self.contacts:
            primary = self._open_of_customer.get(open_key(request.customer_id, False))
        # a live call or chat links to the customer's live contact, never to a waiting message
        if primary is not None and primary in self.contacts:
            contact.state = RS.LINKED
            contact.linked_to = primary
            self._say(
                DK.LINKED,
                t,
                contact,
                reasons=(
                    f"customer {request.customer_id} already has contact {primary} open: "
                    "linked to it, not routed twice",
                ),
            )
            del self.contacts[contact.id]
            self._finished(contact.id, RS.LINKED, t)
            return self._end()
        self._open_of_customer[open_key(request.customer_id, contact.cls)] = contact.id
        back = self._abandoned.pop(request.customer_id, None)
        if back and t - back[1] <= self.workflow.abandon_return_seconds:
            contact.virtual_start = min(contact.virtual_start, back[0])
            self._say(
                DK.PLACE_RESTORED,
                t,
                contact,
                reasons=(
                    f"the customer left {t - back[1]:.0f} s ago: their place in line is kept",
                ),
            )
        contact.key = self._key(contact)
        contact.home_team_id, why = self._first_team(request, t)
        reasons.append(why)
        if contact.home_team_id and self.teams[contact.home_team_id].kind is REGIONAL:
            self._record_arrival(contact.home_team_id, t)
        # its ageing timer is set only if it ever waits in a queue (`_arm_ageing`): most
        # contacts are offered at once and never need one
        contact.aged_due = contact.virtual_start + self.workflow.max_wait_seconds
        self._start(contact, t, reasons)
        return self._end()

    def _wait_for_time(self, contact: RoutedContact, due: float, t: float) -> list[Decision]:
        """A scheduled call before its time: it neither links to the customer's open contact
        nor makes their calls meanwhile link to it (a customer who booked tomorrow's call still
        gets through today); where it goes is decided when it is due, by that hour's rules."""
        contact.virtual_start, contact.key = due, due - self._credit(contact.request.tier)
        contact.home_team_id = contact.request.home_team_id  # until it is due
        self._timers.at(due, TK.SCHEDULED_DUE, contact.id)
        contact.aged_due = due + self.workflow.max_wait_seconds
        contact.ageing_armed = True
        self._timers.at(contact.aged_due, TK.AGED, contact.id)
        self._say(
            DK.QUEUED,
            t,
            contact,
            reasons=(f"scheduled call: waits until {dt(due).isoformat()}",),
        )
        return self._end()

    def resume(
        self, request: ContactRequest, agent_id: str, assigned_at: datetime, now: datetime
    ) -> list[Decision]:
        """After a restart: a contact that was already with an agent stays with them."""
        self._begin(now)
        if request.contact_id in self.contacts:
            raise Conflict(f"contact {request.contact_id} was submitted already")
        state = self._agent(agent_id)
        self._seq += 1
        virtual = ts(request.virtual_start) if request.virtual_start else ts(assigned_at)
        contact = RoutedContact(request, self._seq, virtual, virtual, 0.0, RS.ASSIGNED)
        contact.key = self._key(contact)
        contact.agent_id = agent_id
        contact.assigned_at = ts(assigned_at)
        contact.home_team_id = request.home_team_id
        contact.ageing_armed = True  # with an agent already: it does not age
        self.contacts[contact.id] = contact
        self._open_of_customer[open_key(request.customer_id, contact.cls)] = contact.id
        cls = request.capacity_class
        state.add_load(cls)
        state.busy_until = contact.assigned_at + self._handle_time(state.agent.team_id, cls)
        self._refresh(state)
        return self._end()

    def set_activity(self, agent_id: str, activity: Activity, now: datetime) -> list[Decision]:
        t = self._begin(now)
        state = self._agent(agent_id)
        self._change_activity(state, activity, t)
        if activity is ACT.AVAILABLE:
            state.missed_offers = 0
            self._feed(state, t)
        return self._end()

    def accept(self, contact_id: str, agent_id: str, now: datetime) -> list[Decision]:
        t = self._begin(now)
        contact = self._contact(contact_id)
        if contact.state is not RS.OFFERED or contact.agent_id != agent_id:
            raise InvalidTransition("offer", contact.state.value, "assigned")
        state = self.agents[agent_id]
        state.offers.discard(contact_id)
        state.missed_offers = 0
        self._become(contact, RS.ASSIGNED)
        contact.assigned_at = t
        contact.version += 1
        cls = contact.cls
        state.busy_until = max(state.busy_until, t + self._handle_time(state.agent.team_id, cls))
        self._say(DK.ASSIGNED, t, contact, state, reasons=("the agent accepted",))
        if contact.request.kind in DIALLED:
            self._say(
                DK.DIAL_CALLBACK,
                t,
                contact,
                state,
                reasons=(
                    "callback reached the front of the line: dial the customer now"
                    if contact.request.kind is CK.CALLBACK
                    else "the scheduled call is due: dial the customer now",
                ),
            )
        return self._end()

    def reject(self, contact_id: str, agent_id: str, now: datetime) -> list[Decision]:
        t = self._begin(now)
        contact = self._contact(contact_id)
        if contact.state is not RS.OFFERED or contact.agent_id != agent_id:
            raise InvalidTransition("offer", contact.state.value, "rejected")
        state = self.agents[agent_id]
        self._withdraw_offer(contact, state, t)
        self._say(
            DK.OFFER_REJECTED,
            t,
            contact,
            state,
            reasons=("the agent declined; the contact keeps its place",),
        )
        self._match_contact(contact, t)
        self._feed(state, t)
        return self._end()

    def complete(self, contact_id: str, now: datetime) -> list[Decision]:
        t = self._begin(now)
        contact = self._contact(contact_id)
        if contact.state is not RS.ASSIGNED:
            raise InvalidTransition("contact", contact.state.value, "completed")
        state = self.agents[contact.agent_id or ""]
        cls = contact.cls
        self._learn_handle_time(state.agent.team_id, cls, t - contact.assigned_at)
        self._close(contact, RS.COMPLETED, t)
        customer = contact.request.customer_id
        self._last_helped[customer] = (state.id, t)
        note(self._helped_order, t, customer)
        wrap = self.workflow.wrap_up_seconds > 0 and cls is VOICE
        if wrap and state.activity is ACT.AVAILABLE:
            # into wrap-up before the load drops, so the index is not filled for nothing
            self._change_activity(state, ACT.WRAP_UP, t)
            state.wrap_version += 1
            self._timers.at(
                t + self.workflow.wrap_up_seconds,
                TK.WRAP_UP_ENDS,
                state.id,
                state.wrap_version,
            )
        self._release(state, cls, t)
        self._say(DK.COMPLETED, t, contact, state)
        self._feed(state, t)
        return self._end()

    def transfer(
        self,
        contact_id: str,
        now: datetime,
        to_team_id: str | None = None,
        level: AgentLevel | None = None,
    ) -> list[Decision]:
        """Hand an assigned contact to another team or level; it keeps its place in line."""
        t = self._begin(now)
        contact = self._contact(contact_id)
        if contact.state is not RS.ASSIGNED:
            raise InvalidTransition("contact", contact.state.value, "transferred")
        if to_team_id is not None and to_team_id not in self.teams:
            raise InvalidInput("to_team_id", f"no team {to_team_id!r}")
        state = self.agents[contact.agent_id or ""]
        self._release(state, contact.cls, t)
        contact.request = replace(
            contact.request,
            home_team_id=to_team_id or contact.request.home_team_id,
            level=level or contact.request.level,
            last_agent_id=None,
        )
        contact.agent_id = None
        contact.pools = []
        contact.rings_open = 0
        contact.refused_by = {state.id}
        contact.version += 1
        self._arm_ageing_of_assigned(contact, t)
        contact.state = RS.NEW  # not queued until _start, so the counts stay right
        contact.home_team_id, why = self._first_team(contact.request, t)
        self._say(DK.TRANSFERRED, t, contact, state, reasons=(why,))
        self._start(contact, t, [why], continuity=False)
        self._feed(state, t)
        return self._end()

    def abandon(self, contact_id: str, now: datetime) -> list[Decision]:
        """The customer gave up (hung up, closed the chat) before reaching anyone."""
        t = self._begin(now)
        contact = self._contact(contact_id)
        self._leave(contact, RS.ABANDONED, t)
        customer = contact.request.customer_id
        self._abandoned[customer] = (contact.virtual_start, t)
        note(self._abandoned_order, t, customer)
        return self._end()

    def cancel(self, contact_id: str, now: datetime) -> list[Decision]:
        t = self._begin(now)
        self._leave(self._contact(contact_id), RS.CANCELLED, t)
        return self._end()

    def advance(self, now: datetime) -> list[Decision]:
        self._begin(now)
        return self._end()

    def estimate(self, contact_id: str, now: datetime) -> WaitEstimate:
        """The contact's estimated wait from `now`, its band, position, and whether to offer a
        callback instead of holding (reads only: no decision is made)."""
        return estimate_wait(self, contact_id, now)

    def latest(self, now: datetime) -> datetime:
        """`now`, or the engine's own clock if that is later: callers on several threads read
        the wall clock before they queue for the engine, so their instants may cross."""
        return now if ts(now) >= self._now else dt(self._now)

    def state_of(self, contact_id: str) -> RouteState:
        if contact_id in self.closed:
            return self.closed[contact_id]
        return self._contact(contact_id).state

    def agent_of(self, contact_id: str) -> str | None:
        """The agent a contact is offered or assigned to (None once it is finished)."""
        if contact_id in self.closed:
            return None
        return self._contact(contact_id).agent_id

    def surging(self) -> frozenset[str]:
        return frozenset(self._surge.surging)

    def lending(self, team_id: str) -> bool:
        """Whether the team would lend agents now (reads only; the flag moves during calls)."""
        return self._lending_after(team_id, self._now)

    def _begin(self, now: datetime) -> float:
        t = ts(now)
        if t < self._now:
            raise InvalidInput("now", "time does not go backwards in the engine")
        # decisions made at `t` carry the caller's own instant when it is already in UTC
        self._now_at = (t, now if now.tzinfo is UTC else dt(t))
        # `_out` is emptied only by `_end`: if this call is refused after its timers fired,
        # their decisions are not lost but returned by the next call that succeeds
        timers = self._timers
        while t >= timers.next_due:
            due, _seq, kind, ref, version = timers.pop()
            self._now = max(self._now, due)
            self._fire(kind, ref, version, due)
        if t >= self._surge.next_check:
            for team_id in self._surge.expire(t):
                self._say(
                    DK.SURGE_ENDED,
                    t,
                    team_id=team_id,
                    reasons=("arrivals are back near the forecast",),
                )
        self._now = t
        if t >= self._next_forget:
            self._forget_old(t)
        return t

    def _end(self) -> list[Decision]:
        if self._recheck:
            for team_id in sorted(self._recheck):
                self._lending_allowed(team_id, self._now)
            self._recheck.clear()
        while self._refeed:  # teams that started lending again: their free agents take work
            team_id = min(self._refeed)
            self._refeed.discard(team_id)
            for state in self._team_agents.get(team_id, []):
                self._feed(state, self._now)
        out, self._out = self._out, []
        return out

    def _fire(self, kind: TimerKind, ref: str, version: int, due: float) -> None:
        if kind is TK.WRAP_UP_ENDS:
            state = self.agents[ref]
            if state.wrap_version == version and state.activity is ACT.WRAP_UP:
                self.timer_events += 1
                self._change_activity(state, ACT.AVAILABLE, due)
                self._say(DK.WRAP_UP_ENDED, due, agent=state)
                self._feed(state, due)
            return
        if kind is TK.LENDING_CHECK:
            self.timer_events += 1
            self._lending_allowed(ref, due)
            return
        contact = self.contacts.get(ref)
        if contact is None:
            return  # finished since the timer was set
        if kind is TK.OFFER_TIMEOUT:
            if contact.state is RS.OFFERED and contact.version == version:
                self.timer_events += 1
                self._offer_timed_out(contact, due)
        elif kind is TK.RING_OPENS:
            if contact.state in (RS.QUEUED, RS.OFFERED):
                self.timer_events += 1
                self._open_and_match(contact, due)
        elif kind is TK.HOLD_ENDS and contact.plan is None:
            self.timer_events += 1
            if contact.state is RS.OFFERED:
                self._start_rings(contact, due)  # ready in case the held agent declines
            elif contact.state is RS.QUEUED:
                self._say(
                    DK.STEP,
                    due,
                    contact,
                    step="home_team",
                    reasons=(
                        f"agent {contact.hold_agent_id} was not free in time: the team takes it",
                    ),
                )
                self._start_rings(contact, due)
        elif kind is TK.AGED:
            if contact.state in (RS.QUEUED, RS.OFFERED) and not contact.aged:
                self._age(contact)
                if contact.state is RS.QUEUED:
                    contact.version += 1
                    self._queues.relist(contact)
        elif kind is TK.SCHEDULED_DUE and contact.state is RS.NEW:
            self.timer_events += 1
            customer = contact.request.customer_id
            self._open_of_customer.setdefault(open_key(customer, contact.cls), contact.id)
            contact.home_team_id, why = self._first_team(contact.request, due)
            self._start(contact, due, ["scheduled call is due", why], continuity=True)
