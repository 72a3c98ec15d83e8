"""The engine's clock-driven work: one heap of (due time, sequence, what, whom, version).

A timer is cancelled by bumping the version of what it refers to, not by removing it (removal
from a heap is O(n)); a stale timer is skipped when it comes due. The sequence number breaks
ties so the same calls always fire timers in the same order (ARCHITECTURE.md habit 9).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from enum import IntEnum


class TimerKind(IntEnum):
    OFFER_TIMEOUT = 1
    RING_OPENS = 2
    HOLD_ENDS = 3
    AGED = 4
    WRAP_UP_ENDS = 5
    SCHEDULED_DUE = 6
    LENDING_CHECK = 7  # a team that stopped lending may start again


@dataclass(slots=True)
class Timers:
    # read by the engine's clock directly (the earliest first): popping through a method
    # for every timer costs a call per event
    heap: list[tuple[float, int, TimerKind, str, int]] = field(default_factory=list)
    _seq: int = 0

    def at(self, due: float, kind: TimerKind, ref: str, version: int = 0) -> None:
        self._seq += 1
        heapq.heappush(self.heap, (due, self._seq, kind, ref, version))

    def __len__(self) -> int:
        return len(self.heap)
