"""Events of cases and their SLA clocks (issue 7), written to the outbox by the use case (or the
sweep) that caused them. A breach warning and a breach are raised once per clock; the regulator's
statutory deadline and the card issuer's deadline breach as `sla.breached` like any other clock,
with `regulator_id` / `card_issuer` set, so a missed statutory deadline always raises an alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from teamline.domain.events import Event


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseOpened(Event):
    name: ClassVar[str] = "case.opened"
    case_id: str
    customer_id: str
    level: str
    team_id: str
    priority: str
    contact_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseStateChanged(Event):
    name: ClassVar[str] = "case.state_changed"
    case_id: str
    customer_id: str
    state: str
    previous_state: str
    actor_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseEscalated(Event):
    """A handoff on the ladder; `lateral` marks "the supervisor's supervisor" answered by
    another supervisor, `requested` what was asked for."""

    name: ClassVar[str] = "case.escalated"
    case_id: str
    customer_id: str
    from_level: str
    to_level: str
    lateral: bool
    requested: str
    team_id: str
    assignee_agent_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseRequestFiled(Event):
    """The supervisor rung filed the customer's request (always: attitude is no input)."""

    name: ClassVar[str] = "case.request_filed"
    case_id: str
    customer_id: str
    level: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SlaBreachWarning(Event):
    name: ClassVar[str] = "sla.breach_warning"
    case_id: str
    customer_id: str
    clock: str
    level: str
    team_id: str
    due_at: datetime | None
    regulator_id: str | None = None
    card_issuer: str | None = None
    assignee_agent_id: str | None = None  # who holds the case, if anyone: told live


@dataclass(frozen=True, slots=True, kw_only=True)
class SlaBreached(Event):
    name: ClassVar[str] = "sla.breached"
    case_id: str
    customer_id: str
    clock: str
    level: str
    team_id: str
    due_at: datetime | None
    regulator_id: str | None = None
    card_issuer: str | None = None
    assignee_agent_id: str | None = None  # who holds the case, if anyone: told live
