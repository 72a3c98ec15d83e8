"""Each workflow rule of issue 3 as a readable scenario on the small world of `world.py`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from routing.world import T0, at, call, engine, offered, only
from teamline.domain.enums import AgentLevel, Channel, Segment
from teamline.domain.errors import Conflict, InvalidInput, InvalidTransition
from teamline.routing.model import Activity, ContactKind, DecisionKind, RouteState
from teamline.routing.workflow import RingKind, default_workflow


def test_a_contact_goes_first_to_the_longest_idle_agent_of_the_home_team() -> None:
    e = engine()
    decisions = e.submit(call("c1", team="west-1"), at(0))
    # agents became available in id order, so the first of west-1 has been idle longest
    assert offered(decisions) == {"c1": "west-1-a1"}
    assert "home team West One" in decisions[0].reasons


def test_the_team_closes_at_21_local_time_and_the_after_hours_pool_answers() -> None:
    e = engine()
    nine_pm_new_york = T0.replace(hour=2) + (T0 - T0)  # 02:00 UTC = 21:00 in New York
    nine_pm_new_york = nine_pm_new_york.replace(day=T0.day + 1)
    decisions = e.submit(call("late", team="east-1"), nine_pm_new_york)
    assert offered(decisions)["late"].startswith("national-")
    assert any("closed now" in r for r in decisions[0].reasons)
    # one minute earlier the team was still open
    e2 = engine()
    decisions = e2.submit(call("early", team="east-1"), nine_pm_new_york.replace(hour=1, minute=59))
    assert offered(decisions)["early"].startswith("east-1-")


def test_postpaid_customers_keep_their_team_24_7() -> None:
    e = engine()
    midnight_new_york = T0.replace(day=T0.day + 1, hour=5)
    decisions = e.submit(call("pp", team="east-1", segment=Segment.POSTPAID), midnight_new_york)
    assert offered(decisions)["pp"].startswith("east-1-")


def test_an_opted_out_customer_goes_to_the_national_pool_but_still_to_a_human() -> None:
    e = engine()
    decisions = e.submit(call("o", opted_out=True, human_required=True), at(0))
    assert offered(decisions)["o"].startswith("national-")


def test_the_agent_who_last_helped_gets_the_customer_back_when_free() -> None:
    e = engine()
    e.submit(call("first", customer="maria"), at(0))
    e.accept("first", "east-1-a1", at(1))
    e.complete("first", at(200))
    e.advance(at(240))  # wrap-up over
    decisions = e.submit(call("again", customer="maria", channel=Channel.CHAT), at(300))
    assert offered(decisions) == {"again": "east-1-a1"}
    assert any("continuity" in r for d in decisions for r in d.reasons)


def test_a_busy_continuity_agent_is_waited_for_only_while_sooner_than_the_team() -> None:
    e = engine()
    e.submit(call("first", customer="maria"), at(0))
    e.accept("first", "east-1-a1", at(1))
    e.complete("first", at(100))
    e.advance(at(140))
    for n in (2, 3):
        e.set_activity(f"east-1-a{n}", Activity.OFFLINE, at(141))
    e.submit(call("busy", customer="other"), at(150))  # only a1 is there: a1 takes it
    e.accept("busy", "east-1-a1", at(151))
    for n in (2, 3):
        e.set_activity(f"east-1-a{n}", Activity.AVAILABLE, at(152))
    # a1 is busy for a predicted ~handle time: far longer than the team's wait (0: free agents)
    decisions = e.submit(call("again", customer="maria"), at(160))
    assert offered(decisions)["again"] != "east-1-a1"


def a1_nearly_done_while_the_team_is_busy():  # type: ignore[no-untyped-def]
    """b1 was helped by a1; now a1 is on another call, nearly done, and the team is full."""
    e = engine()
    only(e, "east-1-")
    e.submit(call("first", customer="b1"), at(0))
    e.accept("first", "east-1-a1", at(0))
    e.complete("first", at(10))
    for n, agent in ((2, "east-1-a2"), (3, "east-1-a3")):
        e.submit(call(f"other{n}", customer=f"o{n}"), at(11))
        e.accept(f"other{n}", agent, at(11))
    e.submit(call("x", customer="someone"), at(41))  # a1 back from wrap-up takes it
    e.accept("x", "east-1-a1", at(42))
    decisions = e.submit(call("again", customer="b1"), at(280))
    assert e.state_of("again") is RouteState.QUEUED
    assert any("waits up to" in r for d in decisions for r in d.reasons)
    return e


def test_a_busy_continuity_agent_nearly_done_is_waited_for_and_gets_the_customer() -> None:
    e = a1_nearly_done_while_the_team_is_busy()
    e.complete("x", at(285))
    decisions = e.advance(at(316))  # a1's wrap-up ends at 315
    assert offered(decisions) == {"again": "east-1-a1"}


def test_a_continuity_hold_that_expires_hands_the_contact_to_the_rings() -> None:
    e = a1_nearly_done_while_the_team_is_busy()
    for n in (1, 2, 3):  # east-2 comes on shift
        e.set_activity(f"east-2-a{n}", Activity.AVAILABLE, at(281))
    decisions = e.advance(at(400))  # a1 never frees: the hold ends and east-2 lends
    assert any(d.kind is DecisionKind.STEP and "was not free in time" in d.reasons[0]
               for d in decisions)  # fmt: skip
    assert offered(decisions)["again"].startswith("east-2-")


def test_a_storm_floods_east_1_and_neighbours_answer_after_10_seconds_while_healthy() -> None:
    e = engine()
    for n in range(1, 4):
        e.submit(call(f"s{n}"), at(0))  # the three east-1 agents take the first three
    decisions = e.submit(call("s4"), at(1))
    assert "s4" not in offered(decisions)
    decisions = e.advance(at(11))  # 10 s after s4's start the neighbours ring opens
    assert offered(decisions)["s4"].startswith("east-2-")
    assert any(d.kind is DecisionKind.STEP and d.step == "neighbours" for d in decisions)


def test_an_unhealthy_neighbour_does_not_lend_and_the_wider_rings_take_over() -> None:
    rings = tuple(  # all teams at 20 s here, to see the neighbours' ring alone first
        replace(r, after_seconds=20) if r.kind is RingKind.ALL_TEAMS else r
        for r in default_workflow().rings
    )
    e = engine(replace(default_workflow(), rings=rings))
    for n in range(1, 4):  # east-2 is flooded too and has a queue of its own
        e.submit(call(f"e2-{n}", team="east-2"), at(0))
    for n in range(1, 6):
        e.submit(call(f"e2-q{n}", team="east-2"), at(0))
    assert not e.lending("east-2")
    for n in range(1, 4):
        e.submit(call(f"e1-{n}"), at(0))
    e.submit(call("e1-q"), at(1))
    taken = offered(e.advance(at(12)))
    # east-2 lends nothing; west-1 (the second neighbour of both) serves the older contacts
    assert not any(agent.startswith("east-2-") for agent in taken.values())
    assert sorted(taken) == ["e2-q1", "e2-q2", "e2-q3"]
    assert all(agent.startswith("west-1-") for agent in taken.values())
    # 15 s: the first offers time out unanswered; east-1's agents, free again, serve their own
    # queue first (a team with a queue is not healthy because one of its agents is free)
    retried = offered(e.advance(at(16)))
    assert {c: a for c, a in retried.items() if a.startswith("east-1-")} == {
        "e1-q": "east-1-a1", "e1-1": "east-1-a2", "e1-2": "east-1-a3"}  # fmt: skip
    widest = offered(e.advance(at(22)))  # 20 s: every healthy team may answer
    assert widest and all(a.startswith(("west-2-", "west-3-")) for a in widest.values())
    assert {"e2-3", "e1-3"} <= set(widest)


def test_higher_tiers_go_sooner_but_only_by_a_bounded_credit() -> None:
    e = engine()
    only(e, "east-1-")
    for n in range(1, 4):
        e.submit(call(f"busy{n}"), at(0))
        e.accept(f"busy{n}", f"east-1-a{n}", at(0))
    e.submit(call("tier0-early"), at(1))
    e.submit(call("tier5-later", tier=5), at(20))  # 30 s credit: effectively at -10 s
    e.submit(call("tier5-too-late", tier=5), at(40))  # effectively at +10 s: after tier0-early
    order = sorted(
        (c for c in e.contacts.values() if c.state is RouteState.QUEUED),
        key=lambda c: (c.key, c.seq),
    )
    assert [c.id for c in order] == ["tier5-later", "tier0-early", "tier5-too-late"]


def test_a_contact_that_waited_past_the_maximum_goes_before_every_credited_one() -> None:
    wf = replace(default_workflow(), max_wait_seconds=60, max_tier_credit_seconds=50)
    e = engine(wf)
    for team in ("east-1", "east-2", "west-1", "west-2", "west-3", "national"):
        for n in range(1, 4):
            e.set_activity(f"{team}-a{n}", Activity.OFFLINE, at(0))
    e.set_activity("east-1-sup", Activity.OFFLINE, at(0))
    e.submit(call("old"), at(0))
    e.advance(at(61))  # aged now
    e.submit(call("vip", tier=5), at(61))
    e.set_activity("east-1-a1", Activity.AVAILABLE, at(62))
    assert e.state_of("old") is RouteState.OFFERED
    assert e.state_of("vip") is RouteState.QUEUED


def test_a_callback_keeps_its_place_and_is_dialled_when_accepted() -> None:
    e = engine()
    only(e, "east-1-")
    for n in range(1, 4):
        e.submit(call(f"busy{n}"), at(0))
    for n in range(1, 4):
        e.accept(f"busy{n}", f"east-1-a{n}", at(1))
    e.submit(call("walk-in"), at(5))
    e.submit(call("cb", kind=ContactKind.CALLBACK, virtual_start=at(2)), at(8))
    e.complete("busy1", at(9))
    decisions = e.advance(at(40))  # after wrap-up (39 s), a1 takes the oldest: the callback
    assert offered(decisions).get("cb") == "east-1-a1"
    assert any(d.kind is DecisionKind.DIAL_CALLBACK for d in e.accept("cb", "east-1-a1", at(41)))


def test_a_customer_who_calls_back_within_60_s_of_hanging_up_keeps_their_place() -> None:
    e = engine()
    for n in range(1, 4):
        e.submit(call(f"busy{n}"), at(0))
    e.submit(call("gone", customer="anna"), at(1))
    e.submit(call("other"), at(5))
    e.abandon("gone", at(20))
    decisions = e.submit(call("back", customer="anna", channel=Channel.VOICE), at(50))
    assert any(d.kind is DecisionKind.PLACE_RESTORED for d in decisions)
    assert e.contacts["back"].key < e.contacts["other"].key
    e.abandon("back", at(60))
    late = e.submit(call("too-late", customer="anna"), at(200))
    assert not any(d.kind is DecisionKind.PLACE_RESTORED for d in late)


def test_two_simultaneous_contacts_of_one_customer_are_linked_not_routed_twice() -> None:
    e = engine()
    e.submit(call("phone", customer="bob"), at(0))
    decisions = e.submit(call("chat", customer="bob", channel=Channel.CHAT), at(1))
    assert [d.kind for d in decisions] == [DecisionKind.LINKED]
    assert e.state_of("chat") is RouteState.LINKED


def test_after_three_missed_offers_the_agent_is_paused_and_supervisors_told() -> None:
    e = engine()
    only(e, "east-1-a1")
    paused = []
    for n in range(3):  # three different contacts, each offered to a1 and never answered
        e.submit(call(f"m{n}"), at(20 * n))
        paused += [d for d in e.advance(at(20 * n + 16)) if d.kind is DecisionKind.AGENT_PAUSED]
    assert paused and paused[0].agent_id == "east-1-a1"
    assert e.agents["east-1-a1"].activity is Activity.BREAK


def test_a_call_takes_the_whole_agent_and_chats_multitask_up_to_capacity() -> None:
    e = engine()
    for team in ("east-2", "west-1", "west-2", "west-3", "national"):
        for n in range(1, 4):
            e.set_activity(f"{team}-a{n}", Activity.OFFLINE, at(0))
    for n in (2, 3):
        e.set_activity(f"east-1-a{n}", Activity.OFFLINE, at(0))
    for n in range(1, 5):
        e.submit(call(f"chat{n}", channel=Channel.CHAT), at(n))
    loads = e.agents["east-1-a1"].load
    assert loads[Channel.CHAT.capacity_class] == 3  # the fourth chat waits
    assert e.state_of("chat4") is RouteState.QUEUED
    e.submit(call("voice"), at(6))
    assert e.state_of("voice") is RouteState.QUEUED  # never beside chats


def test_a_contact_in_italian_goes_to_an_agent_who_speaks_it() -> None:
    e = engine()
    decisions = e.submit(call("ciao", language="it"), at(0))
    assert offered(decisions) == {"ciao": "east-1-a3"}


def test_a_scheduled_call_reserves_the_preferred_agent_at_its_time() -> None:
    e = engine()
    e.submit(call("later", kind=ContactKind.SCHEDULED, scheduled_for=at(3600),
                  preferred_agent_id="east-1-a2"), at(0))  # fmt: skip
    assert e.state_of("later") is RouteState.NEW
    decisions = e.advance(at(3600))
    assert offered(decisions) == {"later": "east-1-a2"}


def test_an_escalation_goes_to_the_escalation_team_then_to_supervisors() -> None:
    e = engine()
    e.set_activity("esc-1", Activity.OFFLINE, at(0))
    e.submit(call("angry", level=AgentLevel.ESCALATION), at(0))
    assert e.state_of("angry") is RouteState.QUEUED
    decisions = e.advance(at(61))
    assert offered(decisions) == {"angry": "east-1-sup"}


def test_a_transfer_keeps_the_place_in_line() -> None:
    e = engine()
    e.submit(call("t"), at(0))
    e.accept("t", "east-1-a1", at(1))
    start = e.contacts["t"].virtual_start
    decisions = e.transfer("t", at(100), to_team_id="west-1")
    assert offered(decisions)["t"].startswith("west-1-")
    assert e.contacts["t"].virtual_start == start


def test_a_surge_widens_overflow_at_once() -> None:
    e = engine(forecast_per_hour={"east-1": 4.0})  # 1 per 15 min expected
    decisions = []
    for n in range(1, 5):
        decisions += e.submit(call(f"storm{n}"), at(n))
    assert any(d.kind is DecisionKind.SURGE_STARTED and d.team_id == "east-1" for d in decisions)
    # storm4 found east-1 full but did not wait 10 s for the neighbours
    assert offered(decisions)["storm4"].startswith("east-2-")
    assert "east-1" in e.surging()


def test_bad_calls_are_refused_with_a_reason() -> None:
    e = engine()
    e.submit(call("x"), at(10))
    with pytest.raises(Conflict):
        e.submit(call("x"), at(11))
    with pytest.raises(InvalidInput):
        e.advance(at(5))  # time does not go backwards
    with pytest.raises(InvalidTransition):
        e.complete("x", at(12))  # offered, not assigned
    with pytest.raises(InvalidTransition):
        e.accept("x", "someone-else", at(12))
    with pytest.raises(InvalidInput):
        e.submit(call("y", tier=9), at(12))


def test_the_estimate_grows_with_the_line_and_suggests_a_callback_when_long() -> None:
    e = engine()
    for n in range(1, 4):
        e.submit(call(f"busy{n}"), at(0))
    for n in range(1, 6):
        e.submit(call(f"q{n}"), at(1))
    first, last = e.estimate("q1", at(2)), e.estimate("q5", at(2))
    assert first.position == 1 and last.position == 5
    assert 0 < first.seconds < last.seconds
    assert first.low <= first.seconds <= first.high
    assert last.offer_callback


def test_a_busy_team_lends_again_only_after_a_calm_spell_not_at_each_free_moment() -> None:
    e = engine(replace(default_workflow(), wrap_up_seconds=0, resume_lending_after_seconds=30))
    only(e, "east-")
    for team in ("east-1", "east-2"):  # both teams busy, one contact waiting at each
        for n in (1, 2, 3):
            e.submit(call(f"{team}-c{n}", team=team), at(0))
            e.accept(f"{team}-c{n}", f"{team}-a{n}", at(0))
        e.submit(call(f"{team}-q", team=team), at(0))
    stopped = e.advance(at(10))  # east-2's caller may borrow east-1 now, but east-1 has a queue
    assert "east-1" in [d.team_id for d in stopped if d.kind is DecisionKind.TEAM_UNHEALTHY]

    freed = e.complete("east-1-c1", at(12))  # a1 takes east-1's own caller: its queue is empty
    assert offered(freed) == {"east-1-q": "east-1-a1"}
    e.accept("east-1-q", "east-1-a1", at(12))
    idle = e.complete("east-1-c2", at(20))  # a2 is free, but east-1 has been calm only 8 s
    assert offered(idle) == {}
    assert DecisionKind.TEAM_HEALTHY not in [d.kind for d in idle + e.advance(at(41))]
    assert not e.lending("east-1")

    resumed = e.advance(at(42))  # 30 s calm: east-1 lends, and its free agent takes the overflow
    healthy = [d for d in resumed if d.kind is DecisionKind.TEAM_HEALTHY]
    assert [d.team_id for d in healthy] == ["east-1"] and "for 30 s" in healthy[0].reasons[0]
    assert offered(resumed) == {"east-2-q": "east-1-a2"}


def test_a_demoted_customer_gets_no_credit_and_never_goes_ahead_of_a_new_one() -> None:
    e = engine()
    only(e, "east-1-")
    for n in range(1, 4):
        e.submit(call(f"busy{n}"), at(0))
        e.accept(f"busy{n}", f"east-1-a{n}", at(0))
    e.submit(call("new", tier=0), at(1))
    e.submit(call("demoted", tier=1), at(2))  # a tier-1 credit would have put it first
    e.submit(call("good", tier=3), at(3))  # 18 s of credit: ahead of both
    e.complete("busy1", at(60))  # 30 s of wrap-up
    assert offered(e.advance(at(90))) == {"good": "east-1-a1"}
    e.accept("good", "east-1-a1", at(90))
    e.complete("busy2", at(91))
    assert offered(e.advance(at(125))) == {"new": "east-1-a2"}


def test_a_call_is_not_held_behind_the_customers_waiting_message_but_a_second_call_is_linked() -> (
    None
):
    e = engine()
    only(e, "east-1-a1")
    e.submit(call("busy"), at(0))
    e.accept("busy", "east-1-a1", at(0))
    e.submit(call("note", customer="bob", channel=Channel.ASYNC), at(1))  # waits for an agent
    rang = e.submit(call("phone", customer="bob"), at(2))
    assert DecisionKind.LINKED not in [d.kind for d in rang]  # the caller is routed, not parked
    assert e.state_of("phone") is RouteState.QUEUED
    again = e.submit(call("phone-2", customer="bob"), at(3))  # a second call: linked to the first
    assert [d.kind for d in again] == [DecisionKind.LINKED]
    more = e.submit(call("note-2", customer="bob", channel=Channel.ASYNC), at(4))
    assert [d.kind for d in more] == [DecisionKind.LINKED]  # a message while on the phone
