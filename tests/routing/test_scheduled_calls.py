"""Scheduled calls in the engine: a call booked for later neither swallows nor is swallowed by
the customer's contacts meanwhile, goes where that hour's rules send it, and is dialled when its
agent accepts it (DOMAIN.md section 1: "schedule a call for a chosen time")."""

from __future__ import annotations

from routing.world import at, call, engine, offered
from teamline.routing.model import ContactKind, DecisionKind, RouteState

HOUR = 3600


def test_a_customer_who_booked_a_call_for_later_still_gets_through_now() -> None:
    e = engine()
    e.submit(call("tomorrow", customer="ann", kind=ContactKind.SCHEDULED,
                  scheduled_for=at(20 * HOUR)), at(0))  # fmt: skip
    decisions = e.submit(call("now", customer="ann"), at(60))
    assert "now" in offered(decisions)
    assert e.state_of("tomorrow") is RouteState.NEW


def test_a_call_booked_during_a_conversation_waits_for_its_time_and_is_dialled() -> None:
    e = engine()
    e.submit(call("talking", customer="ann"), at(0))
    e.accept("talking", "east-1-a1", at(1))
    e.submit(call("follow-up", customer="ann", kind=ContactKind.SCHEDULED,
                  scheduled_for=at(HOUR), preferred_agent_id="east-1-a1"), at(60))  # fmt: skip
    assert e.state_of("follow-up") is RouteState.NEW  # not linked to the call in progress
    e.complete("talking", at(120))
    decisions = e.advance(at(HOUR))
    assert offered(decisions) == {"follow-up": "east-1-a1"}
    accepted = e.accept("follow-up", "east-1-a1", at(HOUR + 5))
    assert [d.kind for d in accepted] == [DecisionKind.ASSIGNED, DecisionKind.DIAL_CALLBACK]


def test_a_call_booked_at_night_for_the_morning_goes_to_the_home_team() -> None:
    e = engine()
    # 22:00 in New York: east-1 is closed, so a call now would go to the national pool
    night, morning = 7 * HOUR, 19 * HOUR  # and 10:00 the next morning
    e.submit(call("booked", kind=ContactKind.SCHEDULED, scheduled_for=at(morning)), at(night))
    decisions = e.advance(at(morning))
    assert offered(decisions)["booked"].startswith("east-1-")
