"""Waiting contacts, one heap per (pool, capacity class, language, level), best first.

A contact sits in every pool its open rings reach: its own team's, a neighbour's "borrow" pool,
the all-teams pool, an agent's personal pool (continuity holds, scheduled calls). The order is
the effective start: the virtual start minus a bounded tier credit; a contact that has waited
past the maximum is re-listed ahead of every credited one, so nobody starves (issue 3).

As with agents, entries go stale instead of being removed: a contact's `version` moves on when
it is offered, assigned or leaves, and stale entries are dropped when they reach the top.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from teamline.domain.enums import AgentLevel, CapacityClass, Channel
from teamline.routing.model import RS, ContactRequest, RouteState

PoolKey = tuple[str, CapacityClass, str, AgentLevel]

# the capacity class of each channel, looked up once (the domain's property reads enum members
# through their class on every call)
CLASS_OF_CHANNEL = {channel: channel.capacity_class for channel in Channel}
# when a contact's rings open: (its start, ((seconds after the start, ring name), ...)), in
# order; the common plan's steps are one tuple shared by every contact
Plan = tuple[float, tuple[tuple[float, str], ...]]
NOBODY: frozenset[str] = frozenset()
AGED_BONUS = 1e9  # an aged contact's key: ahead of every key a credit can produce


def team_pool(team_id: str) -> str:
    return f"team:{team_id}"


def borrow_pool(team_id: str) -> str:
    return f"borrow:{team_id}"


def agent_pool(agent_id: str) -> str:
    return f"agent:{agent_id}"


ALL_TEAMS_POOL = "all"


@dataclass(slots=True)
class RoutedContact:
    request: ContactRequest
    seq: int
    submitted_at: float
    virtual_start: float
    key: float  # effective start: smaller goes first
    state: RouteState = RS.QUEUED
    version: int = 0
    rings_open: int = 0  # how many of the workflow's rings are open
    pools: list[PoolKey] = field(default_factory=list)  # in ring order: inner rings first
    agent_id: str | None = None
    # agents who declined or missed it; a shared empty set until the first (most never have one)
    refused_by: frozenset[str] | set[str] = NOBODY
    home_team_id: str | None = None  # where it is routed first (may be the national pool)
    hold_agent_id: str | None = None  # continuity or scheduled: the agent it waits for
    assigned_at: float = 0.0
    linked_to: str | None = None
    aged: bool = False
    # when it ages (virtual start + maximum wait), and whether that is settled: a timer set, or
    # no timer needed (see `Matcher._arm_ageing`)
    aged_due: float = 0.0
    ageing_armed: bool = False
    plan: Plan | None = None  # set once it is routed by rings
    cls: CapacityClass = CapacityClass.VOICE  # the request's, kept: read on every step
    id: str = ""  # the request's contact id, kept: read on every step

    def __post_init__(self) -> None:
        self.cls = CLASS_OF_CHANNEL[self.request.channel]
        self.id = self.request.contact_id


class ContactQueues:
    def __init__(self, contacts: dict[str, RoutedContact]) -> None:
        self._contacts = contacts
        # read directly by matching: an empty pool is skipped without a call
        self.heaps: dict[PoolKey, list[tuple[float, int, str, int]]] = {}
        self._compacted: dict[PoolKey, int] = {}  # heap size after its last compaction

    def add(self, contact: RoutedContact, key: PoolKey, listed: bool = True) -> None:
        """The contact may now be served from this pool. With `listed` False it is not put in
        the pool's heap yet: the caller first tries to offer it at once (the common case), and
        lists it with `list_from` only if it still waits. An entry made for a contact that is
        then offered would be stale anyway: the offer moves its version on."""
        if key in contact.pools:
            return
        contact.pools.append(key)
        if listed:
            self._push(key, contact)

    def list_from(self, contact: RoutedContact, first: int) -> None:
        """List a waiting contact in its pools from the `first`-th on (see `add`)."""
        if contact.state is RS.QUEUED:
            for key in contact.pools[first:]:
                self._push(key, contact)

    def relist(self, contact: RoutedContact) -> None:
        """The contact's key or version changed: list it again in every pool it belongs to."""
        for key in contact.pools:
            self._push(key, contact)

    def heap(self, key: PoolKey) -> list[tuple[float, int, str, int]]:
        """The pool's heap, created empty if new. The list is never replaced (compaction works
        in place), so agents may keep references to the heaps of the pools they serve."""
        heap = self.heaps.get(key)
        if heap is None:
            heap = self.heaps[key] = []
        return heap

    def _push(self, key: PoolKey, contact: RoutedContact) -> None:
        heap = self.heap(key)
        heapq.heappush(heap, (contact.key, contact.seq, contact.id, contact.version))
        if len(heap) > 2 * self._compacted.get(key, 0) + 64:
            # stale entries only leave from the top: drop them all once the heap has doubled,
            # so a pool nobody reads cannot grow without bound (amortised O(1) per push)
            contacts = self._contacts
            live = [
                e
                for e in heap
                if e[2] in contacts
                and contacts[e[2]].version == e[3]
                and contacts[e[2]].state is RS.QUEUED
            ]
            heapq.heapify(live)
            heap[:] = live
            self._compacted[key] = len(live)

    def waiting(self, key: PoolKey, contacts: dict[str, RoutedContact]) -> list[RoutedContact]:
        """Every live contact of a pool, best first (O(n log n): for estimates, not routing)."""
        live = {
            cid: contacts[cid]
            for _k, _s, cid, version in self.heaps.get(key, [])
            if cid in contacts
            and contacts[cid].version == version
            and contacts[cid].state is RS.QUEUED
        }
        return sorted(live.values(), key=lambda c: (c.key, c.seq))


def head_of(
    heap: list[tuple[float, int, str, int]], contacts: dict[str, RoutedContact], agent_id: str
) -> RoutedContact | None:
    """The best queued contact of a pool's heap that this agent has not refused (agents keep
    references to the heaps of their pools: no lookup)."""
    set_aside = []
    found = None
    while heap:
        _key, _seq, contact_id, version = heap[0]
        contact = contacts.get(contact_id)
        if contact is None or contact.version != version or contact.state is not RS.QUEUED:
            heapq.heappop(heap)
            continue
        if agent_id in contact.refused_by:
            set_aside.append(heapq.heappop(heap))
            continue
        found = contact
        break
    for entry in set_aside:
        heapq.heappush(heap, entry)
    return found
