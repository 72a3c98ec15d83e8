"""Agents as the engine tracks them, and the index of who can take work now.

Capacity (DOMAIN.md section 4 and issue 3): a voice contact takes the whole agent; chats
multitask up to the agent's chat capacity, async messages up to theirs, beside each other but
never beside a call. Among the agents who can take a contact, the one idle longest goes first.

The index keeps one heap per (pool, capacity class, language, level) of agents that could take
one more contact of that class, ordered by when they last became free. Heaps are never searched:
an entry goes stale when the agent can no longer take its class or has become free again since,
and stale entries are dropped as they reach the top (or when a heap doubles), so every change
costs O(log n) amortised.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from teamline.domain.enums import AgentLevel, CapacityClass
from teamline.domain.organisation import Agent
from teamline.routing.model import Activity

VOICE, CHAT, ASYNC = CapacityClass.VOICE, CapacityClass.CHAT, CapacityClass.ASYNC
CLASSES = (VOICE, CHAT, ASYNC)
# enum members read through their class cost a metaclass lookup; hot paths use these names
AVAILABLE = Activity.AVAILABLE
SUPERVISOR = AgentLevel.SUPERVISOR
# the pool of every regional team: agents of healthy teams who may take anyone's overflow
ALL_REGIONAL = "*"

IndexKey = tuple[str, CapacityClass, str, AgentLevel]


@dataclass(slots=True)
class AgentState:
    agent: Agent
    regional: bool
    activity: Activity = Activity.OFFLINE
    load: dict[CapacityClass, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    total: int = 0  # sum of `load`, kept beside it: read on every routing step
    free_since: float = 0.0  # when the agent last finished something: longest idle goes first
    missed_offers: int = 0
    # per class: the free time of the agent's entries in the index (None: not listed)
    listed: dict[CapacityClass, float | None] = field(
        default_factory=lambda: dict.fromkeys(CLASSES, None)
    )
    busy_until: float = 0.0  # predicted end of the current work (for continuity holds)
    offers: set[str] = field(default_factory=set)
    wrap_version: int = 0
    counted_idle: bool = False  # whether the team's idle count includes this agent
    # fixed at creation, read on every step: the agent's id, capacity per class, languages
    # (sorted once: the order of searches), whether they count as answering capacity
    # (supervisors supervise), and their index keys per class
    id: str = ""
    caps: dict[CapacityClass, int] = field(default_factory=dict)
    langs: tuple[str, ...] = ()
    answers: bool = True
    keys: dict[CapacityClass, tuple[IndexKey, ...]] = field(default_factory=dict)
    # per class, the heaps of the contact pools the agent serves (see queues.py): their own and
    # their team's always, and the borrowing ones while their team may lend
    own_pools: dict[CapacityClass, tuple[list[Any], ...]] = field(default_factory=dict)
    lend_pools: dict[CapacityClass, tuple[list[Any], ...]] = field(default_factory=dict)
    # per class, where the agent is listed in the index: (key, heap) pairs
    listings: dict[CapacityClass, tuple[tuple[IndexKey, list[Any]], ...]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        agent = self.agent
        self.id = agent.id
        self.caps = {cls: agent.capacity.get(cls, 0) for cls in CLASSES}
        self.langs = tuple(sorted(agent.languages))
        self.answers = agent.level is not SUPERVISOR
        pools = (agent.team_id, ALL_REGIONAL) if self.regional else (agent.team_id,)
        self.keys = {
            cls: tuple((pool, cls, lang, agent.level) for lang in self.langs for pool in pools)
            for cls in CLASSES
        }

    def can_take(self, cls: CapacityClass) -> bool:
        if self.activity is not AVAILABLE:
            return False
        if cls is VOICE:
            return self.total == 0 and self.caps[VOICE] > 0
        load = self.load
        return load[VOICE] == 0 and load[cls] < self.caps[cls]

    def add_load(self, cls: CapacityClass) -> None:
        self.load[cls] += 1
        self.total += 1

    def drop_load(self, cls: CapacityClass) -> None:
        self.load[cls] -= 1
        self.total -= 1


class AgentIndex:
    def __init__(self, agents: dict[str, AgentState]) -> None:
        self._agents = agents
        self._heaps: dict[IndexKey, list[tuple[float, int, str]]] = {}
        # a heap is compacted when it outgrows its limit: twice its live size after the last
        # compaction, plus slack
        self._limits: dict[IndexKey, int] = {}
        self._seq = 0

    def refresh(self, state: AgentState) -> None:
        """The agent changed: list them again where they can now take work.

        An entry is valid while the agent can take its class and has the same `free_since` as
        when it was pushed; so an agent who takes a second chat, whose free time did not move,
        needs no new entry. Only a new free time, or being able again, pushes.
        """
        listed = state.listed
        if state.activity is not AVAILABLE:
            listed[VOICE] = listed[CHAT] = listed[ASYNC] = None
            return
        free = state.free_since
        load, caps = state.load, state.caps
        # `can_take`, inlined: this runs on every change of every agent
        if load[VOICE]:  # on a call: nothing else, and the common case after an offer
            listed[VOICE] = listed[CHAT] = listed[ASYNC] = None
            return
        if state.total == 0 and caps[VOICE] > 0:
            if listed[VOICE] != free:
                self._push(state, VOICE, free)
        else:
            listed[VOICE] = None
        for cls in (CHAT, ASYNC):
            if load[cls] >= caps[cls]:
                listed[cls] = None
            elif listed[cls] != free:
                self._push(state, cls, free)

    def _push(self, state: AgentState, cls: CapacityClass, free: float) -> None:
        """List the agent under each of their keys for `cls`, with their new free time."""
        state.listed[cls] = free
        limits, push, seq, agent_id = self._limits, heapq.heappush, self._seq, state.id
        for key, heap in state.listings[cls]:
            seq += 1
            push(heap, (free, seq, agent_id))
            if len(heap) > limits.get(key, 64):
                self._compact(key, heap)
        self._seq = seq

    def list_agent(self, state: AgentState) -> None:
        """Make the agent's index heaps (empty for now) and keep references to them."""
        for cls in CLASSES:
            state.listings[cls] = tuple(
                (key, self._heaps.setdefault(key, [])) for key in state.keys[cls]
            )

    def _compact(self, key: IndexKey, heap: list[tuple[float, int, str]]) -> None:
        """Drop stale entries once a heap has doubled (a pool rarely read, like the all-teams
        one, would otherwise keep every entry ever pushed)."""
        agents, cls = self._agents, key[1]
        first: dict[str, tuple[float, int, str]] = {}
        for entry in sorted(heap):
            state = agents[entry[2]]
            if state.free_since == entry[0] and state.can_take(cls):
                first.setdefault(entry[2], entry)  # one entry per agent is enough
        live = list(first.values())
        heapq.heapify(live)
        heap[:] = live  # in place: agents hold references to their heaps
        self._limits[key] = 2 * len(live) + 64

    def best(
        self,
        key: IndexKey,
        agents: dict[str, AgentState],
        skip: Collection[str] = (),
        team_ok: Callable[[str], bool] | None = None,
    ) -> tuple[float, AgentState] | None:
        """The longest-idle agent listed under `key` who can still take work of its class.

        Agents in `skip` (they refused this contact) and agents whose team fails `team_ok`
        (it may not lend now) are stepped over and stay listed.
        """
        heap = self._heaps.get(key)
        if not heap:
            return None
        cls = key[1]
        set_aside = []
        found = None
        while heap:
            free_since, _seq, agent_id = heap[0]
            state = agents[agent_id]
            if state.free_since != free_since or not state.can_take(cls):
                heapq.heappop(heap)
                continue
            if agent_id in skip or (team_ok is not None and not team_ok(state.agent.team_id)):
                set_aside.append(heapq.heappop(heap))
                continue
            found = (free_since, state)
            break
        for entry in set_aside:
            heapq.heappush(heap, entry)
        return found
