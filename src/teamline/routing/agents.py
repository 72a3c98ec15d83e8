"""Agents as the engine tracks them, and the index of who can take work now.

Capacity (DOMAIN.md section 4 and issue 3): a voice contact takes the whole agent; chats
multitask up to the agent's chat capacity, async messages up to theirs, beside each other but
never beside a call. Among the agents who can take a contact, the one idle longest goes first.

Each agent has, per capacity class, a place in line: (when they last became free, a sequence
number given when they were listed with that free time, which breaks ties in listing order). An
agent who could not take the class for a while and can again, free time unchanged (an offer they
missed), keeps their place. Which agent is best is a function of these places alone, not of the
history of the heaps below.

The index keeps one heap per (team, class, language, level) of agents that could take one more
contact of that class, by place in line, and one per (class, language, level) for the all-teams
pool. An entry goes stale when its agent can no longer take the class or has a new place since;
stale entries are dropped as they reach the top, or when a heap doubles. The all-teams pool spans
every regional agent but is read only while a contact's widest ring is open, so agents who change
are only noted for it (once each), and listed in it when it is next read.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from teamline.domain.enums import AgentLevel, CapacityClass, TeamKind
from teamline.domain.organisation import Agent
from teamline.routing.model import ACT, Activity

VOICE, CHAT, ASYNC = CapacityClass.VOICE, CapacityClass.CHAT, CapacityClass.ASYNC
CLASSES = (VOICE, CHAT, ASYNC)
# enum members read through their class cost a metaclass lookup; hot paths use these names
AVAILABLE = ACT.AVAILABLE
SUPERVISOR = AgentLevel.SUPERVISOR
REGIONAL = TeamKind.REGIONAL
# the pool of every regional team: agents of healthy teams who may take anyone's overflow
ALL_REGIONAL = "*"

IndexKey = tuple[str, CapacityClass, str, AgentLevel]


@dataclass(slots=True)
class AgentState:
    agent: Agent
    regional: bool
    activity: Activity = ACT.OFFLINE
    load: dict[CapacityClass, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    total: int = 0  # sum of `load`, kept beside it: read on every routing step
    free_since: float = 0.0  # when the agent last finished something: longest idle goes first
    missed_offers: int = 0
    # per class: the free time the agent is listed with (None: cannot take the class now)
    listed: dict[CapacityClass, float | None] = field(
        default_factory=lambda: dict.fromkeys(CLASSES, None)
    )
    # per class: the agent's place in line, (free time, listing sequence, id), which is also
    # their entry in the index's heaps (one tuple: an entry is current if it is this one)
    rank: dict[CapacityClass, Entry] = field(
        default_factory=lambda: dict.fromkeys(CLASSES, (float("nan"), 0, ""))
    )
    busy_until: float = 0.0  # predicted end of the current work (for continuity holds)
    offers: set[str] = field(default_factory=set)
    wrap_version: int = 0
    counted_idle: bool = False  # whether the team's idle count includes this agent
    # fixed at creation, read on every step: the agent's id, capacity per class, languages
    # (sorted once: the order of searches), whether they count as answering capacity
    # (supervisors supervise)
    id: str = ""
    caps: dict[CapacityClass, int] = field(default_factory=dict)
    langs: tuple[str, ...] = ()
    answers: bool = True
    # per class, the heaps of the contact pools the agent serves (see queues.py): their own and
    # their team's always, and the borrowing ones while their team may lend
    own_pools: dict[CapacityClass, tuple[list[Any], ...]] = field(default_factory=dict)
    lend_pools: dict[CapacityClass, tuple[list[Any], ...]] = field(default_factory=dict)
    # per class, the all-teams pools' notes of agents to list when next read (regional only)
    to_list: dict[CapacityClass, tuple[dict[str, AgentState], ...]] = field(default_factory=dict)
    # per class, the heaps of the agent's team (one per language) they are listed in
    team_heaps: dict[CapacityClass, tuple[IndexHeap, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        agent = self.agent
        self.id = agent.id
        self.caps = {cls: agent.capacity.get(cls, 0) for cls in CLASSES}
        self.langs = tuple(sorted(agent.languages))
        self.answers = agent.level is not SUPERVISOR

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


Entry = tuple[float, int, str]  # (free time, listing sequence, agent id)


class IndexHeap(list[Entry]):
    """A heap of entries, with its key and the size past which it is compacted (twice its live
    size after the last compaction, plus slack)."""

    __slots__ = ("key", "limit")

    def __init__(self, key: IndexKey) -> None:
        super().__init__()
        self.key = key
        self.limit = 64


class AgentIndex:
    def __init__(self, agents: dict[str, AgentState]) -> None:
        self._agents = agents
        # a heap per key: (team, class, language, level) and the all-teams pool's; for the
        # latter, also the agents to list in it when it is next read
        self._heaps: dict[IndexKey, IndexHeap] = {}
        self._to_list: dict[IndexKey, dict[str, AgentState]] = {}
        self._seq = 0

    def refresh(self, state: AgentState) -> None:
        """The agent changed: note the classes they can take now, and their place in line.

        An agent who takes a second chat, whose free time did not move, is unchanged; only a new
        free time, or being able again, lists them (and notes them for the all-teams pool).
        """
        listed = state.listed
        load = state.load
        # `can_take`, inlined: this runs on every change of every agent. On a call (the common
        # case after an offer) an agent takes nothing else.
        if state.activity is not AVAILABLE or load[VOICE]:
            listed[VOICE] = listed[CHAT] = listed[ASYNC] = None  # their entries go stale
            return
        free, caps, rank = state.free_since, state.caps, state.rank
        new: Entry | None = None  # a new place, shared by the classes listed with it
        for cls in CLASSES:
            able = (state.total == 0 and caps[VOICE] > 0) if cls is VOICE else load[cls] < caps[cls]
            if not able:
                listed[cls] = None
                continue
            if listed[cls] == free:
                continue
            listed[cls] = free
            entry = rank[cls]
            if entry[0] != free:  # a new free time: a new place in line
                if new is None:
                    self._seq += 1
                    new = (free, self._seq, state.id)
                entry = rank[cls] = new
            for heap in state.team_heaps[cls]:
                heapq.heappush(heap, entry)
                if len(heap) > heap.limit:
                    self._compact(heap)
            for to_list in state.to_list[cls]:
                to_list[state.id] = state

    def _heap(self, key: IndexKey) -> IndexHeap:
        heap = self._heaps.get(key)
        if heap is None:
            heap = self._heaps[key] = IndexHeap(key)
        return heap

    def list_agent(self, state: AgentState) -> None:
        """Make the agent's heaps (empty for now) and keep references to them."""
        agent = state.agent
        for cls in CLASSES:
            state.team_heaps[cls] = tuple(
                self._heap((agent.team_id, cls, lang, agent.level)) for lang in state.langs
            )
            keys = [(ALL_REGIONAL, cls, lang, agent.level) for lang in state.langs]
            for key in keys:
                self._heap(key)
            state.to_list[cls] = tuple(
                self._to_list.setdefault(key, {}) for key in keys if state.regional
            )

    def best(
        self,
        key: IndexKey,
        skip: Collection[str] = (),
        team_ok: Callable[[str], bool] | None = None,
    ) -> AgentState | None:
        """The longest-idle agent listed under `key` who can still take work of its class.

        Agents in `skip` (they refused this contact) and agents whose team fails `team_ok`
        (it may not lend now) are stepped over and stay listed; `team_ok` is asked in the
        agents' order, up to the one found.
        """
        heap = self._heaps.get(key)
        if heap is None:
            return None
        cls = key[1]
        to_list = self._to_list.get(key)
        if to_list:  # the all-teams pool: list the agents who changed since it was read
            push = heapq.heappush
            for state in to_list.values():
                if state.listed[cls] is not None:
                    push(heap, state.rank[cls])
            to_list.clear()
            if len(heap) > heap.limit:
                self._compact(heap)
        agents = self._agents
        while heap:  # stale entries at the top are dropped
            entry = heap[0]
            state = agents[entry[2]]
            if state.listed[cls] is None or state.rank[cls] is not entry:
                heapq.heappop(heap)
                continue
            if entry[2] in skip or (team_ok is not None and not team_ok(state.agent.team_id)):
                return self._walk(heap, cls, skip, team_ok)
            return state
        return None

    def _walk(
        self,
        heap: IndexHeap,
        cls: CapacityClass,
        skip: Collection[str],
        team_ok: Callable[[str], bool] | None,
    ) -> AgentState | None:
        """`best` past a valid top that is stepped over: the entries below it in order, read
        through a small heap of the positions to visit next, so the pool's heap (thousands of
        entries for the all-teams pool) is neither popped nor pushed back."""
        agents, size = self._agents, len(heap)
        todo = [(heap[i], i) for i in (1, 2) if i < size]
        heapq.heapify(todo)
        while todo:
            entry, i = heapq.heappop(todo)
            for child in (2 * i + 1, 2 * i + 2):
                if child < size:
                    heapq.heappush(todo, (heap[child], child))
            state = agents[entry[2]]
            if state.listed[cls] is None or state.rank[cls] is not entry or entry[2] in skip:
                continue
            if team_ok is None or team_ok(state.agent.team_id):
                return state
        return None

    def _compact(self, heap: IndexHeap) -> None:
        """Drop stale entries once a heap has doubled (a pool rarely read would otherwise keep
        every entry ever pushed)."""
        agents, cls = self._agents, heap.key[1]
        live = {}
        for entry in heap:
            state = agents[entry[2]]
            if state.listed[cls] is not None and state.rank[cls] is entry:
                live[entry[2]] = entry  # one entry per agent is enough (they are the same)
        heap[:] = live.values()
        heapq.heapify(heap)
        heap.limit = 2 * len(heap) + 64
