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
late. The engine has no public "next timer" accessor; instead the driver knows from the workflow
(public data) every timer that can produce a decision in the runs it makes: a contact's next
ring opens `after_seconds` after it arrived, and a call's wrap-up ends `wrap_up_seconds` after
it completed. Only those get a tick, `advance` at 2 us past the due time (the engine's clock is
a datetime, in whole microseconds), and only while still useful (a ring tick for a contact already
with an agent is dropped). The other timers cannot decide anything in these runs: offers are
always accepted before they time out (the scenario checks the accept delay), customers are
distinct (no continuity holds, no linked contacts), nothing is scheduled, and "aged" timers
only reorder a queue, which the next call sees anyway. `SimResult.late_decisions` counts
decisions dated more than a millisecond before the call that returned them: the proof that no
timer was missed (it stays 0; the tests check it).
"""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from teamline.domain.enums import CapacityClass, Channel
from teamline.domain.organisation import DEFAULT_CAPACITY, Agent
from teamline.routing.engine import RoutingEngine
from teamline.routing.model import Activity, ContactRequest, Decision, DecisionKind
from teamline.routing.workflow import RingKind
from teamline.sim.model import Scenario
from teamline.sim.sampling import Draws, HandleSampler, PatienceSampler, RateFunction

TICK_EPS = 2e-6  # an engine tick comes this long after the timer it is for
LATE_TOLERANCE = timedelta(milliseconds=1)

# event kinds
_ARRIVE, _ACCEPT, _COMPLETE, _ABANDON, _RING, _WRAP, _SHIFT_ON, _SHIFT_OFF = range(8)
# a contact as the driver sees it
_WAITING, _OFFERED, _ASSIGNED, _DONE = range(4)

_OFFERED_K = DecisionKind.OFFERED
_ASSIGNED_K = DecisionKind.ASSIGNED
_COMPLETED_K = DecisionKind.COMPLETED
_ABANDONED_K = DecisionKind.ABANDONED
_WRAP_ENDED_K = DecisionKind.WRAP_UP_ENDED


@dataclass(frozen=True, slots=True, eq=False)  # arrays: compare the fields, not the results
class SimResult:
    """What happened, per contact (in arrival order) and per agent-time interval.

    Waits are seconds from arrival: `queue_wait` until the first offer (or the abandonment, if
    never offered), `answer_wait` until an agent accepted (NaN if not answered). A contact
    neither answered nor abandoned when the run stopped has NaN in both.
    """

    scenario: Scenario
    team_ids: tuple[str, ...]
    channels: tuple[Channel, ...]
    arrival: np.ndarray
    team: np.ndarray  # index into team_ids: the customer's home team
    channel: np.ndarray  # index into channels
    handle: np.ndarray  # the drawn handle time
    patience: np.ndarray  # the drawn patience (inf: never leaves)
    queue_wait: np.ndarray
    answer_wait: np.ndarray
    abandoned: np.ndarray
    agent_team: np.ndarray  # index of the answering agent's team, -1 if not answered
    busy: np.ndarray  # rows (start, end, share of the agent, agent's team index)
    staffed: np.ndarray  # rows (start, end, team index): agents logged in
    last_arrival: float
    end: float  # the clock when the run stopped
    engine_calls: int
    late_decisions: int
    decisions: dict[str, int]
    wall_seconds: float


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

    def __init__(self, scenario: Scenario, rng: np.random.Generator) -> None:
        self.scenario = scenario
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
        # a contact's rings opening after it arrived: the ticks it may need
        self._ring_after = sorted(
            {r.after_seconds for r in workflow.rings if r.kind is not RingKind.CONTINUITY} - {0.0}
        )
        self._wrap = workflow.wrap_up_seconds
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
        while heap and heap[0][0] <= stop_at:
            t, _seq, kind, ref, n = pop(heap)
            self.now = t
            when = instant(epoch + t, UTC)
            if kind == _ARRIVE:
                pending -= 1
                if len(state) < limit:
                    last_arrival = t
                    self._arrive(self._streams[ref], t, when)
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
            elif kind == _WRAP:
                self._handle_out(engine.advance(when), t, when)
            elif kind == _ACCEPT:
                if state[ref] == _OFFERED and self._offers[ref] == n:
                    out = engine.accept(f"c{ref}", self._agent_of[ref], when)
                    self._handle_out(out, t, when)
            else:
                agent_id = self._shifts[ref][2]
                activity = Activity.AVAILABLE if kind == _SHIFT_ON else Activity.OFFLINE
                self._handle_out(engine.set_activity(agent_id, activity, when), t, when)
        return self._result(last_arrival, time.perf_counter() - started)

    def _push(self, at: float, kind: int, ref: int, n: int = 0) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (at, self._seq, kind, ref, n))

    def _arrive(self, stream: _Stream, t: float, when: datetime) -> None:
        i = len(self._state)
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
            customer_id=f"u{i}",
            channel=stream.channel,
            home_team_id=stream.team_id,
        )
        self._handle_out(self.engine.submit(request, when), t, when)
        if self._state[i] <= _OFFERED:
            if patience < math.inf:
                self._push(t + patience, _ABANDON, i)
            if self._ring_after:
                self._push(t + self._ring_after[0] + TICK_EPS, _RING, i, 0)

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
                push(t + self._handle[i], _COMPLETE, i)
            elif kind is _COMPLETED_K:
                i = int(d.contact_id[1:])  # type: ignore[index]
                state[i] = _DONE
                c = self._chan[i]
                agent_id = d.agent_id or ""
                team = self._agent_team[agent_id]
                self._busy.append((self._offered_at[i], t, self._share[c], team))
                if self._wrap > 0 and self._voice[c]:
                    self._wrap_from[agent_id] = t
                    push(t + self._wrap + TICK_EPS, _WRAP, 0)
            elif kind is _WRAP_ENDED_K:
                agent_id = d.agent_id or ""
                since = self._wrap_from.pop(agent_id, None)
                if since is not None:
                    self._busy.append((since, t, 1.0, self._agent_team[agent_id]))
            elif kind is _ABANDONED_K:
                i = int(d.contact_id[1:])  # type: ignore[index]
                if state[i] == _OFFERED:  # hung up while it rang: the agent was held till now
                    team = self._agent_team[self._agent_of[i]]
                    self._busy.append((self._offered_at[i], t, self._share[self._chan[i]], team))
                if offers[i] == 0:
                    self._queue_wait[i] = t - self._arrival[i]
                state[i] = _DONE
                self._abandoned[i] = True

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
            wall_seconds=wall,
        )


def simulate(scenario: Scenario, rng: np.random.Generator) -> SimResult:
    """Run a scenario through the routing engine; the same seed gives the same result."""
    return Simulation(scenario, rng).run()
