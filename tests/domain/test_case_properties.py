"""Invariants of a case's clocks under any sequence of replies, pauses, resumes, handoffs and
sweeps at increasing instants: every clock raises at most one warning and one breach, a warning
never after its breach, nothing while paused, and a breach only once its due instant has come."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.case_events import SlaBreached, SlaBreachWarning
from teamline.domain.case_steps import Escalation
from teamline.domain.cases import Case, CaseState
from teamline.domain.errors import InvalidTransition
from teamline.domain.escalation import Target
from teamline.domain.hours import WeeklyHours
from teamline.domain.sla_policy import Priority, SlaPolicy

CALENDAR = BusinessCalendar(
    WeeklyHours.from_mapping(dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-17:00")),
    "Europe/Rome",
)
POLICY = SlaPolicy()
START = datetime(2026, 10, 23, 8, 0, tzinfo=ZoneInfo("Europe/Rome"))  # the autumn change ahead
ACTIONS = ("respond", "wait", "customer", "pause", "resume", "escalate", "sweep", "solve")


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 3 * 24 * 60)), min_size=1, max_size=25
    ),
    st.sampled_from(list(Priority)),
)
def test_alerts_are_raised_once_in_order_and_never_early(
    steps: list[tuple[str, int]], priority: Priority
) -> None:
    case = Case.open("c", "cus", "s", priority, "t", "t", CALENDAR, POLICY, START, "u")
    now = START
    raised: list[tuple[str, str, datetime, datetime | None]] = []
    reopenings = 0  # a customer writing on a solved case renews its resolution clock
    for action, minutes in steps:
        now += timedelta(minutes=minutes)
        seen = len(case.events)
        waiting = case.state is CaseState.PENDING_CUSTOMER
        try:
            if action == "respond":
                case.respond(CALENDAR, now, "u")
            elif action == "wait":
                case.respond(CALENDAR, now, "u", awaiting_customer=True)
            elif action == "customer":
                solved = case.state is CaseState.SOLVED
                case.customer_replied(CALENDAR, POLICY, now, None)
                reopenings += solved
            elif action == "pause":
                case.pause(CALENDAR, now, "u")
            elif action == "resume":
                case.resume(CALENDAR, POLICY, now, "u")
            elif action == "escalate":
                case.escalate(Escalation(Target.CHARGEBACK, "n", card_issuer="Bank",
                                         issuer_deadline=now + timedelta(days=3)),
                              "t", CALENDAR, POLICY, now, "u")  # fmt: skip
            elif action == "sweep":
                case.sweep(now)
            else:
                case.solve(CALENDAR, now, "u", "done")
        except InvalidTransition:
            continue  # a move the state machine refuses changes nothing
        for event in case.events[seen:]:
            if isinstance(event, SlaBreachWarning | SlaBreached):
                kind = "warning" if isinstance(event, SlaBreachWarning) else "breach"
                raised.append((event.clock, kind, event.at, event.due_at))
                if waiting and action == "sweep":  # paused clocks raise nothing
                    assert event.clock in ("statutory", "issuer_deadline")
        if action == "sweep":  # everything due has been raised
            assert case.next_alert_at is None or case.next_alert_at > now
    # a clock instance is renewed only by a handoff (escalate), a new customer message, or (the
    # resolution clock) the customer writing on a solved case;
    # between renewals each (clock, kind) appears at most once, warning first
    generations = Counter[tuple[str, str]]()
    for clock, kind, at, due in raised:
        generations[(clock, kind)] += 1
        if kind == "breach":
            assert due is not None and at >= due
            assert generations[(clock, "warning")] >= generations[(clock, "breach")]
    escalations = sum(1 for a, _ in steps if a == "escalate")
    customer_msgs = sum(1 for a, _ in steps if a in ("customer", "escalate"))
    for (clock, _kind), count in generations.items():
        renewals = {"next_response": customer_msgs, "resolution": escalations + reopenings}.get(
            clock, escalations
        )
        assert count <= renewals + 1
