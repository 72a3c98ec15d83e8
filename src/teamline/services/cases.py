"""Cases as use cases (issue 7 items 1-2; rules in `domain/cases.py`, `domain/escalation.py`).

Staff open a case from a contact or for a customer (a customer may open one for themself), link
further contacts to it, answer, wait on the customer, escalate it along the ladder with a handoff
note, and solve it. Every case is held by a team, and its clocks count on that team's calendar
(the customer's segment picks the hours: postpaid is 24/7). The customer sees their own cases,
their state and deadlines, never a note marked internal; anyone else's case is "not found".
Each change writes its events and an audit row in the same transaction as the case.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.case_steps import CaseStep, Escalation, seen_by_customer
from teamline.domain.cases import Case
from teamline.domain.customers import Customer
from teamline.domain.enums import AgentLevel, Role, TeamKind
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.escalation import TEAM_KIND, Level, resolve
from teamline.domain.organisation import Team
from teamline.domain.policy_data import mapping_of
from teamline.domain.sla import ClockKind, ClockStatus
from teamline.domain.sla_policy import Priority, SlaPolicy
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff, require_supervisor
from teamline.store.uow import UnitOfWork

LIST_MAX = 100
# one change to a loaded case, on the holder's calendar
_Apply = Callable[[Case, BusinessCalendar, Customer], None]


@dataclass(frozen=True)
class CasePolicy:
    """The SLA policy and the executive office's own inbox (DOMAIN.md 4: reached by email)."""

    sla: SlaPolicy = field(default_factory=SlaPolicy)
    executive_inbox: str = "executive@teamline.example"


def load_case_policy(path: Path | None, executive_inbox: str) -> CasePolicy:
    """The SLA policy from YAML (`domain/sla_policy.py` shows the shape), or the defaults."""
    if path is None:
        return CasePolicy(SlaPolicy(), executive_inbox)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput("case_policy_path", f"cannot read {path}: {exc}") from exc
    return CasePolicy(SlaPolicy.from_mapping(mapping_of(data, "policy")), executive_inbox)


@dataclass(frozen=True)
class CaseDraft:
    subject: str
    priority: Priority = Priority.NORMAL
    customer_id: str | None = None  # for a customer (staff); a customer opens their own
    contact_id: str | None = None  # or from a contact: its customer is the case's
    level: Level = Level.FRONTLINE
    note: str = ""


@dataclass(frozen=True)
class ClockView:
    kind: ClockKind
    status: ClockStatus
    target_minutes: int
    due_at: datetime | None
    stopped_at: datetime | None


@dataclass(frozen=True)
class CaseView:
    case: Case
    clocks: list[ClockView]
    steps: list[CaseStep]
    contact_ids: list[str]
    contact_address: str | None  # where the customer writes to the holder (executive inbox)


def new_case_id() -> str:
    return f"CS-{uuid.uuid4().hex[:12].upper()}"


def team_for(uow: UnitOfWork, level: Level, customer: Customer) -> Team:
    """The team that holds a case at `level`: the customer's own team for frontline and the
    supervisor rung (its supervisors), a special team otherwise (cutting across teams)."""
    kind = TEAM_KIND[level]
    if kind is None:
        if customer.home_team_id is not None and not customer.opted_out:
            own = uow.organisation.team(customer.home_team_id)
            if own is not None:
                return own
        kind = TeamKind.NATIONAL_POOL  # opted out of a team, or none yet: standard care
    team = next((t for t in uow.organisation.teams() if t.kind is kind), None)
    if team is None:
        raise Conflict(f"no {kind.value} team is set up to take a {level.value} case")
    return team


def calendar_of(team: Team, customer: Customer) -> BusinessCalendar:
    return BusinessCalendar(team.hours.for_segment(customer.segment.value), team.timezone)


