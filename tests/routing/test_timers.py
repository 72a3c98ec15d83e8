"""The engine's timers fire in (due, sequence) order, exactly as from one heap (routing/timers.py),
though most of them sit in first-in first-out lines."""

from __future__ import annotations

import heapq

from hypothesis import given
from hypothesis import strategies as st

from teamline.routing.timers import TimerKind, Timers

# (seconds the clock moves on, kind, delay after the clock): a callback's ageing timer can be
# due before earlier ones (a negative delay here), as a contact that keeps its place is
steps = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.0, 1.0, 2.5, 10.0]),
        st.sampled_from(list(TimerKind)),
        st.sampled_from([-30.0, 0.0, 1.0, 10.0, 15.0, 18.0, 30.0, 300.0]),
    ),
    max_size=80,
)


def fire_due(timers: Timers, now: float) -> list[tuple[float, int, TimerKind, str, int]]:
    fired = []
    while now >= timers.next_due:
        fired.append(timers.pop())
    return fired


@given(steps)
def test_timers_fire_in_the_order_one_heap_would_fire_them(plan: list) -> None:
    timers, reference = Timers(), []
    now = 0.0
    fired: list[tuple[float, int, TimerKind, str, int]] = []
    expected: list[tuple[float, int, TimerKind, str, int]] = []
    for i, (moves_on, kind, delay) in enumerate(plan):
        now += moves_on
        fired += fire_due(timers, now)
        while reference and reference[0][0] <= now:
            expected.append(heapq.heappop(reference))
        timers.at(now + delay, kind, f"c{i}", i)  # the sequence numbers count from 1
        heapq.heappush(reference, (now + delay, i + 1, kind, f"c{i}", i))
    fired += fire_due(timers, 1e18)  # the engine's clock is always finite
    expected += [heapq.heappop(reference) for _ in range(len(reference))]
    assert fired == expected
    assert len(timers) == 0 and timers.next_due == float("inf")


def test_a_timer_due_before_the_last_of_its_line_still_fires_first() -> None:
    timers = Timers()
    timers.at(300.0, TimerKind.AGED, "late")
    timers.at(100.0, TimerKind.AGED, "kept its place")  # goes to the heap, not behind "late"
    timers.at(15.0, TimerKind.OFFER_TIMEOUT, "offer")
    assert [timer[3] for timer in fire_due(timers, 1000.0)] == ["offer", "kept its place", "late"]
