"""The digital twin's event loop: a scenario played through the real `RoutingEngine`.

This module owns the simulation clock and the event heap, and nothing of routing: every routing
choice is the engine's, reached only through its public calls (`submit`, `set_activity`,
`accept`, `complete`, `abandon`, `advance`). The clock is float seconds from the scenario's
start; instants become aware datetimes only at the engine boundary.

Events are (time, sequence, kind, contact or agent, n) on one heap; the sequence makes equal
times pop in the order they were pushed, so a seed gives the same run every time. Kinds:
arrivals (one pending per arrival stream), accepts (after the scenario's accept delay; with no
delay an offer is accepted inside the call that made it), completions, abandonments (patience
ran out while the contact was not yet with an agent), shift starts and ends, and engine ticks.

Engine ticks, exactly and cheaply: the engine acts on its own timers only when called, so a
timer that can produce an offer must be met by a call at its due time, or the offer would come
late. The engine has no public "next timer" accessor; the driver knows from the workflow (public
data) every timer that can decide something in its runs: a contact's next ring opens
`after_seconds` after it arrived; a wrap-up ends `wrap_up_seconds` after a call; a returning
customer held for their last agent goes to the team `continuity_max_hold_seconds x (1 - age /
continuity window)` after arriving (age: since their last contact was completed); a team that
stopped lending (`team_unhealthy`) may lend again `resume_lending_after_seconds` after a call
that left it calm (public `backlog_wait` under the resume bound: the engine starts that dwell inside
such a call). Each gets `advance` 2 us past the due time (the engine's clock is in whole
microseconds); a ring tick only while the contact waits. Other timers decide nothing here:
offers are accepted before they time out (the scenario checks the accept delay), a returning
customer has no other contact open (no links), nothing is scheduled, "aged" timers only reorder
a queue. `SimResult.late_decisions` counts decisions dated over a millisecond before the call
that returned them: the proof that no timer was missed (it stays 0; the tests check it).
Returning customers (`customers.py`) keep their customer id: the engine's continuity decides.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from teamline.domain.enums import CapacityClass, Channel
from teamline.domain.organisation import DEFAULT_CAPACITY, Agent
from teamline.routing.engine import RoutingEngine
from teamline.routing.model import Activity, ContactRequest, Decision, DecisionKind
from teamline.routing.workflow import RingKind
from teamline.sim.customers import Back, Customers
from teamline.sim.model import Scenario
from teamline.sim.result import SimResult
from teamline.sim.sampling import Draws, HandleSampler, PatienceSampler, RateFunction

__all__ = ["TICK_EPS", "Progress", "SimResult", "Simulation", "simulate"]

TICK_EPS = 2e-6  # an engine tick comes this long after the timer it is for
LATE_TOLERANCE = timedelta(milliseconds=1)
PROGRESS_EVERY = 4096  # events between two progress reports
Progress = Callable[[float], None]  # told the share of the run done, 0 to 1

_ARRIVE, _ACCEPT, _COMPLETE, _ABANDON, _RING, _TICK, _SHIFT_ON, _SHIFT_OFF = range(8)  # events
_WAITING, _OFFERED, _ASSIGNED, _DONE = range(4)  # a contact as the driver sees it

_K = DecisionKind
_OFFERED_K, _ASSIGNED_K, _COMPLETED_K = _K.OFFERED, _K.ASSIGNED, _K.COMPLETED
_ABANDONED_K, _WRAP_ENDED_K = _K.ABANDONED, _K.WRAP_UP_ENDED
_UNHEALTHY_K, _HEALTHY_K = _K.TEAM_UNHEALTHY, _K.TEAM_HEALTHY


@dataclass(slots=True)
class _Stream:
    team_id: str
    team: int
    channel: Channel
    channel_index: int
    rate: RateFunction
    gaps: Draws
    handle: HandleSampler
    patience: PatienceSampler


class Simulation:
    """One run of a scenario. `run()` once; `engine` stays readable afterwards."""

    def __init__(
        self, scenario: Scenario, rng: np.random.Generator, progress: Progress | None = None
    ) -> None:
        self.scenario = scenario
        self._progress = progress
        workflow = scenario.workflow
        self.team_ids = tuple(s.team.id for s in scenario.teams)
        self._team_index = {tid: i for i, tid in enumerate(self.team_ids)}
        self.channels = tuple(dict.fromkeys(s.channel for s in scenario.arrivals))
        agents: list[Agent] = []
        self._agent_team: dict[str, int] = {}
        self._shifts: list[tuple[float, float, str]] = []
        for setup in scenario.teams:
            for agent_id, shift in setup.rosters():
                agents.append(Agent(agent_id, setup.team.id, "Agent", agent_id))
                self._agent_team[agent_id] = self._team_index[setup.team.id]
                self._shifts.append((shift.start_seconds, shift.end_seconds, agent_id))
        self.engine = RoutingEngine(
            workflow,
            [s.team for s in scenario.teams],
            agents,
            forecast_per_hour=scenario.forecast_per_hour,
        )
        streams = rng.spawn(3 * len(scenario.arrivals))
        self._streams: list[_Stream] = []
        for k, stream in enumerate(scenario.arrivals):
            channel_setup = scenario.channels[stream.channel]
            self._streams.append(
                _Stream(
                    stream.team_id,
                    self._team_index[stream.team_id],
                    stream.channel,
                    self.channels.index(stream.channel),
                    RateFunction.of(stream.profile, scenario.team(stream.team_id), scenario.surges),
                    Draws(streams[3 * k]),
                    HandleSampler(channel_setup.handle, Draws(streams[3 * k + 1])),
                    PatienceSampler(channel_setup.patience_seconds, Draws(streams[3 * k + 2])),
                )
            )
        # spawned after the others, so a scenario without returning customers draws as before
        self._customers = (
            Customers(
                scenario.returning_share,
                [Draws(g) for g in rng.spawn(len(scenario.arrivals))],
                len(self.team_ids),
            )
            if scenario.returning_share > 0
            else None
        )
        continuity = workflow.ring(RingKind.CONTINUITY) is not None
        self._max_hold = workflow.continuity_max_hold_seconds if continuity else 0.0
        self._window = workflow.continuity_window_hours * 3600
        # a contact's rings opening after it arrived: the ticks it may need
        self._ring_after = sorted(
            {r.after_seconds for r in workflow.rings if r.kind is not RingKind.CONTINUITY} - {0.0}
        )
        self._wrap = workflow.wrap_up_seconds
        self._dwell = workflow.resume_lending_after_seconds
        self._not_lending: set[str] = set()  # teams whose last lending decision was "stop"
        self._checked_at = -1.0  # the last call whose dwell tick is on the heap
        self._delay = scenario.accept_delay_seconds
        # the share of an agent one contact of a class takes (a call: all of them)
        self._share = [
            1.0 / max(DEFAULT_CAPACITY.get(c.capacity_class, 1), 1) for c in self.channels
        ]
        self._voice = [c.capacity_class is CapacityClass.VOICE for c in self.channels]
        self._epoch = scenario.start.timestamp()  # the engine's instant of second 0
        self._heap: list[tuple[float, int, int, int, int]] = []
        self._seq = 0
        self.now = 0.0
        # per contact, by index (the id is "c<index>")
        self._arrival: list[float] = []
        self._home: list[int] = []
        self._chan: list[int] = []
        self._handle: list[float] = []
        self._patience: list[float] = []
        self._queue_wait: list[float] = []
        self._answer_wait: list[float] = []
        self._abandoned: list[bool] = []
        self._agent_team_of: list[int] = []
        self._state: list[int] = []
        self._offered_at: list[float] = []
        self._offers: list[int] = []
        self._agent_of: list[str] = []
        self._customer: list[int] = []
        self._last_agent: list[str] = []  # who completed the customer's previous contact
        self._same_agent: list[bool] = []
        # occupancy intervals
        self._busy: list[tuple[float, float, float, int]] = []
        self._wrap_from: dict[str, float] = {}
        self.engine_calls = 0
        self.late_decisions = 0
        self._counts: Counter[DecisionKind] = Counter()
        self._done = False

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> SimResult:
        if self._done:
            raise RuntimeError("a Simulation runs once")
        self._done = True
        started = time.perf_counter()
        scenario = self.scenario
        for k, (start, end, _agent_id) in enumerate(self._shifts):
            self._push(start, _SHIFT_ON, k)
            if math.isfinite(end):
                self._push(end, _SHIFT_OFF, k)
        horizon = scenario.horizon_seconds if scenario.horizon_seconds is not None else math.inf
        limit = scenario.max_contacts if scenario.max_contacts is not None else math.inf
        pending = 0  # arrival events on the heap
        for k, stream in enumerate(self._streams):
            first = stream.rate.next_arrival(0.0, stream.gaps.exponential())
            if first < horizon:
                self._push(first, _ARRIVE, k)
                pending += 1
        stop_at = math.inf if pending else 0.0
        last_arrival = 0.0
        heap, pop = self._heap, heapq.heappop
        engine, epoch, instant = self.engine, self._epoch, datetime.fromtimestamp
        state, ring_after = self._state, self._ring_after
        progress, events = self._progress, 0
        while heap and heap[0][0] <= stop_at:
            t, _seq, kind, ref, n = pop(heap)
            self.now = t
            if progress is not None:
                events += 1
                if events % PROGRESS_EVERY == 0:
                    progress(min(max(t / horizon, len(state) / limit), 1.0))
            when = instant(epoch + t, UTC)
            if kind == _ARRIVE:
                pending -= 1
                if len(state) < limit:
                    last_arrival = t
                    self._arrive(ref, t, when)
                    stream = self._streams[ref]
                    nxt = stream.rate.next_arrival(t, stream.gaps.exponential())
                    if nxt < horizon and len(state) < limit:
                        self._push(nxt, _ARRIVE, ref)
                        pending += 1
                if not pending:
                    stop_at = last_arrival + scenario.drain_seconds
            elif kind == _COMPLETE:
                self._handle_out(engine.complete(f"c{ref}", when), t, when)
            elif kind == _ABANDON:
                if state[ref] <= _OFFERED:
                    self._handle_out(engine.abandon(f"c{ref}", when), t, when)
            elif kind == _RING:  # offered but not yet accepted: its rings still open
                if state[ref] <= _OFFERED:
                    self._handle_out(engine.advance(when), t, when)
                    if state[ref] <= _OFFERED and n + 1 < len(ring_after):
                        due = self._arrival[ref] + ring_after[n + 1]
                        self._push(due + TICK_EPS, _RING, ref, n + 1)
            elif kind == _TICK:
                self._handle_out(engine.advance(when), t, when)
            elif kind == _ACCEPT:
                if state[ref] == _OFFERED and self._offers[ref] == n:
                    out = engine.accept(f"c{ref}", self._agent_of[ref], when)
                    self._handle_out(out, t, when)
            else:
                agent_id = self._shifts[ref][2]
                activity = Activity.AVAILABLE if kind == _SHIFT_ON else Activity.OFFLINE
                self._handle_out(engine.set_activity(agent_id, activity, when), t, when)
        if progress is not None:
            progress(1.0)
        return self._result(last_arrival, time.perf_counter() - started)

    def _push(self, at: float, kind: int, ref: int, n: int = 0) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (at, self._seq, kind, ref, n))

    def _arrive(self, k: int, t: float, when: datetime) -> None:
        stream = self._streams[k]
        i = len(self._state)
        back: Back | None = None
        if self._customers is not None:
            back = self._customers.arrival(k, stream.team)
        self._customer.append(i if back is None else back.customer)
        self._last_agent.append("" if back is None else back.agent_id)
        self._same_agent.append(False)
        patience = stream.patience()
        self._arrival.append(t)
        self._home.append(stream.team)
        self._chan.append(stream.channel_index)
        self._handle.append(stream.handle())
        self._patience.append(patience)
        self._queue_wait.append(math.nan)
        self._answer_wait.append(math.nan)
        self._abandoned.append(False)
        self._agent_team_of.append(-1)
        self._state.append(_WAITING)
        self._offered_at.append(math.nan)
        self._offers.append(0)
        self._agent_of.append("")
        request = ContactRequest(
            contact_id=f"c{i}",
            customer_id=f"u{self._customer[i]}",
            channel=stream.channel,
            home_team_id=stream.team_id,
        )
        self._handle_out(self.engine.submit(request, when), t, when)
        if self._state[i] <= _OFFERED:
            if patience < math.inf:
                self._push(t + patience, _ABANDON, i)
            if self._ring_after:
                self._push(t + self._ring_after[0] + TICK_EPS, _RING, i, 0)
            if back is not None and self._max_hold > 0:
                hold = self._max_hold * (1 - (t - back.done_at) / self._window)
                if hold > 0:
                    self._push(t + hold + TICK_EPS, _TICK, i)

    # -- what the engine decided ---------------------------------------------------------------

    def _handle_out(self, out: list[Decision], t: float, when: datetime) -> None:
        self.engine_calls += 1
        if out and out[0].at != when and when - out[0].at > LATE_TOLERANCE:
            self.late_decisions += sum(1 for d in out if when - d.at > LATE_TOLERANCE)
        counts, state, offers, push = self._counts, self._state, self._offers, self._push
        for d in out:
            kind = d.kind
            counts[kind] += 1
            if kind is _OFFERED_K:
                i = int(d.contact_id[1:])  # type: ignore[index]
                if offers[i] == 0 and state[i] == _WAITING:
                    self._queue_wait[i] = t - self._arrival[i]
                state[i] = _OFFERED
                offers[i] += 1
                self._offered_at[i] = t
                agent_id = self._agent_of[i] = d.agent_id or ""
                if self._delay > 0:
                    push(t + self._delay, _ACCEPT, i, offers[i])
                else:
                    self._handle_out(self.engine.accept(f"c{i}", agent_id, when), t, when)
            elif kind is _ASSIGNED_K:
                i = int(d.contact_id[1:])  # type: ignore[index]
                state[i] = _ASSIGNED
                self._answer_wait[i] = t - self._arrival[i]
                self._agent_team_of[i] = self._agent_team[d.agent_id or ""]
                self._same_agent[i] = d.agent_id == self._last_agent[i]
                push(t + self._handle[i], _COMPLETE, i)
            elif kind is _COMPLETED_K:
                i = int(d.contact_id[1:])  # type: ignore[index]
                state[i] = _DONE
                c = self._chan[i]
                agent_id = d.agent_id or ""
                team = self._agent_team[agent_id]
                self._busy.append((self._offered_at[i], t, self._share[c], team))
                if self._customers is not None:
                    self._customers.completed(self._customer[i], self._home[i], agent_id, t)
                if self._wrap > 0 and self._voice[c]:
                    self._wrap_from[agent_id] = t
                    push(t + self._wrap + TICK_EPS, _TICK, 0)
            elif kind is _WRAP_ENDED_K:
                agent_id = d.agent_id or ""
                since = self._wrap_from.pop(agent_id, None)
                if since is not None:
                    self._busy.append((since, t, 1.0, self._agent_team[agent_id]))
            elif kind is _UNHEALTHY_K:
                self._not_lending.add(d.team_id or "")
            elif kind is _HEALTHY_K:
                self._not_lending.discard(d.team_id or "")
            elif kind is _ABANDONED_K:
                i = int(d.contact_id[1:])  # type: ignore[index]
                if state[i] == _OFFERED:  # hung up while it rang: the agent was held till now
                    team = self._agent_team[self._agent_of[i]]
                    self._busy.append((self._offered_at[i], t, self._share[self._chan[i]], team))
                if offers[i] == 0:
                    self._queue_wait[i] = t - self._arrival[i]
                state[i] = _DONE
                self._abandoned[i] = True
        if self._not_lending and t != self._checked_at and self._dwell > 0:
            calm = self.scenario.workflow.resume_lending_wait_seconds
            if any(self.engine.backlog_wait(x) <= calm for x in self._not_lending):
                self._checked_at = t  # a calm spell of a team that does not lend may start now
                push(t + self._dwell + TICK_EPS, _TICK, 0)

    def _result(self, last_arrival: float, wall: float) -> SimResult:
        staffed = [
            (start, end, self._agent_team[agent_id]) for start, end, agent_id in self._shifts
        ]
        busy = np.array(self._busy, dtype=float).reshape(-1, 4)
        return SimResult(
            scenario=self.scenario,
            team_ids=self.team_ids,
            channels=self.channels,
            arrival=np.array(self._arrival, dtype=float),
            team=np.array(self._home, dtype=np.int64),
            channel=np.array(self._chan, dtype=np.int64),
            handle=np.array(self._handle, dtype=float),
            patience=np.array(self._patience, dtype=float),
            queue_wait=np.array(self._queue_wait, dtype=float),
            answer_wait=np.array(self._answer_wait, dtype=float),
            abandoned=np.array(self._abandoned, dtype=bool),
            agent_team=np.array(self._agent_team_of, dtype=np.int64),
            busy=busy,
            staffed=np.array(staffed, dtype=float).reshape(-1, 3),
            last_arrival=last_arrival,
            end=self.now,
            engine_calls=self.engine_calls,
            late_decisions=self.late_decisions,
            decisions={k.value: v for k, v in sorted(self._counts.items())},
            returning=np.array([a != "" for a in self._last_agent], dtype=bool),
            same_agent=np.array(self._same_agent, dtype=bool),
            wall_seconds=wall,
        )


def simulate(
    scenario: Scenario, rng: np.random.Generator, progress: Progress | None = None
) -> SimResult:
    """Run a scenario through the routing engine; the same seed gives the same result.

    `progress`, if given, is told now and then how much of the run is done (for a progress
    bar); a library caller leaves it out and the run stays quiet.
    """
    return Simulation(scenario, rng, progress).run()
