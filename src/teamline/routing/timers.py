"""The engine's clock-driven work: timers of (due time, sequence, what, whom, version).

A timer is cancelled by bumping the version of what it refers to, not by removing it (removal
from a heap is O(n)); a stale timer is skipped when it comes due. The sequence number breaks
ties so the same calls always fire timers in the same order (ARCHITECTURE.md habit 9).

Most timers are set a fixed delay after the engine's clock, which never goes back: an offer
times out `offer_timeout` after it is made, a wrap-up ends `wrap_up` after the call, a contact
ages `max_wait` after its start and gains its first wider ring a fixed time after it. Those come
due in the order they were set, so each kind has a first-in first-out line (O(1) per timer,
where a heap of tens of thousands of mostly stale entries cost microseconds per pop). A timer
that would come due before the last one of its line (a callback keeps an earlier start; a later
ring opens after another delay) goes to the heap instead. Timers fire in (due, sequence) order
across the lines and the heap, exactly as from one heap.
"""

from __future__ import annotations

import heapq
from collections import deque
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
# the kinds set a fixed delay after the clock: they get a line of their own
IN_ORDER = (TimerKind.OFFER_TIMEOUT, TimerKind.AGED, TimerKind.WRAP_UP_ENDS, TimerKind.RING_OPENS)


class Timers:
    __slots__ = ("_first", "_first_in", "_line_of", "_lines", "_seq", "heap", "next_due")

    def __init__(self) -> None:
        self.heap: list[Timer] = []
        self._lines: tuple[deque[Timer], ...] = tuple(deque() for _ in IN_ORDER)
        self._line_of: dict[TimerKind, deque[Timer]] = dict(zip(IN_ORDER, self._lines, strict=True))
        self._seq = 0
        # the earliest timer and where it is, and its due time (inf: none): a call with nothing
        # due costs one comparison, and popping needs no search for the earliest
        self._first: Timer | None = None
        self._first_in: deque[Timer] | list[Timer] = self.heap
        self.next_due = float("inf")

    def at(self, due: float, kind: TimerKind, ref: str, version: int = 0) -> None:
        self._seq += 1
        timer = (due, self._seq, kind, ref, version)
        line = self._line_of.get(kind)
        where: deque[Timer] | list[Timer]
        if line is not None and (not line or line[-1][0] <= due):
            line.append(timer)
            where = line  # the earliest only if the line was empty: it is sorted
        else:
            heapq.heappush(self.heap, timer)
            where = self.heap
        first = self._first
        if first is None or timer < first:
            self._first, self._first_in, self.next_due = timer, where, due

    def pop(self) -> Timer:
        """Remove and return the earliest timer (the caller checks `next_due` first)."""
        first, heap = self._first, self.heap
        assert first is not None
        where = self._first_in
        if isinstance(where, deque):
            where.popleft()
        else:
            heapq.heappop(heap)
        # the new earliest: the head of the heap or of a line
        new: Timer | None = heap[0] if heap else None
        new_in: deque[Timer] | list[Timer] = heap
        for line in self._lines:
            if line and (new is None or line[0] < new):
                new, new_in = line[0], line
        self._first, self._first_in = new, new_in
        self.next_due = new[0] if new is not None else float("inf")
        return first

    def __len__(self) -> int:
        return len(self.heap) + sum(len(line) for line in self._lines)
