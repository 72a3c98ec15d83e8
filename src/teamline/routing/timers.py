"""The engine's clock-driven work: timers of (due time, sequence, what, whom, version).

A timer is cancelled by bumping the version of what it refers to, not by removing it (removal
from a heap is O(n)); a stale timer is skipped when it comes due. The sequence number breaks
ties so the same calls always fire timers in the same order (ARCHITECTURE.md habit 9).

Most timers are set a fixed delay after the engine's clock, which never goes back: an offer
times out `offer_timeout` after it is made, a wrap-up ends `wrap_up` after the call, a contact
ages `max_wait` after its start, and each of its wider rings opens a fixed time after it. Those
come due in the order they were set, so each has a first-in first-out line of its own, its
"lane" (the kind, or for rings the kind and the ring: a contact's third ring is set when its
second opens, later than the second rings of the contacts behind it). A lane costs O(1) per
timer, where a heap of tens of thousands of mostly stale entries cost microseconds per pop. A
timer that would come due before the last one of its lane (a callback keeps an earlier start)
goes to the heap instead. The lanes' first timers are kept in a small heap of their own. Timers
fire in (due, sequence) order across the lanes and the heap, exactly as from one heap.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable
from enum import IntEnum


class TimerKind(IntEnum):
    OFFER_TIMEOUT = 1
    RING_OPENS = 2
    HOLD_ENDS = 3
    AGED = 4
    WRAP_UP_ENDS = 5
    SCHEDULED_DUE = 6
    LENDING_CHECK = 7  # a team that stopped lending may start again


class TK:
    """`TimerKind` members as plain class attributes: read without `EnumType.__getattr__`
    (see `model.RS`)."""

    OFFER_TIMEOUT = TimerKind.OFFER_TIMEOUT
    RING_OPENS = TimerKind.RING_OPENS
    HOLD_ENDS = TimerKind.HOLD_ENDS
    AGED = TimerKind.AGED
    WRAP_UP_ENDS = TimerKind.WRAP_UP_ENDS
    SCHEDULED_DUE = TimerKind.SCHEDULED_DUE
    LENDING_CHECK = TimerKind.LENDING_CHECK


Timer = tuple[float, int, TimerKind, str, int]
Lane = deque[Timer]
# the kinds set a fixed delay after the clock: they get lanes of their own
IN_ORDER = frozenset(
    (TimerKind.OFFER_TIMEOUT, TimerKind.AGED, TimerKind.WRAP_UP_ENDS, TimerKind.RING_OPENS)
)


class Timers:
    __slots__ = ("_first", "_first_in", "_heads", "_lanes", "_seq", "heap", "next_due")

    def __init__(self) -> None:
        self.heap: list[Timer] = []
        self._lanes: dict[Hashable, Lane] = {}
        # (first timer, lane) of every lane that holds timers, earliest first
        self._heads: list[tuple[Timer, Lane]] = []
        self._seq = 0
        # the earliest timer and where it is (a lane or the heap), and its due time (inf:
        # none): a call with nothing due costs one comparison
        self._first: Timer | None = None
        self._first_in: Lane | list[Timer] = self.heap
        self.next_due = float("inf")

    def at(
        self, due: float, kind: TimerKind, ref: str, version: int = 0, lane: Hashable = None
    ) -> None:
        """Set a timer. Kinds set a fixed delay after the clock go to a lane: `lane` names it
        when one kind is set with several delays (default: the kind)."""
        self._seq += 1
        timer = (due, self._seq, kind, ref, version)
        where: Lane | list[Timer] = self.heap
        if kind in IN_ORDER:
            key = kind if lane is None else lane
            line = self._lanes.get(key)
            if line is None:
                line = self._lanes[key] = deque()
            if not line:
                line.append(timer)
                heapq.heappush(self._heads, (timer, line))
                where = line
            elif line[-1][0] <= due:
                line.append(timer)  # sorted: it is the lane's first only if the lane was empty
                where = line
        if where is self.heap:
            heapq.heappush(self.heap, timer)
        first = self._first
        if first is None or timer < first:
            self._first, self._first_in, self.next_due = timer, where, due

    def pop(self) -> Timer:
        """Remove and return the earliest timer (the caller checks `next_due` first)."""
        first, heap, heads = self._first, self.heap, self._heads
        assert first is not None
        where = self._first_in
        if isinstance(where, deque):  # the first of a lane: that lane tops the heads
            where.popleft()
            if where:
                heapq.heapreplace(heads, (where[0], where))
            else:
                heapq.heappop(heads)
        else:
            heapq.heappop(heap)
        # the new earliest: the first of the heap or of the lanes
        if heads and (not heap or heads[0][0] < heap[0]):
            new, self._first_in = heads[0]
        elif heap:
            new, self._first_in = heap[0], heap
        else:
            self._first, self._first_in, self.next_due = None, heap, float("inf")
            return first
        self._first, self.next_due = new, new[0]
        return first

    def __len__(self) -> int:
        return len(self.heap) + sum(len(line) for line in self._lanes.values())
