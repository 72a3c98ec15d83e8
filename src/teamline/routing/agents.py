"""Agents as the engine tracks them, and the index of who can take work now.

Capacity (DOMAIN.md section 4 and issue 3): a voice contact takes the whole agent; chats
multitask up to the agent's chat capacity, async messages up to theirs, beside each other but
never beside a call. Among the agents who can take a contact, the one idle longest goes first.

The index keeps one heap per (pool, capacity class, language, level) of agents that could take
one more contact of that class, ordered by when they last became free. Heaps are never searched:
entries go stale when the agent's `version` moves on, and stale entries are dropped as they reach
the top, so every change costs O(log n).
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
    version: int = 0
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
    def __init__(self) -> None:
        self._heaps: dict[IndexKey, list[tuple[float, int, str, int]]] = {}
        self._seq = 0

    def keys_of(self, state: AgentState, cls: CapacityClass) -> Iterator[IndexKey]:
        agent = state.agent
        for language in state.langs:
            yield (agent.team_id, cls, language, agent.level)
            if state.regional:
                yield (ALL_REGIONAL, cls, language, agent.level)

    def refresh(self, state: AgentState) -> None:
        """The agent changed: forget old entries (version) and list them where they fit now."""
        state.version += 1
        for cls in CLASSES:
            if state.can_take(cls):
                for key in self.keys_of(state, cls):
                    self._seq += 1
                    entry = (state.free_since, self._seq, state.id, state.version)
                    heapq.heappush(self._heaps.setdefault(key, []), entry)

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
            free_since, _seq, agent_id, version = heap[0]
            state = agents[agent_id]
            if state.version != version or not state.can_take(cls):
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