def _view(uow: UnitOfWork, actor: User, case: Case, policy: CasePolicy, now: datetime) -> CaseView:
    clocks = [
        ClockView(k, c.status(now), int(c.target.total_seconds() // 60), c.due_at, c.stopped_at)
        for k, c in sorted(case.clocks.items())
    ]
    steps = uow.cases.steps(case.id)
    if not actor.sees_internal_notes:
        steps = [s for step in steps if (s := seen_by_customer(step)) is not None]
    address = policy.executive_inbox if case.level is Level.EXECUTIVE_CARE else None
    return CaseView(case, clocks, steps, uow.cases.contact_ids(case.id), address)


def _access_case(uow: UnitOfWork, actor: User, case_id: str, *, lock: bool = False) -> Case:
    case = uow.cases.get(case_id, for_update=lock)
    if case is None or not actor.may_see_customer(case.customer_id):
        raise NotFound(f"case {case_id!r} not found")
    return case


def record(uow: UnitOfWork, actor: User | None, case: Case, action: str, now: datetime) -> None:
    for event in case.events:
        uow.journal.record(event)
    case.events.clear()
    detail = {"state": case.state.value, "level": case.level.value, "customer_id": case.customer_id}
    uow.journal.audit(now, actor.id if actor else None, action, "case", case.id, detail)


def _change(
    uow: UnitOfWork, actor: User, case_id: str, policy: CasePolicy, now: datetime, action: str,
    apply: _Apply,
) -> CaseView:  # fmt: skip
    """Load (locked), apply one domain change on the holder's calendar, save, record, commit."""
    with uow:
        case = _access_case(uow, actor, case_id, lock=True)
        customer = access_customer(uow, actor, case.customer_id)
        team = uow.organisation.team(case.team_id)
        assert team is not None  # a foreign key
        apply(case, calendar_of(team, customer), customer)
        uow.cases.save(case)
        record(uow, actor, case, action, now)
        view = _view(uow, actor, case, policy, now)
        uow.commit()
        return view


def open_case(
    uow: UnitOfWork, actor: User, draft: CaseDraft, policy: CasePolicy, now: datetime
) -> CaseView:
    """Open a case for a customer, or from a contact (which joins the case)."""
    if not actor.is_staff and actor.role is not Role.CUSTOMER:
        raise PermissionDenied("only staff and customers open cases")
    with uow:
        customer_id = draft.customer_id
        if draft.contact_id is not None:
            require_staff(actor, "open a case from a contact")
            contact = uow.timeline.contact(draft.contact_id)
            if contact is None:
                raise NotFound(f"contact {draft.contact_id!r} not found")
            if customer_id is not None and customer_id != contact.customer_id:
                raise InvalidInput("customer_id", "the contact belongs to another customer")
            if uow.cases.case_of_contact(contact.id) is not None:
                raise Conflict(f"contact {contact.id} already belongs to a case")
            customer_id = contact.customer_id
        customer_id = customer_id or actor.customer_id
        if customer_id is None:
            raise InvalidInput("customer_id", "name the customer, or the contact, the case is for")
        customer = access_customer(uow, actor, customer_id)
        team = team_for(uow, draft.level, customer)
        home = team_for(uow, Level.FRONTLINE, customer)
        case = Case.open(
            new_case_id(), customer.id, draft.subject, draft.priority, team.id, home.id,
            calendar_of(team, customer), policy.sla, now, actor.id, draft.level, draft.contact_id,
            draft.note,
        )  # fmt: skip
        uow.cases.add(case)
        record(uow, actor, case, "case.open", now)
        view = _view(uow, actor, case, policy, now)
        uow.commit()
        return view


def get_case(
    uow: UnitOfWork, actor: User, case_id: str, policy: CasePolicy, now: datetime
) -> CaseView:
    """A case with its clocks and history (staff, or the customer it is for)."""
    with uow:
        return _view(uow, actor, _access_case(uow, actor, case_id), policy, now)


def link_contact(
    uow: UnitOfWork, actor: User, case_id: str, contact_id: str, policy: CasePolicy, now: datetime
) -> CaseView:
    """Another contact about the same problem joins the case (staff)."""
    require_staff(actor, "link contacts to cases")

    def apply(case: Case, calendar: BusinessCalendar, customer: Customer) -> None:
        contact = uow.timeline.contact(contact_id)
        if contact is None or contact.customer_id != case.customer_id:
            raise InvalidInput("contact_id", f"{contact_id!r} is not a contact of this customer")
        if uow.cases.case_of_contact(contact_id) is not None:
            raise Conflict(f"contact {contact_id} already belongs to a case")
        case.link_contact(contact_id, now, actor.id)

    return _change(uow, actor, case_id, policy, now, "case.link_contact", apply)


def reply(
    uow: UnitOfWork, actor: User, case_id: str, policy: CasePolicy, now: datetime,
    *, from_customer: bool = False, awaiting_customer: bool = False, note: str = "",
) -> CaseView:  # fmt: skip
    """A reply on the case: staff answering (first/next response met, optionally now waiting on
    the customer), or the customer writing (staff may record it for them: a call, a visit)."""
    customer_side = from_customer or actor.role is Role.CUSTOMER
    if customer_side and awaiting_customer:
        raise InvalidInput("awaiting_customer", "only an answer from staff waits on the customer")

    def apply(case: Case, calendar: BusinessCalendar, customer: Customer) -> None:
        if customer_side:
            case.customer_replied(calendar, policy.sla, now, actor.id)
        else:
            case.respond(calendar, now, actor.id, note, awaiting_customer)

    if not customer_side:
        require_staff(actor, "answer cases")
    return _change(uow, actor, case_id, policy, now, "case.reply", apply)


def pause_case(
    uow: UnitOfWork, actor: User, case_id: str, note: str, policy: CasePolicy, now: datetime
) -> CaseView:
    """Wait on the customer: the pausable clocks stop counting (staff)."""
    require_staff(actor, "pause cases")
    return _change(
        uow, actor, case_id, policy, now, "case.pause",
        lambda case, calendar, _c: case.pause(calendar, now, actor.id, note),
    )  # fmt: skip


def resume_case(
    uow: UnitOfWork, actor: User, case_id: str, policy: CasePolicy, now: datetime
) -> CaseView:
    """The wait is over (staff): the clocks count again from now."""
    require_staff(actor, "resume cases")
    return _change(
        uow, actor, case_id, policy, now, "case.resume",
        lambda case, calendar, _c: case.resume(calendar, policy.sla, now, actor.id),
    )  # fmt: skip


def solve_case(
    uow: UnitOfWork, actor: User, case_id: str, resolution: str, policy: CasePolicy, now: datetime
) -> CaseView:
    require_staff(actor, "solve cases")
    return _change(
        uow, actor, case_id, policy, now, "case.solve",
        lambda case, calendar, _c: case.solve(calendar, now, actor.id, resolution),
    )  # fmt: skip


def close_case(
    uow: UnitOfWork, actor: User, case_id: str, policy: CasePolicy, now: datetime
) -> CaseView:
    """A solved case is closed (staff): nothing more happens on it."""
    require_staff(actor, "close cases")
    return _change(
        uow, actor, case_id, policy, now, "case.close",
        lambda case, _calendar, _c: case.close(now, actor.id),
    )  # fmt: skip


def escalate_case(
    uow: UnitOfWork, actor: User, case_id: str, move: Escalation, policy: CasePolicy, now: datetime
) -> CaseView:
    """Hand the case up (or across) the ladder with a handoff note (staff). The new holder is
    the team of the new rung; a named assignee must exist, and at the supervisor rung be a
    supervisor."""
    require_staff(actor, "escalate cases")
    with uow:
        case = _access_case(uow, actor, case_id, lock=True)
        customer = access_customer(uow, actor, case.customer_id)
        level, _kind = resolve(case.level, move.target)
        team = team_for(uow, level, customer)
        if move.assignee_agent_id is not None:
            agent = uow.organisation.agent(move.assignee_agent_id)
            if agent is None:
                raise InvalidInput(
                    "assignee_agent_id", f"{move.assignee_agent_id!r} is not an agent"
                )
            if level is Level.SUPERVISOR and agent.level is not AgentLevel.SUPERVISOR:
                raise InvalidInput("assignee_agent_id", f"{agent.first_name} is not a supervisor")
        case.escalate(move, team.id, calendar_of(team, customer), policy.sla, now, actor.id)
        uow.cases.save(case)
        record(uow, actor, case, f"case.escalate.{move.target.value}", now)
        view = _view(uow, actor, case, policy, now)
        uow.commit()
        return view


def customer_cases(
    uow: UnitOfWork, actor: User, customer_id: str, policy: CasePolicy, now: datetime
) -> list[CaseView]:
    """A customer's cases, newest first (staff, or the customer themself)."""
    with uow:
        customer = access_customer(uow, actor, customer_id)
        views = []
        for case_id in uow.cases.of_customer(customer.id, LIST_MAX):
            case = uow.cases.get(case_id)
            assert case is not None
            views.append(_view(uow, actor, case, policy, now))
        return views


def breached_cases(
    uow: UnitOfWork, actor: User, policy: CasePolicy, now: datetime
) -> list[CaseView]:
    """Open cases with a breached clock, oldest first (supervisors, admins)."""
    require_supervisor(actor, "list SLA breaches")
    with uow:
        views = []
        for case_id in uow.cases.breached(now, LIST_MAX):
            case = uow.cases.get(case_id)
            assert case is not None
            views.append(_view(uow, actor, case, policy, now))
        return views
