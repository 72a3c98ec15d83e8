"""Who is idle longest (routing/agents.py): an agent's place in line is when they became free;
among agents free since the same instant, the one listed first goes first, and an agent who
declines an offer keeps their place."""

from __future__ import annotations

from routing.world import T0, at, call, engine, offered
from teamline.routing.model import Activity


def test_agents_free_since_the_same_instant_go_in_the_order_they_were_listed() -> None:
    e = engine(available=False)
    for agent_id in ("east-1-a2", "east-1-a1", "east-1-a3"):
        e.set_activity(agent_id, Activity.AVAILABLE, T0)
    assert offered(e.submit(call("c1"), at(1))) == {"c1": "east-1-a2"}
    assert offered(e.submit(call("c2"), at(2))) == {"c2": "east-1-a1"}


def test_an_agent_who_declines_keeps_their_place_in_line() -> None:
    e = engine(available=False)
    for agent_id in ("east-1-a1", "east-1-a2", "east-1-a3"):
        e.set_activity(agent_id, Activity.AVAILABLE, T0)
    assert offered(e.submit(call("c1"), at(1))) == {"c1": "east-1-a1"}
    # a1 declines: c1 goes to the next in line, and a1, free since T0, is first again
    assert offered(e.reject("c1", "east-1-a1", at(2))) == {"c1": "east-1-a2"}
    assert offered(e.submit(call("c2"), at(3))) == {"c2": "east-1-a1"}


def test_an_agent_free_longer_goes_before_one_listed_earlier() -> None:
    e = engine(available=False)
    e.set_activity("east-1-a1", Activity.AVAILABLE, T0)
    e.set_activity("east-1-a2", Activity.AVAILABLE, T0)
    assert offered(e.submit(call("c1"), at(1))) == {"c1": "east-1-a1"}
    e.accept("c1", "east-1-a1", at(2))
    e.complete("c1", at(3))  # a1 wraps up, then is free again from 33 s
    assert offered(e.submit(call("c2"), at(60))) == {"c2": "east-1-a2"}
