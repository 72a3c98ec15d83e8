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
contact of that class, by place in line. An entry goes stale when its agent can no longer take
the class or has a new place since; stale entries are dropped as they reach the top, or when a
heap doubles. The all-teams pool (every regional agent) is read only while a contact's widest
ring is open: rather than a heap of every agent, it keeps per (class, language, level) a heap of
the regional teams' heaps, each under a key no later than the first entry of that team's heap
(a team's first entry only moves later, as stale ones are dropped, until a push puts an earlier
one first: only then is the team listed again). Reading it corrects the keys at its top.
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
    # per class: the agent's place in line, (free time, listing sequence, the agent), which is
    # also their entry in the index's heaps (one tuple: an entry is current if it is this one)
    rank: dict[CapacityClass, Entry | None] = field(
        default_factory=lambda: dict.fromkeys(CLASSES, None)
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


# (free time, listing sequence, the agent): the sequence is unique, so two entries never
# compare their agents; holding the agent spares a lookup by id wherever an entry is read
Entry = tuple[float, int, AgentState]


class IndexHeap(list[Entry]):
    """A team's heap of entries, with its key, the size past which it is compacted (twice its
    live size after the last compaction, plus slack), and (regional teams) the all-teams heap
    of team heaps it belongs to."""

    __slots__ = ("key", "key_all", "limit", "teams")

    def __init__(self, key: IndexKey) -> None:
        super().__init__()
        self.key = key
        self.limit = 64
        self.teams: list[tuple[Entry, IndexHeap]] | None = None
        self.key_all: IndexKey = key


class AgentIndex:
    def __init__(self, agents: dict[str, AgentState]) -> None:
        self._agents = agents
        self._heaps: dict[IndexKey, IndexHeap] = {}  # (team, class, language, level)
        # (ALL_REGIONAL, class, language, level) -> heap of (key, team heap), and the team heaps
        self._all: dict[IndexKey, list[tuple[Entry, IndexHeap]]] = {}
        self._members: dict[IndexKey, list[IndexHeap]] = {}
        self._seq = 0

    def refresh(self, state: AgentState) -> None:
        """The agent changed: note the classes they can take now, and their place in line.

        An agent who takes a second chat, whose free time did not move, is unchanged; only a new
        free time, or being able again, lists them.
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
            if entry is None or entry[0] != free:  # a new free time: a new place in line
                if new is None:
                    self._seq += 1
                    new = (free, self._seq, state)
                entry = rank[cls] = new
            for heap in state.team_heaps[cls]:
                first = heap[0] if heap else None
                heapq.heappush(heap, entry)
                teams = heap.teams
                if teams is not None and (first is None or entry < first):
                    heapq.heappush(teams, (entry, heap))  # the team's first entry moved earlier
                    if len(teams) > 2 * len(self._members[heap.key_all]) + 64:
                        self._rebuild_all(heap.key_all)
                if len(heap) > heap.limit:
                    self._compact(heap)

    def _heap(self, key: IndexKey) -> IndexHeap:
        heap = self._heaps.get(key)
        if heap is None:
            heap = self._heaps[key] = IndexHeap(key)
        return heap

    def list_agent(self, state: AgentState) -> None:
        """Make the agent's team heaps (empty for now), put the regional ones in the all-teams
        pool, and keep references to them."""
        agent = state.agent
        for cls in CLASSES:
            heaps = []
            for lang in state.langs:
                heap = self._heap((agent.team_id, cls, lang, agent.level))
                if state.regional and heap.teams is None:
                    key_all = (ALL_REGIONAL, cls, lang, agent.level)
                    heap.teams, heap.key_all = self._all.setdefault(key_all, []), key_all
                    self._members.setdefault(key_all, []).append(heap)
                heaps.append(heap)
            state.team_heaps[cls] = tuple(heaps)

    @staticmethod
    def _stale(entry: Entry, cls: CapacityClass) -> bool:
        state = entry[2]
        return state.listed[cls] is None or state.rank[cls] is not entry

    def best(
        self,
        key: IndexKey,
        skip: Collection[str] = (),
        team_ok: Callable[[str], bool] | None = None,
    ) -> AgentState | None:
        """The longest-idle agent listed under `key` who can still take work of its class.

        Agents in `skip` (they refused this contact) and agents whose team fails `team_ok`
        (it may not lend now) are stepped over and stay listed; `team_ok` is asked in the
        agents' order, up to the one found (once per team: it answers the same within a call).
        """
        if key[0] == ALL_REGIONAL:
            return self._best_anywhere(key, skip, team_ok)
        heap = self._heaps.get(key)
        if heap is None:
            return None
        entry = self._first(heap, key[1])
        if entry is None:
            return None
        state = entry[2]
        if state.id not in skip and (team_ok is None or team_ok(state.agent.team_id)):
            return state
        entry = self._first_below(heap, key[1], skip)
        if entry is None:
            return None
        state = entry[2]
        return state if team_ok is None or team_ok(state.agent.team_id) else None

    def _first(self, heap: IndexHeap, cls: CapacityClass) -> Entry | None:
        """The heap's first valid entry, stale ones before it dropped."""
        while heap:
            entry = heap[0]
            state = entry[2]  # `_stale`, inlined: once or twice per routed contact
            if state.listed[cls] is not None and state.rank[cls] is entry:
                return entry
            heapq.heappop(heap)
        return None

    def _first_below(
        self, heap: IndexHeap, cls: CapacityClass, skip: Collection[str]
    ) -> Entry | None:
        """The first valid entry past a valid top that is stepped over, not in `skip`: read in
        order through a small heap of the positions to visit next, the heap left as it is."""
        size = len(heap)
        todo = [(heap[i], i) for i in (1, 2) if i < size]
        heapq.heapify(todo)
        while todo:
            entry, i = heapq.heappop(todo)
            for child in (2 * i + 1, 2 * i + 2):
                if child < size:
                    heapq.heappush(todo, (heap[child], child))
            if entry[2].id not in skip and not self._stale(entry, cls):
                return entry
        return None

    def _best_anywhere(
        self, key: IndexKey, skip: Collection[str], team_ok: Callable[[str], bool] | None
    ) -> AgentState | None:
        """`best` over every regional team: the teams in order of their first entries."""
        teams = self._all.get(key)
        if not teams:
            return None
        cls = key[1]
        while teams:  # correct the keys at the top until the first is a team's first entry
            lower, heap = teams[0]
            first = self._first(heap, cls)
            if first is None:
                heapq.heappop(teams)
            elif first is not lower:
                heapq.heapreplace(teams, (first, heap))
            else:
                break
        if not teams:
            return None
        first, heap = teams[0]
        state = first[2]
        seen: set[int] = set()
        if state.id not in skip:
            if team_ok is None or team_ok(state.agent.team_id):
                return state
            seen.add(id(heap))  # its team may not lend: none of its agents then
        # stepped over: walk the teams in order without changing the heap of teams; a team's
        # key is a lower bound of its candidate (first valid entry not in `skip`), which is
        # found when the key comes up, and tried when the candidate comes up
        size = len(teams)
        todo: list[tuple[Entry, int, IndexHeap | None]] = [(teams[0][0], 0, None)]
        while todo:
            entry, i, found_in = heapq.heappop(todo)
            if found_in is None:  # a position in the heap of teams: its team's candidate
                for child in (2 * i + 1, 2 * i + 2):
                    if child < size:
                        heapq.heappush(todo, (teams[child][0], child, None))
                heap = teams[i][1]
                if id(heap) in seen:
                    continue
                seen.add(id(heap))
                candidate = self._first(heap, cls)
                if candidate is not None and candidate[2].id in skip:
                    candidate = self._first_below(heap, cls, skip)
                if candidate is not None:
                    heapq.heappush(todo, (candidate, -1, heap))
                continue
            state = entry[2]
            if team_ok is None or team_ok(state.agent.team_id):
                return state
        return None

    def _rebuild_all(self, key: IndexKey) -> None:
        """The heap of teams keeps one key per team once it has doubled (keys that moved later
        are corrected only as they reach its top)."""
        teams = self._all[key]
        teams[:] = [(heap[0], heap) for heap in self._members[key] if heap]
        heapq.heapify(teams)

    def _compact(self, heap: IndexHeap) -> None:
        """Drop stale entries once a heap has doubled (a heap rarely read would otherwise keep
        every entry ever pushed)."""
        cls = heap.key[1]
        live = {}
        for entry in heap:
            state = entry[2]
            if state.listed[cls] is not None and state.rank[cls] is entry:
                live[state.id] = entry  # one entry per agent is enough (they are the same)
        heap[:] = live.values()
        heapq.heapify(heap)
        heap.limit = 2 * len(heap) + 64
