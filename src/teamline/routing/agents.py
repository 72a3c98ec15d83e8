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
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from teamline.domain.enums import AgentLevel, CapacityClass
from teamline.domain.organisation import Agent
from teamline.routing.model import Activity

CLASSES = (CapacityClass.VOICE, CapacityClass.CHAT, CapacityClass.ASYNC)
# the pool of every regional team: agents of healthy teams who may take anyone's overflow
ALL_REGIONAL = "*"

IndexKey = tuple[str, CapacityClass, str, AgentLevel]


@dataclass(slots=True)
class AgentState:
    agent: Agent
    regional: bool
    activity: Activity = Activity.OFFLINE
    load: dict[CapacityClass, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
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
    langs: tuple[str, ...] = ()  # the agent's languages, sorted once: the order of searches

    def __post_init__(self) -> None:
        self.langs = tuple(sorted(self.agent.languages))

    @property
    def answers(self) -> bool:
        """Counts as the team's answering capacity (supervisors do not)."""
        return self.agent.level is not AgentLevel.SUPERVISOR

    @property
    def id(self) -> str:
        return self.agent.id

    def can_take(self, cls: CapacityClass) -> bool:
        if self.activity is not Activity.AVAILABLE:
            return False
        load = self.load
        if cls is CapacityClass.VOICE:
            return load[CapacityClass.VOICE] + load[CapacityClass.CHAT] + load[
                CapacityClass.ASYNC
            ] == 0 and (self.agent.capacity.get(CapacityClass.VOICE, 0) > 0)
        if load[CapacityClass.VOICE]:
            return False
        return load[cls] < self.agent.capacity.get(cls, 0)

    def total_load(self) -> int:
        return sum(self.load.values())


class AgentIndex:
    def __init__(self, agents: dict[str, AgentState]) -> None:
        self._agents = agents
        self._heaps: dict[IndexKey, list[tuple[float, int, str]]] = {}
        self._compacted: dict[IndexKey, int] = {}
        self._seq = 0

    def keys_of(self, state: AgentState, cls: CapacityClass) -> Iterator[IndexKey]:
        agent = state.agent
        for language in state.langs:
            yield (agent.team_id, cls, language, agent.level)
            if state.regional:
                yield (ALL_REGIONAL, cls, language, agent.level)

    def refresh(self, state: AgentState) -> None:
        """The agent changed: list them again where they can now take work.

        An entry is valid while the agent can take its class and has the same `free_since` as
        when it was pushed; so an agent who takes a second chat, whose free time did not move,
        needs no new entry. Only a new free time, or being able again, pushes.
        """
        listed = state.listed
        for cls in CLASSES:
            if not state.can_take(cls):
                listed[cls] = None
            elif listed[cls] != state.free_since:
                listed[cls] = state.free_since
                for key in self.keys_of(state, cls):
                    self._seq += 1
                    heap = self._heaps.setdefault(key, [])
                    heapq.heappush(heap, (state.free_since, self._seq, state.id))
                    if len(heap) > 2 * self._compacted.get(key, 0) + 64:
                        self._compact(key, heap)

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
        self._heaps[key] = live
        self._compacted[key] = len(live)

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
