"""A case: one customer problem that may span several contacts, with its SLA clocks and its
place on the escalation ladder (DOMAIN.md 1 and 4; issue 7 items 1-2).

    new -(first reply)-> open <-(pause / resume)-> pending_customer
    new | open | pending_customer -(solve)-> solved -(close)-> closed
    solved -(the customer writes on it)-> open

A case opens at frontline (or straight at social-media care or executive care, which customers
reach on their own channels) with a first-response and a resolution clock on the holding team's
calendar. A customer's message starts the next-response clock; a reply stops it. Waiting on the
customer pauses every pausable clock. Each escalation (`domain/escalation.py`) hands the case to
the next holder with a note, restarts the first-response and resolution clocks with the new
rung's targets on the new holder's calendar, and for regulator complaints and chargebacks adds a
fixed deadline that nothing pauses. Before any clock is stopped or replaced its due alerts are
raised, so a breach is never dropped by a move; `sweep` raises the rest as time passes.

Every change appends a `CaseStep` (the case's history, shown on the customer's timeline; notes
marked internal are for staff only) and a domain event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.case_events import (
    CaseEscalated,
    CaseOpened,
    CaseRequestFiled,
    CaseStateChanged,
    SlaBreached,
    SlaBreachWarning,
)
from teamline.domain.case_steps import (
    TEXT_MAX,
    CaseStep,
    Escalation,
    StepKind,
    deadline_clocks,
    text,
)
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.escalation import Level, MoveKind, handoff_note, resolve
from teamline.domain.events import Event
from teamline.domain.hours import require_aware
from teamline.domain.sla import Alert, ClockKind, SlaClock
from teamline.domain.sla_policy import Priority, SlaPolicy

MACHINE = "case"
DETAIL_MAX = 200  # a step's detail: what it refers to (a contact, a mail, a clock)
SUBJECT_MAX = 200
OPENING_LEVELS = frozenset({Level.FRONTLINE, Level.SOCIAL_CARE, Level.EXECUTIVE_CARE})


class CaseState(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    SOLVED = "solved"
    CLOSED = "closed"


ACTIVE = frozenset({CaseState.NEW, CaseState.OPEN, CaseState.PENDING_CUSTOMER})


@dataclass
class Case:
    id: str
    customer_id: str
    subject: str
    priority: Priority
    team_id: str  # the team holding the case now
    home_team_id: str  # the customer's team: its supervisors take the supervisor rung
    created_at: datetime
    state: CaseState = CaseState.NEW
    level: Level = Level.FRONTLINE
    assignee_agent_id: str | None = None
    updated_at: datetime | None = None
    clocks: dict[ClockKind, SlaClock] = field(default_factory=dict)
    regulator_id: str | None = None
    card_issuer: str | None = None
    filed_request: str = ""
    resolution: str = ""
    version: int = 0
    steps: list[CaseStep] = field(default_factory=list, compare=False, repr=False)  # unsaved
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def open(
        cls,
        case_id: str,
        customer_id: str,
        subject: str,
        priority: Priority,
        team_id: str,
        home_team_id: str,
        calendar: BusinessCalendar,
        policy: SlaPolicy,
        now: datetime,
        actor_id: str | None,
        level: Level = Level.FRONTLINE,
        contact_id: str | None = None,
        note: str = "",
        detail: str = "",
    ) -> Case:
        require_aware(now)
        if level not in OPENING_LEVELS:
            names = ", ".join(sorted(lv.value for lv in OPENING_LEVELS))
            raise InvalidInput("level", f"a case opens at {names}; escalate it to go further")
        case = cls(
            case_id,
            customer_id,
            text("subject", subject, SUBJECT_MAX, required=True),
            priority,
            team_id,
            home_team_id,
            now,
            level=level,
            updated_at=now,
        )
        case._start_holder_clocks(calendar, policy, now)
        case._step(
            now,
            StepKind.OPENED,
            actor_id,
            note=text("note", note, TEXT_MAX, required=False),
            detail=detail[:DETAIL_MAX],
        )
        case.events.append(
            CaseOpened(
                at=now,
                case_id=case_id,
                customer_id=customer_id,
                level=level.value,
                team_id=team_id,
                priority=priority.value,
                contact_id=contact_id,
            )
        )
        if contact_id is not None:
            case.link_contact(contact_id, now, actor_id)
        return case

    # --- bookkeeping ---------------------------------------------------------------------

    def _step(
        self,
        now: datetime,
        kind: StepKind,
        actor_id: str | None,
        *,
        note: str = "",
        internal: bool = False,
        from_level: Level | None = None,
        assignee_agent_id: str | None = None,
        detail: str = "",
    ) -> None:
        step = CaseStep(
            now, kind, self.level, actor_id, note, internal, from_level, assignee_agent_id, detail
        )
        self.steps.append(step)
        self.updated_at = now

    def _set_state(self, state: CaseState, now: datetime, actor_id: str | None) -> None:
        previous, self.state = self.state, state
        self.events.append(
            CaseStateChanged(
                at=now,
                case_id=self.id,
                customer_id=self.customer_id,
                state=state.value,
                previous_state=previous.value,
                actor_id=actor_id,
            )
        )

    def _require_active(self, action: str) -> None:
        if self.state not in ACTIVE:
            raise InvalidTransition(MACHINE, self.state.value, action)

    def _start_holder_clocks(
        self, calendar: BusinessCalendar, policy: SlaPolicy, now: datetime
    ) -> None:
        """First response and resolution for the current holder, with this rung's targets."""
        for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION):
            target = policy.target(self.level, self.priority, kind)
            self.clocks[kind] = SlaClock.start(kind, target, calendar, now, policy.warning_share)

    def _stop(self, kind: ClockKind, calendar: BusinessCalendar, now: datetime) -> None:
        clock = self.clocks.get(kind)
        if clock is not None and not clock.stopped:
            self.sweep(now)
            clock.stop(calendar, now)

    # --- SLA alerts ------------------------------------------------------------------------

    def sweep(self, now: datetime) -> int:
        """Raise every warning and breach whose instant has come, once each; how many."""
        raised = 0
        for kind, clock in sorted(self.clocks.items()):
            for alert in clock.due_alerts(now):
                raised += 1
                warning = alert is Alert.WARNING
                event = SlaBreachWarning if warning else SlaBreached
                self.events.append(
                    event(
                        at=now,
                        case_id=self.id,
                        customer_id=self.customer_id,
                        clock=kind.value,
                        level=self.level.value,
                        team_id=self.team_id,
                        due_at=clock.due_at,
                        regulator_id=self.regulator_id if kind is ClockKind.STATUTORY else None,
                        card_issuer=self.card_issuer if kind is ClockKind.ISSUER_DEADLINE else None,
                        assignee_agent_id=self.assignee_agent_id,
                    )
                )
                due = clock.warn_at if warning else clock.due_at
                self._step(
                    now,
                    StepKind.SLA_WARNING if warning else StepKind.SLA_BREACH,
                    None,
                    internal=True,
                    detail=f"{kind.value} due {due.isoformat() if due else ''}",
                )
        return raised

    @property
    def next_alert_at(self) -> datetime | None:
        instants = [i for c in self.clocks.values() if (i := c.next_alert_at()) is not None]
        return min(instants, default=None)

    # --- the conversation --------------------------------------------------------------------

    def link_contact(self, contact_id: str, now: datetime, actor_id: str | None) -> None:
        """Another call, message or visit about the same problem joins the case."""
        self._require_active("link a contact")
        self._step(now, StepKind.CONTACT_LINKED, actor_id, detail=contact_id)

    def respond(
        self,
        calendar: BusinessCalendar,
        now: datetime,
        actor_id: str,
        note: str = "",
        awaiting_customer: bool = False,
    ) -> None:
        """The holder answered the customer: first and next response are met."""
        self._require_active("respond")
        self._stop(ClockKind.FIRST_RESPONSE, calendar, now)
        self._stop(ClockKind.NEXT_RESPONSE, calendar, now)
        self._step(
            now, StepKind.RESPONDED, actor_id, note=text("note", note, TEXT_MAX, required=False)
        )
        if self.state is CaseState.NEW:
            self._set_state(CaseState.OPEN, now, actor_id)
        if awaiting_customer and self.state is CaseState.OPEN:
            self.pause(calendar, now, actor_id)

    def customer_replied(
        self,
        calendar: BusinessCalendar,
        policy: SlaPolicy,
        now: datetime,
        actor_id: str | None,
        detail: str = "",
    ) -> None:
        """The customer wrote again: a paused case resumes, a solved one opens again (it is
        not solved for them), and the next response is owed. A closed case stays closed."""
        if self.state is CaseState.SOLVED:
            self._reopen(calendar, policy, now, actor_id)
        self._require_active("record a customer reply")
        if self.state is CaseState.PENDING_CUSTOMER:
            self.resume(calendar, policy, now, actor_id)
        self._step(now, StepKind.CUSTOMER_REPLIED, actor_id, detail=detail[:DETAIL_MAX])
        first = self.clocks.get(ClockKind.FIRST_RESPONSE)
        if first is not None and not first.stopped:
            return  # the first answer is still owed; it answers this message too
        current = self.clocks.get(ClockKind.NEXT_RESPONSE)
        if current is None or current.stopped:
            target = policy.target(self.level, self.priority, ClockKind.NEXT_RESPONSE)
            self.clocks[ClockKind.NEXT_RESPONSE] = SlaClock.start(
                ClockKind.NEXT_RESPONSE, target, calendar, now, policy.warning_share
            )

    def pause(
        self, calendar: BusinessCalendar, now: datetime, actor_id: str | None, note: str = ""
    ) -> None:
        """Waiting on the customer: pausable clocks stop counting until they answer."""
        if self.state is not CaseState.OPEN:
            raise InvalidTransition(MACHINE, self.state.value, CaseState.PENDING_CUSTOMER.value)
        self.sweep(now)
        for clock in self.clocks.values():
            clock.pause(calendar, now)
        self._step(
            now, StepKind.PAUSED, actor_id, note=text("note", note, TEXT_MAX, required=False)
        )
        self._set_state(CaseState.PENDING_CUSTOMER, now, actor_id)

    def resume(
        self, calendar: BusinessCalendar, policy: SlaPolicy, now: datetime, actor_id: str | None
    ) -> None:
        if self.state is not CaseState.PENDING_CUSTOMER:
            raise InvalidTransition(MACHINE, self.state.value, CaseState.OPEN.value)
        for clock in self.clocks.values():
            clock.resume(calendar, now, policy.warning_share)
        self._step(now, StepKind.RESUMED, actor_id)
        self._set_state(CaseState.OPEN, now, actor_id)

    def solve(
        self, calendar: BusinessCalendar, now: datetime, actor_id: str, resolution: str
    ) -> None:
        self._require_active(CaseState.SOLVED.value)
        self.resolution = text("resolution", resolution, TEXT_MAX, required=True)
        self.sweep(now)
        for clock in self.clocks.values():
            clock.stop(calendar, now)
        self._step(now, StepKind.SOLVED, actor_id, note=self.resolution)
        self._set_state(CaseState.SOLVED, now, actor_id)

    def _reopen(
        self, calendar: BusinessCalendar, policy: SlaPolicy, now: datetime, actor_id: str | None
    ) -> None:
        """The customer says a solved case is not solved: it opens again with the same holder,
        who owes a resolution within the rung's target from now (the old resolution clock was
        met when the case was solved and keeps that record in the history). Fixed deadlines
        (statutory, card issuer) were answered by the solution and stay as they are."""
        target = policy.target(self.level, self.priority, ClockKind.RESOLUTION)
        self.clocks[ClockKind.RESOLUTION] = SlaClock.start(
            ClockKind.RESOLUTION, target, calendar, now, policy.warning_share
        )
        self._step(now, StepKind.REOPENED, actor_id)
        self.resolution = ""  # the solved step keeps the solution that did not hold
        self._set_state(CaseState.OPEN, now, actor_id)

    def close(self, now: datetime, actor_id: str | None) -> None:
        if self.state is not CaseState.SOLVED:
            raise InvalidTransition(MACHINE, self.state.value, CaseState.CLOSED.value)
        self._step(now, StepKind.CLOSED, actor_id)
        self._set_state(CaseState.CLOSED, now, actor_id)

    # --- the ladder --------------------------------------------------------------------------

    def escalate(
        self,
        move: Escalation,
        to_team_id: str,
        calendar: BusinessCalendar,
        policy: SlaPolicy,
        now: datetime,
        actor_id: str,
    ) -> MoveKind:
        """Hand the case to the next holder with a note; restart the holder's clocks.

        `calendar` is the new holder's (the regulatory department keeps its own hours).
        """
        self._require_active(f"escalate to {move.target.value}")
        level, kind = resolve(self.level, move.target)
        note = handoff_note(move.note)
        filing = level is Level.SUPERVISOR and kind is MoveKind.UP
        # the customer's own words: they read their filed request (never the internal note)
        request = text("request", move.request, TEXT_MAX, required=filing)
        if kind is MoveKind.LATERAL:
            if move.assignee_agent_id is None:
                raise InvalidInput(
                    "assignee_agent_id", "name the other supervisor who takes the case"
                )
            if move.assignee_agent_id == self.assignee_agent_id:
                raise InvalidInput("assignee_agent_id", "a lateral move goes to another supervisor")
        fixed = deadline_clocks(move, level, calendar, policy, now)
        # alerts of the old holder's clocks are raised before the clocks are replaced; the new
        # holder's first response answers any message still waiting
        self.sweep(now)
        self.clocks.pop(ClockKind.NEXT_RESPONSE, None)
        previous = self.level
        self.level, self.team_id = level, to_team_id
        self.assignee_agent_id = move.assignee_agent_id
        if self.state is CaseState.PENDING_CUSTOMER:  # the new holder works it now
            self._set_state(CaseState.OPEN, now, actor_id)
        self._start_holder_clocks(calendar, policy, now)
        if ClockKind.STATUTORY in fixed and ClockKind.STATUTORY not in self.clocks:
            # back at the regulator after a chargeback: the first statutory deadline stands
            self.regulator_id = move.regulator_id
            self.clocks[ClockKind.STATUTORY] = fixed[ClockKind.STATUTORY]
        if ClockKind.ISSUER_DEADLINE in fixed:
            self.card_issuer = (move.card_issuer or "").strip()
            self.clocks[ClockKind.ISSUER_DEADLINE] = fixed[ClockKind.ISSUER_DEADLINE]
        step = StepKind.LATERAL if kind is MoveKind.LATERAL else StepKind.ESCALATED
        self._step(
            now,
            step,
            actor_id,
            note=note,
            internal=move.internal,
            from_level=previous,
            assignee_agent_id=move.assignee_agent_id,
            detail=move.target.value,
        )
        self.events.append(
            CaseEscalated(
                at=now,
                case_id=self.id,
                customer_id=self.customer_id,
                from_level=previous.value,
                to_level=level.value,
                lateral=kind is MoveKind.LATERAL,
                requested=move.target.value,
                team_id=to_team_id,
                assignee_agent_id=move.assignee_agent_id,
            )
        )
        if filing:
            # the supervisor files the request whatever the customer's attitude: the move itself
            # files it, so there is nothing to decline
            self.filed_request = request
            self._step(now, StepKind.REQUEST_FILED, actor_id, note=request)
            self.events.append(
                CaseRequestFiled(
                    at=now, case_id=self.id, customer_id=self.customer_id, level=level.value
                )
            )
        return kind
