"""Cases and the escalation ladder, every step: frontline -> escalation team -> supervisor (who
files the request), the lateral "supervisor's supervisor", executive care, social-media care,
regulator complaints with their statutory deadline, chargebacks with the issuer's deadline."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.case_events import (
    CaseEscalated,
    CaseRequestFiled,
    CaseStateChanged,
    SlaBreached,
)
from teamline.domain.case_steps import Escalation, StepKind
from teamline.domain.cases import Case, CaseState
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.escalation import ALLOWED, Level, Target
from teamline.domain.hours import WeeklyHours
from teamline.domain.sla import ClockKind, ClockStatus
from teamline.domain.sla_policy import Priority, SlaPolicy

CHICAGO = "America/Chicago"
NEW_YORK = "America/New_York"
TEAM = BusinessCalendar(
    WeeklyHours.from_mapping(
        dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "08:00-21:00")
    ),
    CHICAGO,
)
REGULATORY = BusinessCalendar(
    WeeklyHours.from_mapping(dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-17:00")),
    NEW_YORK,
)
POLICY = SlaPolicy()
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(CHICAGO))


def new_case(level: Level = Level.FRONTLINE) -> Case:
    return Case.open(
        "case-1",
        "cus-1",
        "No signal at home",
        Priority.NORMAL,
        "team-a",
        "team-a",
        TEAM,
        POLICY,
        NOW,
        "usr-agent",
        level=level,
        contact_id="con-1",
    )


def climb(case: Case, *targets: Target, assignee: str | None = None) -> None:
    for i, target in enumerate(targets):
        case.escalate(
            Escalation(
                target,
                f"step {i}: the story so far",
                assignee_agent_id=assignee,
                request="a credit for the outage",
            ),
            "team-x",
            TEAM,
            POLICY,
            NOW + timedelta(minutes=i + 1),
            "usr-agent",
        )


def test_a_new_case_has_first_response_and_resolution_clocks_and_links_its_contact() -> None:
    case = new_case()
    assert case.state is CaseState.NEW and case.level is Level.FRONTLINE
    assert set(case.clocks) == {ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION}
    assert case.clocks[ClockKind.FIRST_RESPONSE].due_at == NOW + timedelta(hours=1)
    assert [s.kind for s in case.steps] == [StepKind.OPENED, StepKind.CONTACT_LINKED]


def test_replies_stop_first_and_next_response_and_a_customer_message_starts_next() -> None:
    case = new_case()
    case.respond(TEAM, NOW + timedelta(minutes=5), "usr-agent")
    assert case.state is CaseState.OPEN
    assert case.clocks[ClockKind.FIRST_RESPONSE].status(NOW) is ClockStatus.MET
    case.customer_replied(TEAM, POLICY, NOW + timedelta(minutes=30), None)
    nxt = case.clocks[ClockKind.NEXT_RESPONSE]
    assert nxt.due_at == NOW + timedelta(minutes=30, hours=4)
    case.respond(TEAM, NOW + timedelta(hours=1), "usr-agent", awaiting_customer=True)
    assert nxt.stopped and case.state is CaseState.PENDING_CUSTOMER
    assert not case.clocks[ClockKind.RESOLUTION].running  # paused while waiting on them
    case.customer_replied(TEAM, POLICY, NOW + timedelta(days=2), None)
    assert case.state is CaseState.OPEN and case.clocks[ClockKind.RESOLUTION].running


def test_frontline_escalation_team_supervisor_with_a_handoff_note_at_each_rung() -> None:
    case = new_case()
    climb(case, Target.ESCALATION, Target.SUPERVISOR)
    assert case.level is Level.SUPERVISOR
    moves = [s for s in case.steps if s.kind is StepKind.ESCALATED]
    assert [(m.from_level, m.level) for m in moves] == [
        (Level.FRONTLINE, Level.ESCALATION),
        (Level.ESCALATION, Level.SUPERVISOR),
    ]
    assert all(m.note for m in moves)
    # each rung brings its own SLA: the supervisor's first response target, not frontline's
    first = case.clocks[ClockKind.FIRST_RESPONSE]
    assert first.target == POLICY.target(
        Level.SUPERVISOR, Priority.NORMAL, ClockKind.FIRST_RESPONSE
    )


def test_the_supervisor_files_the_request_whatever_the_attitude() -> None:
    case = new_case()
    case.escalate(Escalation(Target.ESCALATION, "wants a refund"), "esc", TEAM, POLICY, NOW, "u")
    # the request is what gets filed, in the customer's words: it cannot be left out
    with pytest.raises(InvalidInput) as error:
        case.escalate(Escalation(Target.SUPERVISOR, "n"), "team-a", TEAM, POLICY, NOW, "u")
    assert error.value.field == "request"
    case.escalate(
        Escalation(Target.SUPERVISOR, "customer is shouting", request="Refund the $40 fee"),
        "team-a",
        TEAM,
        POLICY,
        NOW,
        "u",
    )
    assert case.filed_request == "Refund the $40 fee"
    assert any(isinstance(e, CaseRequestFiled) for e in case.events)
    assert case.steps[-1].kind is StepKind.REQUEST_FILED and not case.steps[-1].internal
    # there is no input for attitude: the move takes none, so nothing can refuse on it
    with pytest.raises(TypeError):
        Escalation(Target.SUPERVISOR, "note", attitude="rude")  # type: ignore[call-arg]


def test_frontline_cannot_skip_the_escalation_team() -> None:
    with pytest.raises(InvalidTransition):
        climb(new_case(), Target.SUPERVISOR)


def test_the_supervisors_supervisor_is_another_supervisor_recorded_as_lateral() -> None:
    case = new_case()
    climb(case, Target.ESCALATION)
    case.escalate(
        Escalation(
            Target.SUPERVISOR, "story", assignee_agent_id="agt-sup-1", request="a new router"
        ),
        "team-a",
        TEAM,
        POLICY,
        NOW,
        "u",
    )
    case.escalate(
        Escalation(
            Target.SUPERVISORS_SUPERVISOR, "asks for my boss", assignee_agent_id="agt-sup-2"
        ),
        "team-a",
        TEAM,
        POLICY,
        NOW,
        "u",
    )
    assert case.level is Level.SUPERVISOR and case.assignee_agent_id == "agt-sup-2"
    assert case.steps[-1].kind is StepKind.LATERAL
    event = case.events[-1]
    assert (
        isinstance(event, CaseEscalated)
        and event.lateral
        and event.requested == "supervisors_supervisor"
    )
    # it must be another supervisor, and named
    for assignee, field in (("agt-sup-2", "assignee_agent_id"), (None, "assignee_agent_id")):
        with pytest.raises(InvalidInput) as error:
            case.escalate(
                Escalation(Target.SUPERVISORS_SUPERVISOR, "again", assignee_agent_id=assignee),
                "team-a",
                TEAM,
                POLICY,
                NOW,
                "u",
            )
        assert error.value.field == field


def test_the_supervisors_supervisor_below_the_supervisor_rung_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        climb(new_case(), Target.SUPERVISORS_SUPERVISOR)


def test_an_empty_handoff_note_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        new_case().escalate(Escalation(Target.ESCALATION, "   "), "esc", TEAM, POLICY, NOW, "u")
    assert error.value.field == "handoff_note"


def test_executive_care_cuts_across_teams_from_any_rung() -> None:
    for path in ((), (Target.ESCALATION,), (Target.ESCALATION, Target.SUPERVISOR)):
        case = new_case()
        climb(case, *path, Target.EXECUTIVE_CARE)
        assert case.level is Level.EXECUTIVE_CARE
    assert new_case(Level.EXECUTIVE_CARE).level is Level.EXECUTIVE_CARE  # reached by email


def test_social_media_care_has_its_fast_targets() -> None:
    case = new_case(Level.SOCIAL_CARE)
    assert case.clocks[ClockKind.FIRST_RESPONSE].target == timedelta(minutes=30)
    climb(case, Target.ESCALATION)
    assert case.level is Level.ESCALATION


def test_a_regulator_complaint_runs_to_its_statutory_deadline_in_the_departments_hours() -> None:
    case = new_case()
    case.respond(TEAM, NOW, "u", awaiting_customer=True)
    case.escalate(
        Escalation(Target.REGULATORY, "FCC complaint received", regulator_id="fcc"),
        "reg",
        REGULATORY,
        POLICY,
        NOW,
        "u",
    )
    statutory = case.clocks[ClockKind.STATUTORY]
    assert statutory.due_at == datetime(2026, 12, 25, tzinfo=ZoneInfo(NEW_YORK))
    assert case.regulator_id == "fcc" and case.state is CaseState.OPEN
    # the department's own hours: Tuesday 11:00 New York + 8 business hours = Wednesday 11:00
    assert case.clocks[ClockKind.FIRST_RESPONSE].due_at == datetime(
        2026, 11, 25, 11, 0, tzinfo=ZoneInfo(NEW_YORK)
    )
    case.pause(REGULATORY, NOW + timedelta(minutes=5), "u")
    assert statutory.running  # the statute does not wait for the customer
    missed = statutory.due_at + timedelta(seconds=1)
    assert case.sweep(missed) == 2  # the statute's warning and breach; the rest are paused
    breaches = [e for e in case.events if isinstance(e, SlaBreached) and e.clock == "statutory"]
    assert len(breaches) == 1 and breaches[0].regulator_id == "fcc"
    assert case.sweep(missed + timedelta(days=1)) == 0  # raised once


def test_a_regulator_complaint_names_a_configured_regulator() -> None:
    for regulator, field in ((None, "regulator_id"), ("nobody", "regulator")):
        with pytest.raises(InvalidInput) as error:
            new_case().escalate(
                Escalation(Target.REGULATORY, "note", regulator_id=regulator),
                "reg",
                REGULATORY,
                POLICY,
                NOW,
                "u",
            )
        assert error.value.field == field


def test_a_chargeback_is_tracked_to_the_issuers_deadline() -> None:
    case = new_case()
    deadline = NOW + timedelta(days=10)
    case.escalate(
        Escalation(
            Target.CHARGEBACK, "disputed $120", card_issuer="Big Bank", issuer_deadline=deadline
        ),
        "esc",
        TEAM,
        POLICY,
        NOW,
        "u",
    )
    assert case.clocks[ClockKind.ISSUER_DEADLINE].due_at == deadline
    assert case.card_issuer == "Big Bank"
    case.sweep(deadline)
    breach = [e for e in case.events if isinstance(e, SlaBreached) and e.clock == "issuer_deadline"]
    assert breach and breach[0].card_issuer == "Big Bank"
    for move, field in (
        (Escalation(Target.CHARGEBACK, "n", card_issuer="B"), "issuer_deadline"),
        (Escalation(Target.CHARGEBACK, "n", issuer_deadline=deadline), "card_issuer"),
        (
            Escalation(Target.CHARGEBACK, "n", card_issuer="B", issuer_deadline=NOW),
            "issuer_deadline",
        ),
        (Escalation(Target.ESCALATION, "n", card_issuer="B"), "card_issuer"),
    ):
        with pytest.raises(InvalidInput) as error:
            new_case().escalate(move, "esc", TEAM, POLICY, NOW, "u")
        assert error.value.field == field


def test_every_allowed_move_succeeds_and_every_other_is_refused() -> None:
    paths = {
        Level.FRONTLINE: (),
        Level.ESCALATION: (Target.ESCALATION,),
        Level.SUPERVISOR: (Target.ESCALATION, Target.SUPERVISOR),
        Level.SOCIAL_CARE: (Target.SOCIAL_CARE,),
        Level.EXECUTIVE_CARE: (Target.EXECUTIVE_CARE,),
        Level.REGULATORY: (Target.REGULATORY,),
        Level.CHARGEBACK: (Target.CHARGEBACK,),
    }
    for start, path in paths.items():
        for target in Target:
            case = new_case()
            for i, step in enumerate(path):
                case.escalate(_move(step, f"a{i}"), "t", TEAM, POLICY, NOW, "u")
            assert case.level is start
            level = (
                Level.SUPERVISOR if target is Target.SUPERVISORS_SUPERVISOR else Level(target.value)
            )
            allowed = level in ALLOWED[start] and (
                target is not Target.SUPERVISORS_SUPERVISOR or start is Level.SUPERVISOR
            )
            if allowed:
                case.escalate(_move(target, "z"), "t", REGULATORY, POLICY, NOW, "u")
                assert case.level is level
            else:
                with pytest.raises(InvalidTransition):
                    case.escalate(_move(target, "z"), "t", REGULATORY, POLICY, NOW, "u")


def _move(target: Target, assignee: str) -> Escalation:
    return Escalation(
        target,
        "the story",
        assignee_agent_id=assignee,
        request="a refund",
        regulator_id="fcc" if target is Target.REGULATORY else None,
        card_issuer="Bank" if target is Target.CHARGEBACK else None,
        issuer_deadline=NOW + timedelta(days=5) if target is Target.CHARGEBACK else None,
    )


def test_solving_stops_every_clock_and_raises_a_breach_it_finds() -> None:
    case = new_case()
    late = NOW + timedelta(hours=2)  # first response was due after 1 hour
    case.solve(TEAM, late, "u", "Replaced the router")
    assert case.state is CaseState.SOLVED
    assert [e.clock for e in case.events if isinstance(e, SlaBreached)] == ["first_response"]
    assert case.clocks[ClockKind.FIRST_RESPONSE].status(late) is ClockStatus.MET_LATE
    assert case.next_alert_at is None
    with pytest.raises(InvalidInput) as error:
        new_case().solve(TEAM, NOW, "u", " ")
    assert error.value.field == "resolution"
    with pytest.raises(InvalidTransition):
        case.escalate(Escalation(Target.ESCALATION, "n"), "e", TEAM, POLICY, NOW, "u")
    case.close(late, "u")
    assert case.state is CaseState.CLOSED


def test_a_customer_writing_on_a_solved_case_opens_it_again_with_a_fresh_resolution_clock() -> None:
    case = new_case()
    case.respond(TEAM, NOW + timedelta(minutes=10), "u")
    solved_at = NOW + timedelta(hours=3)
    case.solve(TEAM, solved_at, "u", "Replaced the router")
    old_resolution = case.clocks[ClockKind.RESOLUTION]
    back = solved_at + timedelta(days=1)
    case.customer_replied(TEAM, POLICY, back, "cus-user")
    assert case.state is CaseState.OPEN
    assert case.resolution == ""
    assert [s.kind for s in case.steps[-2:]] == [StepKind.REOPENED, StepKind.CUSTOMER_REPLIED]
    fresh = case.clocks[ClockKind.RESOLUTION]
    assert fresh is not old_resolution and fresh.status(back) is ClockStatus.RUNNING
    assert fresh.due_at is not None and fresh.due_at > back
    assert case.clocks[ClockKind.NEXT_RESPONSE].status(back) is ClockStatus.RUNNING
    changes = [e for e in case.events if isinstance(e, CaseStateChanged)]
    assert (changes[-1].previous_state, changes[-1].state) == ("solved", "open")
    # solved again, then closed: a closed case stays closed
    case.solve(TEAM, back + timedelta(hours=1), "u", "Moved the customer to the new mast")
    case.close(back + timedelta(hours=2), "u")
    with pytest.raises(InvalidTransition):
        case.customer_replied(TEAM, POLICY, back + timedelta(hours=3), None)
    assert case.state is CaseState.CLOSED
