"""The router settles its long-lived state for the garbage collector (routing/memory.py), and
forgets finished work on time (routing/core.py, `_forget_old`)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from routing import world
from teamline.domain.errors import NotFound
from teamline.routing.memory import YOUNG_COLLECTION_EVERY, settle_long_lived_state
from teamline.routing.model import DecisionKind, RouteState


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settling_freezes_what_exists_and_collects_young_objects_less_often(
    restored_collector: None,
) -> None:
    survivor = [object() for _ in range(1000)]
    settle_long_lived_state()
    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY


def test_a_router_that_runs_for_days_forgets_finished_work_on_time() -> None:
    """A router runs for weeks: finished contacts are kept a day, last helpers for the
    continuity window, abandons for as long as the customer may get their place back."""
    built = world.engine(world.default_workflow())
    for day in range(5):
        base = day * 24 * 3600.0
        for n in range(20):
            cid = f"d{day}-c{n}"
            start = base + 10 * n
            out = built.submit(world.call(cid, customer=f"d{day}-cus{n}"), world.at(start))
            if n % 2:
                built.abandon(cid, world.at(start + 1))
            elif cid in world.offered(out):
                built.accept(cid, world.offered(out)[cid], world.at(start + 1))
                built.complete(cid, world.at(start + 2))
    # the last day's contacts are still known as finished; those of four days ago are gone
    assert built.state_of("d4-c0") is RouteState.COMPLETED
    assert built.state_of("d4-c1") is RouteState.ABANDONED
    with pytest.raises(NotFound):
        built.state_of("d0-c0")
    assert len(built.closed) <= 2 * 20
    window = built.workflow.continuity_window_hours * 3600
    latest = 4 * 24 * 3600.0 + 10 * 19 + 2
    assert all(latest - at <= window + 60 for _agent, at in built._last_helped.values())
    # an abandon a day old cannot give a place back: nothing of it is kept
    assert set(built._abandoned) <= {f"d4-cus{n}" for n in range(20)}


def test_a_customer_who_comes_back_in_time_still_gets_their_place_after_forgetting() -> None:
    built = world.engine()
    world.only(built, "west-")  # east-1 has nobody: the customer waits
    built.submit(world.call("c1", customer="ann"), world.at(0))
    built.abandon("c1", world.at(30))
    built.advance(world.at(30 + 59))  # a forgetting pass runs meanwhile (once a minute)
    built.advance(world.at(30 + 59.5))
    out = built.submit(world.call("c2", customer="ann"), world.at(30 + 59.9))
    assert any(d.kind is DecisionKind.PLACE_RESTORED for d in out)
